#include <atomic>
#include <functional>
#include <map>
#include <stdexcept>

#include "actors/context.hpp"
#include "cluster_state.hpp"

namespace actors::cluster {

namespace {

// Tries of a send passed on from a lost activation, passivation_check apart (Cluster_State::forward_lost).
constexpr int forward_attempts = 8;

// The user's actor inside a shell that notes when it last handled anything, so the placement
// actor can tell an idle activation without a message round trip, and that passes on what is
// queued once its member lost the identity to another.
class GrainHost final : public Actor {
public:
    using Forward = std::function<void(std::unique_ptr<Message>)>;
    GrainHost(std::unique_ptr<Actor> inner, std::shared_ptr<std::atomic<std::int64_t>> last, std::shared_ptr<std::atomic<bool>> lost,
              Forward forward)
        : inner_(std::move(inner)), last_(std::move(last)), lost_(std::move(lost)), forward_(std::move(forward)) {}
    void receive(Context& ctx, Message& msg) override {
        const bool lifecycle = msg.is<Initialized>() || msg.is<Started>() || msg.is<Stopped>() || msg.is<Terminated>();
        if (lost_->load(std::memory_order_acquire) && !lifecycle) {
            // Another member serves this identity now. A request fails as at a stopped
            // activation, so its caller resolves again and retries it (its answer belongs to one
            // requester: it is not copied); a send goes on to the winner, unhandled here.
            if (msg.expects_reply()) return msg.fail_request(Error{ErrorCode::actor_stopped, "the identity moved to another member"});
            std::unique_ptr<Message> copy;
            try {
                copy = msg.clone();
            } catch (const std::logic_error& e) {
                ctx.engine().events().publish(DeadLetter{ctx.self(), msg.sender(), msg.type_name() + " (the identity moved to another member; not copyable: " + e.what() + ")",
                                                         DeadLetterReason::actor_stopped});
                return;
            }
            return forward_(std::move(copy));
        }
        last_->store(ticks(ctx.now()), std::memory_order_relaxed);
        inner_->receive(ctx, msg);
    }
    void started(Context& ctx) override { inner_->started(ctx); }
    void stopped(Context& ctx) override { inner_->stopped(ctx); }

private:
    std::unique_ptr<Actor> inner_;
    std::shared_ptr<std::atomic<std::int64_t>> last_;
    std::shared_ptr<std::atomic<bool>> lost_;
    Forward forward_;
};

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
        bool lost_here = false;
        {
            std::lock_guard lock(s_->mutex);
            if (auto h = s_->hosted.find(key); h != s_->hosted.end()) {
                if (h->second.stopping && h->second.owned) {
                    // Answered once it has stopped: then it starts again here, as the key is ours.
                    h->second.waiters.push_back(std::move(reply));
                    return;
                }
                // Lost to another member and still passing its queue on: the store says where
                // the identity lives now (a redirect), or that it is free again.
                if (h->second.stopping) lost_here = true;
                else now = ok(h->second.pid);
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
        if (lost_here) {
            std::lock_guard lock(s_->mutex);
            if (auto h = s_->hosted.find(key); h != s_->hosted.end()) {
                // Ours again: a fresh activation once the lost one has stopped (see terminated).
                h->second.owned = true;
                h->second.waiters.push_back(std::move(reply));
                return;
            }
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
        auto lost = std::make_shared<std::atomic<bool>>(false);
        GrainHost::Forward forward = [weak = std::weak_ptr<Cluster::State>(s_), kind, identity](std::unique_ptr<Message> m) {
            if (auto s = weak.lock()) s->forward_lost(kind, identity, std::make_shared<std::unique_ptr<Message>>(std::move(m)), forward_attempts);
        };
        Pid pid = ctx.spawn("", [producer, identity, last, lost, forward]() -> std::unique_ptr<Actor> {
            return std::make_unique<GrainHost>(producer(identity), last, lost, forward);
        });
        ctx.watch(pid);
        {
            std::lock_guard lock(s_->mutex);
            Hosted& h = s_->hosted[key_of(kind, identity)];
            h.kind = kind;
            h.identity = identity;
            h.pid = pid;
            h.last = last;
            h.lost = lost;
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
                    h->second.lost->store(true, std::memory_order_release);
                    gone.push_back(h->second.pid);
                }
        }
        // Another member already serves these identities: nothing more is handled here; what is
        // queued is passed on to the winner (GrainHost) before the activation stops.
        for (Pid p : gone) (void)ctx.engine().poison(p);
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

Producer placement_producer(std::shared_ptr<Cluster_State> state) { return producer_of<Placement>(std::move(state)); }

}  // namespace actors::cluster
