#pragma once
// CooperativeScheduler: everything runs on the thread that drives it, only when driven. The
// browser build runs it from the page's event loop with a time budget per tick; tests run it
// with a ManualClock for exact, repeatable virtual time. Other threads may still send (the
// run queue is locked), but only the driving thread runs actors and timers.

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "actors/scheduler.hpp"

namespace actors {

namespace detail {
class TimerQueue;
}

class CooperativeScheduler final : public Scheduler {
public:
    explicit CooperativeScheduler(std::shared_ptr<Clock> clock, std::size_t throughput = 64);
    ~CooperativeScheduler() override;

    [[nodiscard]] SchedulerKind kind() const noexcept override { return SchedulerKind::cooperative; }
    [[nodiscard]] const Clock& clock() const noexcept override { return *clock_; }
    void schedule(Runnable& r) override;
    TimerId call_after(Duration delay, std::function<void()> fn) override;
    bool cancel(TimerId id) override;
    void shutdown() override;

    // Run actor turns and due timers until there is nothing left to do now. Returns the number of
    // turns and timers run. Does not move time.
    std::size_t run_until_idle();
    // Like run_until_idle, but returns once `wall_budget` of real time is spent (the browser tick).
    std::size_t run_for(Duration wall_budget);
    // Manual clock only (else throws std::logic_error): move virtual time forward by `d`, stopping
    // at each timer's due time to fire it and run everything it caused, so timers see exact times.
    std::size_t advance(Duration d);

    [[nodiscard]] bool has_ready_work() const;
    // When the next timer is due (engine time), if any; lets a host sleep exactly that long.
    [[nodiscard]] std::optional<TimePoint> next_timer_due() const;
    [[nodiscard]] std::size_t pending_timers() const;

private:
    template <class Stop>
    std::size_t drive(Stop should_stop);

    std::shared_ptr<Clock> clock_;
    std::size_t throughput_;
    mutable std::mutex mutex_;
    std::deque<Runnable*> ready_;
    std::unique_ptr<detail::TimerQueue> timers_;
    bool shut_down_ = false;
    bool running_ = false;  // re-entrant drive() calls run nothing (a handler must not drive)
};

}  // namespace actors
