#pragma once
// Supervision: what happens when an actor's handler throws.
//
// The failing actor's parent decides, with the SupervisorStrategy it was spawned with
// (SpawnOptions::supervisor; EngineConfig::root_supervisor decides for top-level actors):
//   resume    - keep the same instance and go on with the next message;
//   restart   - a fresh instance (see below), after the restart policy's delay;
//   stop      - stop the actor (StopReason::failed);
//   escalate  - the parent fails in turn, with the child's error, and its own parent decides.
// One-for-one applies the directive to the failed child only; all-for-one to all its siblings.
//
// Restart semantics, in order:
//   1. The message whose handler threw is NOT retried: it becomes a dead letter
//      (DeadLetterReason::handler_failed), and a request it carried fails with handler_failed.
//   2. While the decision and the restart delay are pending, the actor handles no user messages;
//      they wait, in order, in its mailbox (which keeps counting against its capacity).
//   3. Its children are stopped (newest first), as on stop: the new instance makes its own.
//   4. Its timers are cancelled and its middleware kept.
//   5. The old instance gets receive(Stopped) and stopped(), then is destroyed.
//   6. The Pid's generation goes up by one; the id - and so every Pid held elsewhere - stays valid.
//   7. A new instance comes from the same producer: receive(Initialized), started(), receive(Started).
//   8. The queued messages are delivered to the new instance, in the order they arrived.
// Every restart is announced (ActorRestarted, right after the generation goes up and before the
// new instance starts), also one whose started() throws again, so counters and events agree.
// A poison that arrives while the actor waits (for the decision or the delay) takes its place
// behind the waiting messages and cuts the delay short: the new instance handles them, then
// stops. If that instance fails to start, the actor stops and they become dead letters.
// Restarts are counted in a sliding window: a restart beyond max_restarts within window stops
// the actor instead (MaxRestartsExceeded event) and escalates the failure to its parent.

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>

#include "actors/clock.hpp"
#include "actors/pid.hpp"

namespace actors {

enum class Directive : std::uint8_t { resume, restart, stop, escalate };
[[nodiscard]] const char* to_string(Directive d) noexcept;

// What the parent's decider is told about a child's failure.
struct Failure {
    Pid child;
    std::string what;          // the exception's text
    std::string message_type;  // the message being handled ("" for a lifecycle hook)
    std::exception_ptr exception;  // rethrow it to decide by exception type
    unsigned restarts = 0;     // restarts of this child within the current window so far

    // True if the exception is (or derives from) E.
    template <class E>
    [[nodiscard]] bool is() const {
        try {
            if (exception) std::rethrow_exception(exception);
        } catch (const E&) {
            return true;
        } catch (...) {
        }
        return false;
    }
};

using Decider = std::function<Directive(const Failure&)>;

struct RestartPolicy {
    enum class Kind : std::uint8_t { immediate, fixed_delay, exponential_backoff };
    Kind kind = Kind::immediate;
    Duration delay{};                                    // fixed_delay
    Duration min_backoff = std::chrono::milliseconds(100);  // exponential_backoff: first delay
    Duration max_backoff = std::chrono::seconds(10);        // ... never more than this
    double factor = 2.0;                                 // ... each restart multiplies by this
    double jitter = 0.0;                                 // ... +/- this fraction, at random (0..1)
    unsigned max_restarts = 10;                          // within `window`; 0 = never restart
    Duration window = std::chrono::seconds(60);

    [[nodiscard]] static RestartPolicy immediate(unsigned max_restarts = 10, Duration window = std::chrono::seconds(60));
    [[nodiscard]] static RestartPolicy fixed(Duration delay, unsigned max_restarts = 10, Duration window = std::chrono::seconds(60));
    [[nodiscard]] static RestartPolicy backoff(Duration min, Duration max, double factor = 2.0, double jitter = 0.0,
                                               unsigned max_restarts = 10, Duration window = std::chrono::seconds(60));

    // The delay before restart number `attempt` (1 = first restart in the window). `unit` is a
    // random number in [0, 1) used for jitter, so the result is a pure function of its inputs:
    // min * factor^(attempt-1), capped at max, then scaled by 1 + jitter * (2*unit - 1).
    [[nodiscard]] Duration delay_for(unsigned attempt, double unit = 0.5) const;

    // Throws InvalidArgument naming the bad field (negative delays, factor < 1, jitter
    // outside [0, 1], min > max, a zero window).
    void validate() const;
};

struct SupervisorStrategy {
    enum class Kind : std::uint8_t { one_for_one, all_for_one };
    Kind kind = Kind::one_for_one;
    Decider decider;  // empty: always restart
    RestartPolicy restart;

    [[nodiscard]] static SupervisorStrategy one_for_one(RestartPolicy policy = {}, Decider decider = {});
    [[nodiscard]] static SupervisorStrategy all_for_one(RestartPolicy policy = {}, Decider decider = {});
    [[nodiscard]] Directive decide(const Failure& f) const { return decider ? decider(f) : Directive::restart; }
};

}  // namespace actors
