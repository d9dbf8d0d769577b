#include "cluster/cluster.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "actors/context.hpp"
#include "cluster/cluster_error.hpp"
#include "cluster/rendezvous.hpp"
#include "placement_protocol.hpp"
#include "remote/node.hpp"
#include "remote/registry.hpp"

namespace actors::cluster {

namespace detail {
void register_placement_messages() {
    remote::register_message<Activate>("actors.cluster.activate");
}
}  // namespace detail

using detail::Activate;
using detail::ActivateReply;
using detail::ActivateStatus;

namespace {

// Messages of the placement actor that never leave the process.
struct PassivationTick {};
struct LostIdentities {
    std::vector<std::string> keys;
};
struct WatchRemote {
    std::string key;
    Pid pid;
};
struct LeaveNow {
    using Response = bool;
};

std::string key_of(const std::string& kind, const std::string& identity) { return kind + "/" + identity; }

std::string url_of(const std::string& address) { return address.find("://") == std::string::npos ? "ws://" + address : address; }

std::int64_t ticks(TimePoint t) { return std::chrono::duration_cast<Duration>(t).count(); }

ActivateReply status(ActivateStatus s, std::string detail = {}) {
    ActivateReply r;
    r.status = static_cast<std::uint8_t>(s);
    r.detail = std::move(detail);
    return r;
}

Error unavailable(const std::string& detail) { return Error{ErrorCode::unavailable, "cluster_unavailable: " + detail}; }

// The user's actor inside a shell that notes when it last handled anything, so the placement
// actor can tell an idle activation without a message round trip.
class GrainHost final : public Actor {
public:
    GrainHost(std::unique_ptr<Actor> inner, std::shared_ptr<std::atomic<std::int64_t>> last)
        : inner_(std::move(inner)), last_(std::move(last)) {}
    void receive(Context& ctx, Message& msg) override {
        last_->store(ticks(ctx.now()), std::memory_order_relaxed);
        inner_->receive(ctx, msg);
    }
    void started(Context& ctx) override { inner_->started(ctx); }
    void stopped(Context& ctx) override { inner_->stopped(ctx); }

private:
    std::unique_ptr<Actor> inner_;
    std::shared_ptr<std::atomic<std::int64_t>> last_;
};

}  // namespace

struct Cluster_State : std::enable_shared_from_this<Cluster_State> {
    struct Kind {
        IdentityProducer producer;
        KindOptions options;
    };
    struct Hosted {
        std::string kind;
        std::string identity;
        Pid pid;
        std::shared_ptr<std::atomic<std::int64_t>> last;
        bool stopping = false;
        bool owned = true;  // false once another member won it (the key is not ours to delete)
        ActivationStopReason reason = ActivationStopReason::failed;
        std::vector<Responder<ActivateReply>> waiters;  // asked while it was stopping
    };
    struct Cached {
        std::string member;
        Pid pid;
    };

    Cluster_State(Engine& e, remote::Node& n, MembershipProvider& m, ClusterOptions o)
        : engine(e), node(n), membership(m), options(o) {}

    // Set when the Cluster is destroyed: continuations that complete later (a Node failing its
    // pending requests as it shuts down, a timer) must not reach the provider or the node.
    std::atomic<bool> dead{false};
    static Error gone() { return Error{ErrorCode::engine_stopped, "the cluster was destroyed"}; }

    Engine& engine;
    remote::Node& node;
    MembershipProvider& membership;
    const ClusterOptions options;

    mutable std::mutex mutex;
    std::map<std::string, Kind> kinds;
    bool joined = false;
    bool leaving = false;
    Pid placement;
    // Caller side.
    std::map<std::string, Cached> cache;
    std::map<std::string, Pid> placement_pids;  // member -> its placement actor
    std::map<std::string, std::string> dialled;  // member -> address dialled
    std::set<std::uint64_t> watched;             // remote activations the placement actor watches
    // Host side: changed only by the placement actor.
    std::map<std::string, Hosted> hosted;
    std::map<std::uint64_t, std::string> hosted_by_pid;

    [[nodiscard]] const std::string& self() const { return node.name(); }

    void publish(EventBody e) { engine.events().publish(std::move(e)); }

    void forget(const std::string& key, Pid pid) {
        std::lock_guard lock(mutex);
        auto it = cache.find(key);
        if (it != cache.end() && (!pid.valid() || it->second.pid == pid)) cache.erase(it);
    }

