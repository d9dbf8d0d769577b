#pragma once
// Actor: the behaviour of one actor. Its receive() is never called concurrently with itself or
// with its hooks, so an actor's members need no locks.
//
// Lifecycle, in order, all on the actor's own turn:
//   construction (by the producer) -> receive(Initialized) -> started() -> receive(Started)
//   -> user messages ... -> receive(Stopped) -> stopped() -> destruction.
// Messages sent before the actor started wait in its mailbox and arrive after Started.
// Stopping an actor first stops its children, one at a time, in reverse spawn order, and waits
// for each to finish stopping.

#include <concepts>
#include <functional>
#include <memory>
#include <string>

#include "actors/event.hpp"
#include "actors/message.hpp"
#include "actors/pid.hpp"

namespace actors {

class Context;

class Actor {
public:
    virtual ~Actor() = default;
    virtual void receive(Context& ctx, Message& msg) = 0;
    virtual void started(Context&) {}
    virtual void stopped(Context&) {}
};

// Makes a fresh instance; called at spawn (and, under supervision, at each restart).
using Producer = std::function<std::unique_ptr<Actor>()>;
// A producer that constructs an A from copies of `args` each time (spawn and every restart).
template <std::derived_from<Actor> A, class... Args>
[[nodiscard]] Producer producer_of(Args&&... args) {
    return [... a = std::forward<Args>(args)]() -> std::unique_ptr<Actor> { return std::make_unique<A>(a...); };
}

// The behaviour of a function actor.
using ReceiveFn = std::function<void(Context&, Message&)>;

// Lifecycle notifications, delivered to receive() like any message.
struct Initialized {};
struct Started {};
struct Stopped {};

// Sent to a watcher when the actor it watches has stopped. Watching an actor that is already gone
// answers at once: existed=false if it never existed here; otherwise the original stop reason is
// no longer known, so reason is `requested` and detail says "already stopped when watched".
struct Terminated {
    Pid pid;
    StopReason reason = StopReason::requested;
    std::string detail;
    bool existed = true;
};

// Sent to an actor whose message was refused by a reject_sender mailbox.
struct MailboxFull {
    Pid target;
    std::string message_type;
};

}  // namespace actors
