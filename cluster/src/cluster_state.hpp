#pragma once
// The shared state of a Cluster (internal): what the caller side caches and how it resolves an
// identity to its activation (rendezvous hashing, asking the owner's placement actor, following
// redirects), and what the host side (placement_actor.cpp) keeps of the activations it hosts.
// Shared by the Cluster, its IdentityRefs, the placement actor and pending continuations; marked
// dead when the Cluster goes.

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

#include "cluster/cluster.hpp"
#include "cluster/cluster_error.hpp"
#include "cluster/rendezvous.hpp"
#include "placement_protocol.hpp"
#include "remote/node.hpp"

namespace actors::cluster {

using detail::Activate;
using detail::ActivateReply;
using detail::ActivateStatus;

// Messages to the placement actor that never leave the process.
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

inline std::string key_of(const std::string& kind, const std::string& identity) { return kind + "/" + identity; }

inline std::string url_of(const std::string& address) { return address.find("://") == std::string::npos ? "ws://" + address : address; }

inline std::int64_t ticks(TimePoint t) { return std::chrono::duration_cast<Duration>(t).count(); }

inline ActivateReply status(ActivateStatus s, std::string detail = {}) {
    ActivateReply r;
    r.status = static_cast<std::uint8_t>(s);
    r.detail = std::move(detail);
    return r;
}

inline Error unavailable(const std::string& detail) { return Error{ErrorCode::unavailable, "cluster_unavailable: " + detail}; }

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
        // Set with owned = false: what is still queued at the activation goes on to the winner.
        std::shared_ptr<std::atomic<bool>> lost;
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
        if (c.kind == MembershipChange::Kind::joined) {
            std::optional<std::string> url;
            {
                std::lock_guard lock(mutex);
                url = to_dial(c.member);
            }
            if (url) (void)node.connect(*url);
            return;
        }
        {
            std::lock_guard lock(mutex);
            std::erase_if(cache, [&](const auto& kv) { return kv.second.member == c.member.name; });
            placement_pids.erase(c.member.name);
            // Dialled again (the link resumed) if it comes back.
            dialled.erase(c.member.name);
        }
        // Gone for the store: its link stops redialling it (what is in flight on the connection
        // open now still arrives: a leaving member's last replies).
        if (c.member.name != self()) node.disconnect(c.member.name);
    }

    // One link per pair, dialled by the member whose name sorts first: two links dialled at once
    // between the same pair would each carry half the traffic. Under the mutex; the caller
    // connects after releasing it (connecting may fail what waited on a link it replaces, and
    // those continuations come back here).
    std::optional<std::string> to_dial(const Member& m) {
        if (m.name <= self()) return std::nullopt;
        auto it = dialled.find(m.name);
        if (it != dialled.end() && it->second == m.address) return std::nullopt;
        dialled[m.name] = m.address;
        return url_of(m.address);
    }

    // A send that was queued at an activation this member lost to another while the store was
    // away (Placement::lost): on to the identity's one activation, wherever the store now says it
    // is. The link to the winner may still be coming back after the outage, so an unavailable
    // answer is tried again, a bounded number of times; then the send is a dead letter with why.
    void forward_lost(const std::string& kind, const std::string& identity, std::shared_ptr<std::unique_ptr<Message>> msg, int attempts) {
        if (dead) return;
        const std::string key = key_of(kind, identity);
        forget(key, Pid{});  // the cached Pid is the lost activation here
        auto out = std::make_shared<actors::detail::FutureState<Pid>>(engine.cooperative() == nullptr);
        auto self_ptr = shared_from_this();
        Future<Pid>(out).then([self_ptr, kind, identity, msg, attempts](Result<Pid> where) {
            if (self_ptr->dead) return;
            if (where.ok()) {
                self_ptr->engine.deliver(where.value(), std::move(*msg));  // a refusal there is a dead letter there
                return;
            }
            if (where.error().code == ErrorCode::unavailable && attempts > 1) {
                self_ptr->engine.scheduler().call_after(self_ptr->options.passivation_check, [self_ptr, kind, identity, msg, attempts] {
                    self_ptr->forward_lost(kind, identity, msg, attempts - 1);
                });
                return;
            }
            const Message& m = **msg;
            const DeadLetterReason reason = where.error().code == ErrorCode::unavailable ? DeadLetterReason::remote_unreachable
                                                                                         : DeadLetterReason::no_such_actor;
            self_ptr->publish(DeadLetter{Pid{}, m.sender(),
                                         m.type_name() + " to " + key_of(kind, identity).substr(0, 128) +
                                             " (queued when this member lost it; not forwarded: " + where.error().message() + ")",
                                         reason});
        });
        resolve(kind, identity, out, {}, 0);
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

// Makes the placement actor of a Cluster (placement_actor.cpp).
Producer placement_producer(std::shared_ptr<Cluster_State> state);

}  // namespace actors::cluster