    void on_change(const MembershipChange& c) {
        if (dead) return;
        std::lock_guard lock(mutex);
        if (c.kind == MembershipChange::Kind::left) {
            std::erase_if(cache, [&](const auto& kv) { return kv.second.member == c.member.name; });
            placement_pids.erase(c.member.name);
            return;
        }
        dial(c.member);
    }

    // One link per pair, dialled by the member whose name sorts first: two links dialled at once
    // between the same pair would each carry half the traffic.
    void dial(const Member& m) {
        if (m.name <= self()) return;
        auto it = dialled.find(m.name);
        if (it != dialled.end() && it->second == m.address) return;
        dialled[m.name] = m.address;
        (void)node.connect(url_of(m.address));
    }

    void resolve(const std::string& kind, const std::string& identity, std::shared_ptr<actors::detail::FutureState<Pid>> out,
                 std::set<std::string> excluded, int hops) {
        if (dead) {
            out->fail(gone());
            return;
        }
        const std::string key = key_of(kind, identity);
        try {
            check_member_name(kind);
            check_identity(key);
        } catch (const ClusterError& e) {
            out->fail(Error{ErrorCode::invalid_argument, std::string(e.what()) + " (kind '" + kind.substr(0, 64) + "')"});
            return;
        }
        if (!membership.joined()) {
            out->fail(Error{ErrorCode::invalid_argument, "not_joined: this member has not joined the cluster"});
            return;
        }
        std::optional<Pid> cached;
        {
            std::lock_guard lock(mutex);
            if (auto it = cache.find(key); it != cache.end()) cached = it->second.pid;
        }
        if (cached) {
            out->complete(*cached);  // outside the lock: the continuation may call back in
            return;
        }
        if (hops > 4) {
            out->fail(unavailable("the placement of '" + key.substr(0, 64) + "' did not settle; retry"));
            return;
        }
        std::vector<Member> hosts;
        for (Member& m : membership.members())
            if (!excluded.count(m.name) && std::find(m.kinds.begin(), m.kinds.end(), kind) != m.kinds.end()) hosts.push_back(std::move(m));
        if (hosts.empty()) {
            if (excluded.empty()) out->fail(Error{ErrorCode::invalid_argument, "no live member hosts kind '" + kind + "'"});
            else out->fail(unavailable("every member hosting kind '" + kind + "' is leaving"));
            return;
        }
        ask(*rendezvous_owner(key, hosts), kind, identity, std::move(out), std::move(excluded), hops);
    }

    void ask(const std::string& member, const std::string& kind, const std::string& identity,
             std::shared_ptr<actors::detail::FutureState<Pid>> out, std::set<std::string> excluded, int hops) {
        if (dead) {
            out->fail(gone());
            return;
        }
        auto self_ptr = shared_from_this();
        auto on_reply = [self_ptr, member, kind, identity, out, excluded, hops](Result<ActivateReply> r) mutable {
            self_ptr->answered(member, kind, identity, std::move(r), std::move(out), std::move(excluded), hops);
        };
        Pid target;
        {
            std::lock_guard lock(mutex);
            if (member == self()) target = placement;
            else if (auto it = placement_pids.find(member); it != placement_pids.end()) target = it->second;
        }
        if (target.valid()) {
            engine.request(target, Activate{kind, identity}, options.activation_timeout).then(std::move(on_reply));
            return;
        }
        // A lookup waits for the link's verdict, which for a member that just died can take the
        // reconnect deadline: the activation timeout bounds it.
        auto looked = std::make_shared<actors::detail::FutureState<Pid>>(engine.cooperative() == nullptr);
        node.lookup(member, detail::placement_actor_name).then([looked](Result<Pid> p) { looked->complete(std::move(p)); });
        engine.scheduler().call_after(options.activation_timeout, [looked, member] {
            looked->fail(Error{ErrorCode::timeout, "no answer from member '" + member + "' to a lookup"});
        });
        Future<Pid>(looked).then([self_ptr, member, kind, identity, on_reply](Result<Pid> p) mutable {
            if (!p.ok()) {
                on_reply(Result<ActivateReply>(p.error()));
                return;
            }
            {
                std::lock_guard lock(self_ptr->mutex);
                self_ptr->placement_pids[member] = p.value();
            }
            self_ptr->engine.request(p.value(), Activate{kind, identity}, self_ptr->options.activation_timeout).then(std::move(on_reply));
        });
    }

