#pragma once
// Virtual actors ("grains"): actors addressed by a kind and an identity ("user", "alice") instead
// of a Pid, activated on demand on some live member and moved when that member goes.
//
//     actors::cluster::Cluster cluster(engine, node, membership);
//     cluster.register_kind("user", actors::producer_of<User>(), {.idle_timeout = 30s});
//     cluster.join("127.0.0.1:4100");                   // where `node` listens
//     auto alice = cluster.get("user", "alice");
//     alice.send(Rename{"Alice"});
//     alice.request(GetName{}).then([](actors::Result<std::string> r) { ... });
//
// Placement: the caller scores the live members that host the kind by rendezvous hashing and
// asks the winner's placement actor ("cluster-placement") to activate. That member claims the
// identity in the store (put-if-absent on a key bound to its lease: the store is the arbiter, so
// two callers with different views of the membership never make two activations) and spawns it,
// or answers with the member that already holds it. The caller caches the activation's Pid until
// the activation stops or its member leaves.
//
// Delivery: a request whose target turned out to be gone without handling it (passivated,
// handed over: no_such_actor or actor_stopped) is resolved again and retried once. One that
// may have reached a member that then died (node_down) is not retried (it may have been
// handled): it fails with that reason (as does a timeout), so nothing is delivered twice. A
// plain send to an identity that cannot be placed becomes a DeadLetter whose message_type names
// the identity and the reason; one that reaches an activation stopping on another member is a
// dead letter there (sends are not retried across members), except at an activation this member
// lost to another while the store was away: what is queued there goes on to the winner.
//
// Cost: the placement actor claims in the store synchronously (one etcd transaction per new
// activation, on one worker), so a member activates identities one at a time.
//
// Store down: activations this process knows keep serving; a new activation fails at once with
// ErrorCode::unavailable ("cluster_unavailable: ..."). A member cut off from the store past its
// lease is gone for the others, who activate its identities again while it still serves them
// (two activations until it hears back); when the store answers it again it re-registers, gives
// up what others won (their queued sends forwarded to the winner, requests retried by their
// callers) and keeps the rest.
//
// Links: a member that leaves the membership is no longer dialled (remote::Node::disconnect);
// if it comes back, the link to it resumes.
//
// Threading: get(), send() and request() may be called from any thread and from actors. The
// membership provider must be driven (StoreMembership: drive()) for changes to arrive.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/engine.hpp"
#include "actors/future.hpp"
#include "cluster/membership.hpp"

namespace actors::remote {
class Node;
}

namespace actors::cluster {

struct KindOptions {
    // An activation that handled no message for this long is stopped and its identity released
    // (the next message activates it again, possibly elsewhere). Zero: never.
    Duration idle_timeout = Duration::zero();
};

struct ClusterOptions {
    // How long an activation request to another member may take before the caller gives up.
    Duration activation_timeout = std::chrono::seconds(5);
    // How often idle activations are looked for.
    Duration passivation_check = std::chrono::seconds(1);
};

// One activation hosted by this member, as activations() reports it.
struct ActivationInfo {
    std::string kind;
    std::string identity;
    Pid pid;
};

// Makes an activation, told the identity it is for.
using IdentityProducer = std::function<std::unique_ptr<Actor>(const std::string& identity)>;

class Cluster;
struct Cluster_State;  // internal (cluster/src/cluster.cpp)

// For IdentityRef's templates; internal.
namespace detail_identity {
Future<Pid> resolve(const std::shared_ptr<Cluster_State>& s, const std::string& kind, const std::string& identity);
void forget(Cluster_State& s, const std::string& kind, const std::string& identity, Pid pid);
void dead_letter(Cluster_State& s, const std::string& kind, const std::string& identity, const std::string& message_type, Pid sender,
                 const Error& why);
}  // namespace detail_identity

// What get() returns: a kind and an identity, addressed like an actor. Cheap to copy. Once its
// Cluster is destroyed, what it sends fails (engine_stopped); the engine must outlive it.
class IdentityRef {
public:
    [[nodiscard]] const std::string& kind() const noexcept { return kind_; }
    [[nodiscard]] const std::string& identity() const noexcept { return identity_; }

    // Fire-and-forget. If the identity cannot be placed (no member hosts the kind, store down,
    // a bad identity) the message becomes a DeadLetter. A send that finds a local activation
    // already stopped is resolved again and sent once more.
    template <class M>
    void send(M msg, Pid sender = {}) const;

    // A typed request to the identity's one activation (see the file comment for retries).
    template <Request M>
    Future<typename M::Response> request(M msg, std::optional<Duration> timeout = std::nullopt) const;

private:
    friend class Cluster;
    IdentityRef(std::shared_ptr<Cluster_State> s, Engine& e, std::string kind, std::string identity)
        : state_(std::move(s)), engine_(&e), kind_(std::move(kind)), identity_(std::move(identity)) {}
    template <Request M>
    void attempt(std::shared_ptr<detail::FutureState<typename M::Response>> state, M msg, std::optional<Duration> timeout,
                 int retries) const;
    template <class M>
    void send_attempt(M msg, Pid sender, int retries) const;

