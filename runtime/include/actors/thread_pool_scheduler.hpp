#pragma once
// ThreadPoolScheduler: N worker threads, each with its own run queue. An actor made runnable by
// a worker goes on that worker's queue (actors that talk stay on one core; the most recent one
// runs next, which makes request/reply and ping-pong hops cheap); idle workers steal from the
// others; external threads spread work round-robin. Workers spin briefly before sleeping, and
// a sleeping worker is woken only when work arrives and nobody is awake to take it.
// A turn runs at most `throughput` messages, so one busy actor cannot starve the rest.

#include <memory>

#include "actors/scheduler.hpp"

namespace actors {

class ThreadPoolScheduler final : public Scheduler {
public:
    // Throws InvalidArgument for 0 or more than 1024 workers, or a manual clock (nobody
    // would advance it while workers wait on it).
    ThreadPoolScheduler(unsigned workers, std::shared_ptr<Clock> clock, std::size_t throughput = 64);
    ~ThreadPoolScheduler() override;

    [[nodiscard]] SchedulerKind kind() const noexcept override { return SchedulerKind::thread_pool; }
    [[nodiscard]] const Clock& clock() const noexcept override;
    void schedule(Runnable& r) override;
    TimerId call_after(Duration delay, std::function<void()> fn) override;
    bool cancel(TimerId id) override;
    void shutdown() override;

    [[nodiscard]] unsigned worker_count() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace actors
