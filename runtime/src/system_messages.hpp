#pragma once
// Messages the runtime sends itself. They travel in the system queue (drained before user
// messages), are never refused by a full mailbox, and never count as user traffic.

#include <functional>
#include <string>

#include "actors/event.hpp"
#include "actors/pid.hpp"

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

}  // namespace actors::detail
