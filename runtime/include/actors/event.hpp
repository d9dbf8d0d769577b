#pragma once
// Events: plain structs, one per thing that happens in the engine, published on the event stream
// with a sequence number and a timestamp. Observers (dashboard, logs, tests, JS) fold these;
// nothing else of the runtime is visible to them.

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "actors/clock.hpp"
#include "actors/detail/type_tag.hpp"
#include "actors/health.hpp"
#include "actors/mailbox_options.hpp"
#include "actors/pid.hpp"
#include "actors/snapshot.hpp"

namespace actors {

enum class DeadLetterReason : std::uint8_t {
    no_such_actor,     // the target never existed here
    actor_stopped,     // the target had stopped (or stopped with the message still queued)
    mailbox_full,      // dropped by the target's overflow policy
    engine_stopped,    // sent after the engine shut down
    handler_failed,    // its handler threw; the message is not retried
    // Remote sends (actors::remote): sent on a link but never delivered.
    remote_restarted,   // the peer node restarted (new incarnation) before acknowledging it
    remote_unreachable, // the peer node did not come back within the reconnect deadline
    unknown_type,       // its type is not registered for remote sends, or its bytes did not decode
    // Written to the peer but never acknowledged when the reconnect deadline passed: it may have
    // been delivered (its ack lost with the connection). Never delivered twice; the one reason
    // that does not promise "not delivered".
    remote_maybe_delivered,
};
inline constexpr std::size_t dead_letter_reason_count = 9;
[[nodiscard]] const char* to_string(DeadLetterReason r) noexcept;

enum class StopReason : std::uint8_t {
    requested,         // stop()/poison() by someone
    parent_stopped,    // its parent stopped, and stopped it first
    failed,            // its handler (or a lifecycle hook) threw
    engine_shutdown,   // the engine shut down
    node_down,         // (Terminated of a remote actor) its node is unreachable or restarted
};
[[nodiscard]] const char* to_string(StopReason r) noexcept;

struct ActorSpawned {
    Pid pid;
    Pid parent;          // invalid for top-level actors
    std::string name;    // full registered path, e.g. "pool/worker-3"
    std::size_t mailbox_capacity = 0;
};
struct ActorStarted {
    Pid pid;
};
struct ActorStopped {
    Pid pid;
    StopReason reason = StopReason::requested;
    std::string detail;  // e.g. the exception text when reason == failed
};
struct DeadLetter {
    Pid target;
    Pid sender;
    std::string message_type;
    DeadLetterReason reason = DeadLetterReason::no_such_actor;
};
struct MailboxOverflow {
    Pid pid;
    std::size_t capacity = 0;
    OverflowPolicy policy = OverflowPolicy::drop_newest;
    std::string message_type;  // the message that was dropped or refused
};
struct ActorFailed {
    Pid pid;
    std::string error;         // exception text
    std::string message_type;  // the message whose handler threw ("" for a lifecycle hook)
    std::uint64_t total_failures = 0;  // since spawn, this one included (0: not known)
};
// A supervised restart completed: `pid` carries the new generation.
struct ActorRestarted {
    Pid pid;
    unsigned restarts = 0;      // restarts within the current window, this one included
    std::uint64_t total_restarts = 0;  // since spawn
    Duration delay{};           // how long it waited before this restart (jitter included)
    Duration next_delay{};      // nominal (jitter-free) delay of the next restart, should it fail again
    std::string reason;         // the failure that caused it
};
// The supervisor resumed a failed actor: same instance, same generation, next message.
struct ActorResumed {
    Pid pid;
    std::string reason;  // the failure it resumed after
};
// The restart limit was reached: the actor is stopped and the failure escalates.
struct MaxRestartsExceeded {
    Pid pid;
    unsigned restarts = 0;
    Duration window{};
};
// A failure passed up the tree: `from` failed (or exceeded its limit), `to` now fails with it.
// `to` is invalid when it reached the root (the actor is then stopped).
struct Escalated {
    Pid from;
    Pid to;
    std::string reason;
};
struct ActorUnhealthy {
    Pid pid;
    HealthSignal signal = HealthSignal::check_failed;
    Duration measured{};        // mailbox lag or handler time; zero for check_failed
    std::string detail;
};
struct ActorHealthy {
    Pid pid;
    HealthSignal signal = HealthSignal::check_failed;  // the signal that cleared
    Duration measured{};
};
namespace detail {
// The typed value a CustomEvent may carry: its type's tag (as for messages) and the value.
struct EventValue {
    explicit EventValue(const TypeTag* t) noexcept : type(t) {}
    virtual ~EventValue() = default;
    const TypeTag* type;
};
template <class T>
struct EventValueOf final : EventValue {
    template <class... Args>
    explicit EventValueOf(Args&&... args) : EventValue(&type_tag<T>), value(std::forward<Args>(args)...) {}
    T value;
};
}  // namespace detail

// Published by user code: engine.events().publish(CustomEvent{...}) or ctx.publish(...).
// `topic` and `data` are text: what the JS API, the dashboard and EventLogger show. An event may
// also carry a typed value for subscribers in this process (ctx.publish(topic, data, value), or
// CustomEvent::with_value): read it with value<T>(), a pointer that is null unless the value is
// exactly a T. The value is never serialized; it is shared and immutable, so copying the event
// (to the ring, to each reader) copies a pointer, not the value.
struct CustomEvent {
    Pid source;
    std::string topic;
    std::string data;
    std::shared_ptr<const detail::EventValue> payload{};  // set through with_value(); read with value<T>()

