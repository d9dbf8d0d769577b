#pragma once
// Messages the runtime sends itself. They travel in the system queue (drained before user
// messages), are never refused by a full mailbox, and never count as user traffic.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actors/actor.hpp"
#include "actors/event.hpp"
#include "actors/future.hpp"
#include "actors/pid.hpp"
#include "actors/supervision.hpp"

namespace actors {
class Context;
}

namespace actors::detail {

struct StartCmd {};
struct StopCmd {
    StopReason reason = StopReason::requested;
    std::string detail;
};
struct ChildTerminatedCmd {
    Pid child;
};
// Runs as part of the actor's turn (request continuations).
struct ContinuationCmd {
    std::function<void(Context&)> fn;
};
// Travels in the user queue, behind what is already queued: stop once those are handled.
struct PoisonCmd {
    StopReason reason = StopReason::requested;
    std::string detail = "poisoned";
};
// Child -> parent: I failed; decide.
struct FailedCmd {
    Failure failure;
};
// Supervisor -> child: resume, or restart after `delay` (stop travels as StopCmd). The
// supervisor keeps the restart history, so it also says which restart this is.
struct DirectiveCmd {
    Directive directive = Directive::restart;
    Duration delay{};
    unsigned attempt = 0;
    Duration next_delay{};
    std::string reason;
};
// Self, after the restart delay. `epoch` ignores a timer that outlived the restart it was for.
struct RestartNowCmd {
    std::uint64_t epoch = 0;
};
struct WatchCmd {
    Pid watcher;
    // Set instead of a watcher when the watch comes from outside any actor (Engine::watch).
    std::shared_ptr<FutureState<Terminated>> future;
};
struct UnwatchCmd {
    Pid watcher;
};
struct HealthCheckCmd {};

}  // namespace actors::detail
