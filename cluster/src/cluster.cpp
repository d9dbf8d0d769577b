#include "cluster/cluster.hpp"

#include "cluster_state.hpp"
#include "remote/registry.hpp"

namespace actors::cluster {

namespace detail {
void register_placement_messages() {
    remote::register_message<Activate>("actors.cluster.activate");
}
}  // namespace detail

Cluster::Cluster(Engine& engine, remote::Node& node, MembershipProvider& membership, ClusterOptions options)
    : engine_(engine), state_(std::make_shared<State>(engine, node, membership, options)) {
    if (options.activation_timeout <= Duration::zero() || options.passivation_check <= Duration::zero())
        throw ClusterError(ClusterErrorCode::invalid_argument, "ClusterOptions: timeouts must be positive");
    detail::register_placement_messages();
    state_->placement = engine.spawn(detail::placement_actor_name, placement_producer(state_));
    engine.send_repeat(options.passivation_check, state_->placement, PassivationTick{});
    std::weak_ptr<State> weak = state_;
    membership.on_change([weak](const MembershipChange& c) {
        if (auto s = weak.lock()) s->on_change(c);
    });
    membership.on_reregistered([weak](const Reregistered& r) {
        auto s = weak.lock();
        if (!s || s->dead || r.lost.empty()) return;
        s->engine.send(s->placement, LostIdentities{r.lost});
    });
    // A dashboard that attaches later learns from the snapshot where this member's identities live.
    standing_ = engine.events().add_standing([weak](std::vector<EventBody>& out) {
        auto s = weak.lock();
        if (!s) return;
        std::lock_guard lock(s->mutex);
        for (const auto& [key, h] : s->hosted) out.push_back(ActivationStarted{h.kind, h.identity, s->self(), h.pid});
    });
}

Cluster::~Cluster() {
    engine_.events().remove_standing(standing_);
    state_->dead = true;
    Pid p;
    {
        std::lock_guard lock(state_->mutex);
        p = state_->placement;
    }
    (void)engine_.stop(p);
}

const std::string& Cluster::name() const noexcept { return state_->self(); }

void Cluster::register_kind(const std::string& kind, Producer producer, KindOptions options) {
    if (!producer) throw ClusterError(ClusterErrorCode::invalid_argument, "register_kind('" + kind + "'): empty producer");
    register_kind(kind, IdentityProducer([p = std::move(producer)](const std::string&) { return p(); }), options);
}

void Cluster::register_kind(const std::string& kind, IdentityProducer producer, KindOptions options) {
    check_member_name(kind);
    if (!producer) throw ClusterError(ClusterErrorCode::invalid_argument, "register_kind('" + kind + "'): empty producer");
    if (options.idle_timeout < Duration::zero())
        throw ClusterError(ClusterErrorCode::invalid_argument, "register_kind('" + kind + "'): negative idle_timeout");
    std::lock_guard lock(state_->mutex);
    if (state_->joined) throw ClusterError(ClusterErrorCode::invalid_argument, "register_kind('" + kind + "') after join()");
    if (!state_->kinds.emplace(kind, State::Kind{std::move(producer), options}).second)
        throw ClusterError(ClusterErrorCode::invalid_argument, "kind '" + kind + "' is registered twice");
}

void Cluster::join(const std::string& address) {
    Member self;
    self.name = state_->self();
    self.address = address;
    {
        std::lock_guard lock(state_->mutex);
        if (state_->joined) throw ClusterError(ClusterErrorCode::invalid_argument, "already joined");
        for (const auto& [k, v] : state_->kinds) self.kinds.push_back(k);
    }
    state_->membership.join(self);
    std::vector<std::string> urls;
    {
        std::lock_guard lock(state_->mutex);
        state_->joined = true;
        // Providers that report no changes (a seed list) still name everyone to dial.
        for (const Member& m : state_->membership.members())
            if (auto url = state_->to_dial(m)) urls.push_back(*url);
    }
    for (const std::string& url : urls) (void)state_->node.connect(url);
}

Future<bool> Cluster::leave() {
    Pid p;
    {
        std::lock_guard lock(state_->mutex);
        p = state_->placement;
    }
    return engine_.request(p, LeaveNow{}, std::chrono::hours(1));
}

Future<Pid> Cluster::resolve(const std::string& kind, const std::string& identity) {
    return detail_identity::resolve(state_, kind, identity);
}

std::vector<ActivationInfo> Cluster::activations() const {
    std::lock_guard lock(state_->mutex);
    std::vector<ActivationInfo> out;
    for (const auto& [key, h] : state_->hosted) out.push_back(ActivationInfo{h.kind, h.identity, h.pid});
    return out;
}

namespace detail_identity {
Future<Pid> resolve(const std::shared_ptr<Cluster_State>& s, const std::string& kind, const std::string& identity) {
    auto out = std::make_shared<actors::detail::FutureState<Pid>>(s->engine.cooperative() == nullptr);
    s->resolve(kind, identity, out, {}, 0);
    return Future<Pid>(out);
}

void forget(Cluster_State& s, const std::string& kind, const std::string& identity, Pid pid) { s.forget(key_of(kind, identity), pid); }

void dead_letter(Cluster_State& s, const std::string& kind, const std::string& identity, const std::string& message_type, Pid sender,
                 const Error& why) {
    if (s.dead) return;
    // No Pid to name: the identity goes into the event's type field, so the dead-letter table
    // shows what was addressed and why next to the message type.
    const DeadLetterReason reason = why.code == ErrorCode::unavailable ? DeadLetterReason::remote_unreachable : DeadLetterReason::no_such_actor;
    s.publish(DeadLetter{Pid{}, sender, message_type + " to " + key_of(kind, identity).substr(0, 128) + " (" + why.message() + ")", reason});
}

}  // namespace detail_identity

}  // namespace actors::cluster
