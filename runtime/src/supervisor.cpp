#include "supervisor.hpp"

#include "engine_core.hpp"
#include "system_messages.hpp"

namespace actors::detail {

unsigned RestartTracker::count(std::uint64_t child, TimePoint now, Duration window) {
    auto it = times_.find(child);
    if (it == times_.end()) return 0;
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= window) times.pop_front();
    return static_cast<unsigned>(times.size());
}

void supervise(EngineCore& core, const SupervisorStrategy& strategy, RestartTracker& tracker, Pid supervisor,
               const std::vector<Pid>& children, Failure failure, const std::function<void(const Failure&)>& escalate) {
    const RestartPolicy& policy = strategy.restart;
    const TimePoint now = core.now();
    failure.restarts = tracker.count(failure.child.id, now, policy.window);
    Directive d;
    try {
        d = strategy.decide(failure);
    } catch (...) {
        d = Directive::escalate;  // a decider that cannot decide hands the problem up
    }
    const Pid child = failure.child;
    switch (d) {
        case Directive::resume:
            core.send_system(child, make_message<DirectiveCmd>(Pid{}, DirectiveCmd{Directive::resume, {}, 0, {}, failure.what}));
            return;
        case Directive::stop:
            if (strategy.kind == SupervisorStrategy::Kind::all_for_one) {
                for (const Pid& sibling : children) core.stop(sibling, StopReason::failed, failure.what);
            } else {
                core.stop(child, StopReason::failed, failure.what);
            }
            return;
        case Directive::escalate:
            core.events().publish(Escalated{child, supervisor, failure.what});
            escalate(failure);
            return;
        case Directive::restart:
            break;
    }
    if (failure.restarts >= policy.max_restarts) {
        core.events().publish(MaxRestartsExceeded{child, failure.restarts, policy.window});
        core.stop(child, StopReason::failed,
                  "restart limit reached (" + std::to_string(failure.restarts) + " in the window): " + failure.what);
        core.events().publish(Escalated{child, supervisor, failure.what});
        escalate(failure);
        return;
    }
    tracker.record(child.id, now);
    const unsigned attempt = failure.restarts + 1;
    DirectiveCmd cmd{Directive::restart, policy.delay_for(attempt, core.random_unit()), attempt,
                     policy.delay_for(attempt + 1), failure.what};
    if (strategy.kind == SupervisorStrategy::Kind::all_for_one) {
        for (const Pid& sibling : children) core.send_system(sibling, make_message<DirectiveCmd>(Pid{}, cmd));
    } else {
        core.send_system(child, make_message<DirectiveCmd>(Pid{}, std::move(cmd)));
    }
}

}  // namespace actors::detail