    void answered(const std::string& member, const std::string& kind, const std::string& identity, Result<ActivateReply> r,
                  std::shared_ptr<actors::detail::FutureState<Pid>> out, std::set<std::string> excluded, int hops) {
        if (dead) {
            out->fail(gone());
            return;
        }
        const std::string key = key_of(kind, identity);
        if (!r.ok()) {
            {
                std::lock_guard lock(mutex);
                placement_pids.erase(member);
            }
            // Asking is idempotent, so a member that left while we asked (its process gone before
            // the leave reached us) is skipped and the next one asked.
            const auto now = membership.members();
            const bool gone = std::none_of(now.begin(), now.end(), [&](const Member& m) { return m.name == member; });
            if (gone && hops <= 4) {
                excluded.insert(member);
                resolve(kind, identity, std::move(out), std::move(excluded), hops + 1);
                return;
            }
            out->fail(unavailable("member '" + member + "' did not answer the activation of '" + key.substr(0, 64) +
                                  "': " + r.error().message()));
            return;
        }
        const ActivateReply& a = r.value();
        switch (static_cast<ActivateStatus>(a.status)) {
            case ActivateStatus::ok: {
                std::optional<Pid> pid = member == self() ? std::optional<Pid>(Pid{engine.node(), a.id, a.generation})
                                                          : node.remote_pid(member, a.id, a.generation);
                if (!pid) {
                    out->fail(unavailable("no link to member '" + member + "'"));
                    return;
                }
                bool watch = false;
                Pid placement_pid;
                {
                    std::lock_guard lock(mutex);
                    cache[key] = Cached{member, *pid};
                    watch = member != self() && watched.insert(pid->id).second;
                    placement_pid = placement;
                }
                // A remote activation that stops (passivated, handed over) tells us, so the next
                // message resolves again instead of going to a Pid that is gone.
                if (watch) engine.send(placement_pid, WatchRemote{key, *pid});
                out->complete(*pid);
                return;
            }
            case ActivateStatus::redirect:
                if (a.owner.empty() || a.owner == member) {
                    out->fail(Error{ErrorCode::invalid_argument, "member '" + member + "' redirected '" + key.substr(0, 64) + "' to itself"});
                    return;
                }
                if (hops > 4) {
                    out->fail(unavailable("the placement of '" + key.substr(0, 64) + "' did not settle; retry"));
                    return;
                }
                ask(a.owner, kind, identity, std::move(out), std::move(excluded), hops + 1);
                return;
            case ActivateStatus::leaving:
                excluded.insert(member);
                resolve(kind, identity, std::move(out), std::move(excluded), hops + 1);
                return;
            case ActivateStatus::unavailable:
                out->fail(unavailable(a.detail));
                return;
            case ActivateStatus::refused:
                out->fail(Error{ErrorCode::invalid_argument, a.detail});
                return;
        }
        out->fail(Error{ErrorCode::invalid_argument, "member '" + member + "' answered with an unknown status " + std::to_string(a.status)});
    }
};

namespace {

// The host side: activates identities on this member, passivates idle ones, hands them over when
// the member leaves. Everything it changes in the State is changed on its own turn.
class Placement final : public Actor {
public:
    explicit Placement(std::shared_ptr<Cluster::State> s) : s_(std::move(s)) {}

    void receive(Context& ctx, Message& m) override {
        m.visit([&](const Activate& a) { activate(ctx, m.take_responder(a), a); },
                [&](const Terminated& t) { terminated(ctx, t); },
                [&](const PassivationTick&) { passivate(ctx); },
                [&](const LostIdentities& l) { lost(ctx, l); },
                [&](const WatchRemote& w) {
                    remote_keys_[w.pid.id] = w.key;
                    ctx.watch(w.pid);
                },
                [&](const LeaveNow& l) { leave(ctx, m.take_responder(l)); });
    }

    void stopped(Context&) override {
        // The engine is shutting down under us: the activations stop with it (children first).
        std::vector<Cluster::State::Hosted> gone;
        {
            std::lock_guard lock(s_->mutex);
            for (auto& [key, h] : s_->hosted) gone.push_back(std::move(h));
            s_->hosted.clear();
            s_->hosted_by_pid.clear();
        }
        for (auto& h : gone)
            s_->publish(ActivationStopped{h.kind, h.identity, s_->self(), h.pid, h.stopping ? h.reason : ActivationStopReason::shutdown});
    }

private:
    using Hosted = Cluster::State::Hosted;