    template <class T>
    [[nodiscard]] static CustomEvent with_value(Pid source, std::string topic, std::string data, T&& value) {
        using V = std::decay_t<T>;
        return CustomEvent{source, std::move(topic), std::move(data),
                           std::make_shared<const detail::EventValueOf<V>>(std::forward<T>(value))};
    }
    // The value if it is a T (exactly: no conversions, no base classes), else nullptr. Lives as
    // long as this event or any copy of it.
    template <class T>
    [[nodiscard]] const std::remove_cvref_t<T>* value() const noexcept {
        using V = std::remove_cvref_t<T>;
        if (!payload || payload->type != &detail::type_tag<V>) return nullptr;
        return &static_cast<const detail::EventValueOf<V>*>(payload.get())->value;
    }
    [[nodiscard]] bool has_value() const noexcept { return payload != nullptr; }
    // The readable name of the value's type, or "" when there is none.
    [[nodiscard]] std::string value_type_name() const { return payload ? payload->type->name() : std::string(); }
};
// Delivered to callback subscribers that fell so far behind that the ring overwrote events they
// had not been given: they learn exactly which sequence numbers they lost.
// One actor's state at a stats sample (see stats.hpp).
struct ActorSample {
    Pid pid;
    std::size_t mailbox_depth = 0;
    ActorCounters counters;
};
// Published every StatsOptions::interval when stats are enabled. `actors` lists only the actors
// whose depth or counters changed since the previous sample (an idle actor costs nothing), so an
// observer keeps the last sample it saw for the others.
struct StatsSampled {
    Duration interval{};
    EngineCounters counters;
    std::vector<ActorSample> actors;
    std::vector<LinkStats> links;  // every remote link (few), when a router is attached
};
struct EventsMissed {
    std::uint64_t first_seq = 0;
    std::uint64_t count = 0;
};

// Remote links (actors::remote::Node). `node` is the peer node's name, `alias` the local node id
// its Pids carry here.
struct NodeConnected {
    std::string node;
    std::uint64_t incarnation = 0;
    std::uint32_t alias = 0;
    bool restarted = false;  // a new incarnation of a node this one had talked to
};
struct NodeDisconnected {
    std::string node;
    std::string reason;      // the close reason
};
// Declared down: heartbeats missed, the handshake never finished, or it restarted. Requests in
// flight to it failed with node_down and watches of its actors fired.
struct NodeDown {
    std::string node;
    std::string reason;
};
// After a reconnect, envelopes not acknowledged before were written again.
struct LinkReplayed {
    std::string node;
    std::uint64_t count = 0;
};

// Cluster membership, published by a membership provider (cluster/) into its engine's stream.
enum class MemberLeftReason : std::uint8_t {
    graceful,       // it said goodbye (deleted its keys) before going
    lease_expired,  // it stopped renewing (crashed, partitioned): the store dropped it
};
[[nodiscard]] const char* to_string(MemberLeftReason r) noexcept;

struct MemberJoined {
    std::string member;              // the member's unique name in the cluster
    std::string address;             // where its node listens
    std::vector<std::string> kinds;  // the actor kinds it hosts
};
struct MemberLeft {
    std::string member;
    std::string address;
    MemberLeftReason reason = MemberLeftReason::graceful;
};

// Virtual actors (cluster/): an identity's activation started or stopped on a member. With
// MemberJoined/MemberLeft they tell an observer where each identity lives.
enum class ActivationStopReason : std::uint8_t {
    passivated,   // idle past its kind's idle_timeout
    handed_over,  // its member left gracefully
    lost,         // another member won the identity while this member was cut off from the store
    failed,       // it stopped on its own (a failure past its restarts, or it stopped itself)
    shutdown,     // its member's engine shut down without leaving
};
[[nodiscard]] const char* to_string(ActivationStopReason r) noexcept;

struct ActivationStarted {
    std::string kind;
    std::string identity;
    std::string member;  // the member it lives on
    Pid pid;             // on that member's engine
};
struct ActivationStopped {
    std::string kind;
    std::string identity;
    std::string member;
    Pid pid;
    ActivationStopReason reason = ActivationStopReason::passivated;
};

using EventBody = std::variant<ActorSpawned, ActorStarted, ActorStopped, DeadLetter, MailboxOverflow, ActorFailed,
                               ActorRestarted, ActorResumed, MaxRestartsExceeded, Escalated, ActorUnhealthy, ActorHealthy,
                               CustomEvent, StatsSampled, EventsMissed, NodeConnected, NodeDisconnected, NodeDown,
                               LinkReplayed, MemberJoined, MemberLeft, ActivationStarted, ActivationStopped>;

struct Event {
    std::uint64_t seq = 0;  // 1, 2, 3, ... per engine, no gaps at publication
    TimePoint time{};       // engine clock at publication
    EventBody body;

    template <class T>
    [[nodiscard]] const T* as() const noexcept { return std::get_if<T>(&body); }
    template <class T>
    [[nodiscard]] bool is() const noexcept { return std::holds_alternative<T>(body); }
};

// Short kind name for logs and UIs: "spawned", "dead_letter", ...
[[nodiscard]] const char* kind_name(const EventBody& body) noexcept;
// One readable line, e.g. "#12 dead_letter target=<1.3.0> type=Ping reason=actor_stopped".
[[nodiscard]] std::string describe(const Event& e);

}  // namespace actors
