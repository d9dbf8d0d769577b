#pragma once
// The supervisor's side of a failure, shared by parent actors and the root guardian: count the
// child's restarts in the policy's window (the history lives with the supervisor, whose policy it
// is), ask the decider, and carry the directive out.

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

#include "actors/supervision.hpp"

namespace actors::detail {

class EngineCore;

class RestartTracker {
public:
    // Restarts of `child` within `window` before `now` (older ones are forgotten).
    unsigned count(std::uint64_t child, TimePoint now, Duration window);
    void record(std::uint64_t child, TimePoint now) { times_[child].push_back(now); }
    void forget(std::uint64_t child) { times_.erase(child); }

private:
    std::unordered_map<std::uint64_t, std::deque<TimePoint>> times_;
};

// `supervisor` is invalid for the root guardian. `children` are the supervisor's children (for
// all-for-one). `escalate` makes the supervisor itself fail with the child's failure.
void supervise(EngineCore& core, const SupervisorStrategy& strategy, RestartTracker& tracker, Pid supervisor,
               const std::vector<Pid>& children, Failure failure, const std::function<void(const Failure&)>& escalate);

}  // namespace actors::detail