    // Replies are made outside the lock: a local requester's continuation runs inside reply().
    void activate(Context& ctx, Responder<ActivateReply> reply, const Activate& a) {
        IdentityProducer producer;
        std::optional<ActivateReply> now;
        {
            std::lock_guard lock(s_->mutex);
            auto k = s_->kinds.find(a.kind);
            if (s_->leaving || s_->dead) now = status(ActivateStatus::leaving);
            else if (k == s_->kinds.end())
                now = status(ActivateStatus::refused, "member '" + s_->self() + "' does not host kind '" + a.kind.substr(0, 64) + "'");
            else producer = k->second.producer;
        }
        if (now) return reply.reply(*now);
        const std::string key = key_of(a.kind, a.identity);
        try {
            check_identity(key);
        } catch (const ClusterError& e) {
            return reply.reply(status(ActivateStatus::refused, e.what()));
        }
        {
            std::lock_guard lock(s_->mutex);
            if (auto h = s_->hosted.find(key); h != s_->hosted.end()) {
                if (h->second.stopping && h->second.owned) {
                    // Answered once it has stopped: then it starts again here, as the key is ours.
                    h->second.waiters.push_back(std::move(reply));
                    return;
                }
                now = h->second.stopping ? status(ActivateStatus::unavailable, "'" + key.substr(0, 64) + "' moved to another member; retry")
                                         : ok(h->second.pid);
            }
        }
        if (now) return reply.reply(*now);
        ClaimResult c;
        try {
            c = s_->membership.claim(key);
        } catch (const ClusterError& e) {
            return reply.reply(status(e.code() == ClusterErrorCode::cluster_unavailable ? ActivateStatus::unavailable : ActivateStatus::refused, e.what()));
        }
        if (!c.won) {
            ActivateReply r = status(ActivateStatus::redirect);
            r.owner = c.owner;
            return reply.reply(r);
        }
        reply.reply(ok(spawn(ctx, a.kind, a.identity, producer)));
    }

    static ActivateReply ok(Pid pid) {
        ActivateReply r = status(ActivateStatus::ok);
        r.id = pid.id;
        r.generation = pid.generation;
        return r;
    }

    Pid spawn(Context& ctx, const std::string& kind, const std::string& identity, const IdentityProducer& producer) {
        auto last = std::make_shared<std::atomic<std::int64_t>>(ticks(ctx.now()));
        Pid pid = ctx.spawn("", [producer, identity, last]() -> std::unique_ptr<Actor> {
            return std::make_unique<GrainHost>(producer(identity), last);
        });
        ctx.watch(pid);
        {
            std::lock_guard lock(s_->mutex);
            Hosted& h = s_->hosted[key_of(kind, identity)];
            h.kind = kind;
            h.identity = identity;
            h.pid = pid;
            h.last = last;
            s_->hosted_by_pid[pid.id] = key_of(kind, identity);
        }
        s_->publish(ActivationStarted{kind, identity, s_->self(), pid});
        return pid;
    }

    void terminated(Context& ctx, const Terminated& t) {
        Hosted h;
        std::string key;
        bool leaving = false;
        {
            std::lock_guard lock(s_->mutex);
            auto it = t.pid.node == ctx.self().node ? s_->hosted_by_pid.find(t.pid.id) : s_->hosted_by_pid.end();
            if (it == s_->hosted_by_pid.end()) {
                // A remote activation we cached has stopped.
                if (auto r = remote_keys_.find(t.pid.id); r != remote_keys_.end()) {
                    auto c = s_->cache.find(r->second);
                    if (c != s_->cache.end() && c->second.pid.same_actor(t.pid)) s_->cache.erase(c);
                    s_->watched.erase(t.pid.id);
                    remote_keys_.erase(r);
                }
                return;
            }
            key = it->second;
            s_->hosted_by_pid.erase(it);
            auto hi = s_->hosted.find(key);
            h = std::move(hi->second);
            s_->hosted.erase(hi);
            if (auto c = s_->cache.find(key); c != s_->cache.end() && c->second.pid.same_actor(t.pid)) s_->cache.erase(c);
            leaving = s_->leaving;
        }
        s_->publish(ActivationStopped{h.kind, h.identity, s_->self(), h.pid, h.stopping ? h.reason : ActivationStopReason::failed});
        if (!h.waiters.empty() && !leaving && h.owned) {
            IdentityProducer producer;
            {
                std::lock_guard lock(s_->mutex);
                if (auto k = s_->kinds.find(h.kind); k != s_->kinds.end()) producer = k->second.producer;
            }
            const Pid pid = spawn(ctx, h.kind, h.identity, producer);
            for (auto& w : h.waiters) w.reply(ok(pid));
            return;
        }
        if (h.owned) {
            try {
                s_->membership.release(key);
            } catch (const ClusterError&) {
                // Still bound to our lease: a later claim here wins it back, and it goes with the lease.
            }
        }
        for (auto& w : h.waiters) w.reply(status(leaving ? ActivateStatus::leaving : ActivateStatus::unavailable, "'" + key.substr(0, 64) + "' stopped; retry"));
        if (leaving) maybe_finish_leave();
    }

