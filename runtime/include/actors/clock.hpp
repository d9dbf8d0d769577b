#pragma once
// Clock: the time seam. The engine never reads the system clock directly, so tests can run on
// virtual time and the browser build can use the page's clock.

#include <atomic>
#include <chrono>
#include <memory>

namespace actors {

// All engine times are durations since the clock's own epoch (its creation).
using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::nanoseconds;

// The longest delay, interval or timeout the engine accepts (100 years). Longer ones are refused
// with InvalidArgument: added to the clock's nanoseconds they would overflow.
inline constexpr Duration max_delay = std::chrono::hours(24 * 365 * 100);

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint now() const noexcept = 0;
    // A manual clock only moves when told to; schedulers use this to refuse combinations that
    // could never make progress (a thread pool waiting on time nobody advances).
    [[nodiscard]] virtual bool is_manual() const noexcept { return false; }
};

// Monotonic wall time (std::chrono::steady_clock), starting at zero when constructed.
class SteadyClock final : public Clock {
public:
    SteadyClock() noexcept;
    [[nodiscard]] TimePoint now() const noexcept override;

private:
    std::chrono::steady_clock::time_point epoch_;
};

// Virtual time for deterministic tests: starts at zero and moves only through advance()/set().
// Driven through CooperativeScheduler::advance(), which fires each due timer at its exact time.
class ManualClock final : public Clock {
public:
    [[nodiscard]] TimePoint now() const noexcept override { return TimePoint{now_.load(std::memory_order_acquire)}; }
    [[nodiscard]] bool is_manual() const noexcept override { return true; }
    // Moving backwards is refused (time is monotonic for every observer): throws InvalidArgument.
    void set(TimePoint t);
    void advance(Duration d) { set(now() + d); }

private:
    std::atomic<std::int64_t> now_{0};
};

}  // namespace actors