    std::shared_ptr<Cluster_State> state_;  // shared with the Cluster, which marks it dead when it goes
    Engine* engine_;
    std::string kind_;
    std::string identity_;
};

class Cluster {
public:
    // `node` must be on `engine`; the provider is shared with nobody else. One Cluster per engine.
    Cluster(Engine& engine, remote::Node& node, MembershipProvider& membership, ClusterOptions options = {});
    ~Cluster();  // stops the placement actor; call leave() first for a graceful exit
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Before join(): this member hosts `kind`; `producer` makes each activation. Throws
    // ClusterError(invalid_argument) for a bad name, a second registration or after join().
    void register_kind(const std::string& kind, Producer producer, KindOptions options = {});
    void register_kind(const std::string& kind, IdentityProducer producer, KindOptions options = {});

    // Joins the membership as the node's name at `address` (host:port or ws:// URL where the
    // node listens) with the registered kinds, and dials the other members.
    void join(const std::string& address);

    // Graceful: refuses new activations, stops the ones here after their queued messages, releases
    // their identities and leaves the membership. Completes when done (true), or with the error.
    Future<bool> leave();

    [[nodiscard]] IdentityRef get(std::string kind, std::string identity) {
        return IdentityRef(state_, engine_, std::move(kind), std::move(identity));
    }

    // The Pid of the identity's activation, activating it if needed. Fails with invalid_argument
    // (bad identity, a kind no live member hosts), unavailable (store down, no link to the owner),
    // not_joined, or the reason the owner gave.
    Future<Pid> resolve(const std::string& kind, const std::string& identity);

    [[nodiscard]] std::vector<ActivationInfo> activations() const;  // hosted here
    [[nodiscard]] Engine& engine() noexcept { return engine_; }
    [[nodiscard]] const std::string& name() const noexcept;

    using State = Cluster_State;

private:
    Engine& engine_;
    std::shared_ptr<State> state_;
    std::uint64_t standing_ = 0;  // EventStream::add_standing: its activations, for late observers
};

// Errors worth one more try after resolving again: the target never handled the message.
[[nodiscard]] inline bool retry_safe(ErrorCode c) noexcept {
    return c == ErrorCode::no_such_actor || c == ErrorCode::actor_stopped;
}

template <Request M>
Future<typename M::Response> IdentityRef::request(M msg, std::optional<Duration> timeout) const {
    static_assert(std::is_copy_constructible_v<M>, "a request to an identity is kept for one retry: it must be copyable");
    using R = typename M::Response;
    auto state = std::make_shared<detail::FutureState<R>>(engine_->cooperative() == nullptr);
    attempt<M>(state, std::move(msg), timeout, 1);
    return Future<R>(state);
}

template <Request M>
void IdentityRef::attempt(std::shared_ptr<detail::FutureState<typename M::Response>> state, M msg,
                          std::optional<Duration> timeout, int retries) const {
    using R = typename M::Response;
    IdentityRef self = *this;
    detail_identity::resolve(state_, kind_, identity_).then([self, state, msg = std::move(msg), timeout, retries](Result<Pid> where) mutable {
        if (!where.ok()) {
            state->fail(where.error());
            return;
        }
        const Pid pid = where.value();
        M copy = msg;
        self.engine_->request(pid, std::move(copy), timeout).then(
            [self, state, msg = std::move(msg), timeout, retries, pid](Result<R> r) mutable {
                if (!r.ok() && (retry_safe(r.error().code) || r.error().code == ErrorCode::node_down))
                    detail_identity::forget(*self.state_, self.kind_, self.identity_, pid);
                if (!r.ok() && retries > 0 && retry_safe(r.error().code)) {
                    self.attempt<M>(state, std::move(msg), timeout, retries - 1);
                    return;
                }
                state->complete(std::move(r));
            });
    });
}

template <class M>
void IdentityRef::send(M msg, Pid sender) const {
    send_attempt<M>(std::move(msg), sender, std::is_copy_constructible_v<M> ? 1 : 0);
}

template <class M>
void IdentityRef::send_attempt(M msg, Pid sender, int retries) const {
    IdentityRef self = *this;
    detail_identity::resolve(state_, kind_, identity_).then([self, msg = std::move(msg), sender, retries](Result<Pid> where) mutable {
        if (!where.ok()) {
            detail_identity::dead_letter(*self.state_, self.kind_, self.identity_, detail::type_tag<M>.name(), sender, where.error());
            return;
        }
        if constexpr (std::is_copy_constructible_v<M>) {
            if (retries > 0) {
                M copy = msg;
                if (self.engine_->send(where.value(), std::move(copy), sender) == SendStatus::dead_letter) {
                    // A local activation stopped (passivated) before we sent: it never saw this.
                    detail_identity::forget(*self.state_, self.kind_, self.identity_, where.value());
                    self.send_attempt<M>(std::move(msg), sender, retries - 1);
                }
                return;
            }
        }
        self.engine_->send(where.value(), std::move(msg), sender);
    });
}

}  // namespace actors::cluster