    void passivate(Context& ctx) {
        const std::int64_t now = ticks(ctx.now());
        std::vector<Pid> idle;
        {
            std::lock_guard lock(s_->mutex);
            for (auto& [key, h] : s_->hosted) {
                if (h.stopping) continue;
                auto k = s_->kinds.find(h.kind);
                if (k == s_->kinds.end() || k->second.options.idle_timeout <= Duration::zero()) continue;
                if (now - h.last->load(std::memory_order_relaxed) < k->second.options.idle_timeout.count()) continue;
                h.stopping = true;
                h.reason = ActivationStopReason::passivated;
                idle.push_back(h.pid);
            }
        }
        // After what is queued: a message that arrives after this is refused (actor_stopped), and
        // a request the caller retries once activates it again.
        for (Pid p : idle) (void)ctx.engine().poison(p);
    }

    void lost(Context& ctx, const LostIdentities& l) {
        std::vector<Pid> gone;
        {
            std::lock_guard lock(s_->mutex);
            for (const std::string& key : l.keys)
                if (auto h = s_->hosted.find(key); h != s_->hosted.end()) {
                    h->second.owned = false;
                    h->second.stopping = true;
                    h->second.reason = ActivationStopReason::lost;
                    gone.push_back(h->second.pid);
                }
        }
        // Now, not after its queue: another member already serves this identity.
        for (Pid p : gone) ctx.stop(p);
    }

    void leave(Context& ctx, Responder<bool> reply) {
        std::vector<Pid> all;
        {
            std::lock_guard lock(s_->mutex);
            s_->leaving = true;
            for (auto& [key, h] : s_->hosted) {
                if (!h.stopping) {
                    h.stopping = true;
                    h.reason = ActivationStopReason::handed_over;
                    all.push_back(h.pid);
                }
            }
        }
        leave_reply_ = std::move(reply);
        for (Pid p : all) (void)ctx.engine().poison(p);
        maybe_finish_leave();
    }

    void maybe_finish_leave() {
        {
            std::lock_guard lock(s_->mutex);
            if (!s_->hosted.empty() || !leave_reply_.valid()) return;
        }
        Responder<bool> reply = std::move(leave_reply_);
        leave_reply_ = {};
        try {
            s_->membership.leave();
            reply.reply(true);
        } catch (const ClusterError& e) {
            reply.fail(e.code() == ClusterErrorCode::cluster_unavailable ? unavailable(e.what()) : Error{ErrorCode::invalid_argument, e.what()});
        }
    }

    std::shared_ptr<Cluster::State> s_;
    std::map<std::uint64_t, std::string> remote_keys_;  // watched remote activation -> its key
    Responder<bool> leave_reply_;
};

}  // namespace

Cluster::Cluster(Engine& engine, remote::Node& node, MembershipProvider& membership, ClusterOptions options)
    : engine_(engine), state_(std::make_shared<State>(engine, node, membership, options)) {
    if (options.activation_timeout <= Duration::zero() || options.passivation_check <= Duration::zero())
        throw ClusterError(ClusterErrorCode::invalid_argument, "ClusterOptions: timeouts must be positive");
    detail::register_placement_messages();
    state_->placement = engine.spawn(detail::placement_actor_name, producer_of<Placement>(state_));
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
}

Cluster::~Cluster() {
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
    std::lock_guard lock(state_->mutex);
    state_->joined = true;
    // Providers that report no changes (a seed list) still name everyone to dial.
    for (const Member& m : state_->membership.members()) state_->dial(m);
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
