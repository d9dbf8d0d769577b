#pragma once
// Scheduler: the one platform seam. It decides which thread runs which actor's turn, and owns the
// timers. Two implementations: ThreadPoolScheduler (native, N workers) and CooperativeScheduler
// (one thread that the host drives: the browser's main loop, or a deterministic test).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "actors/clock.hpp"

namespace actors {

enum class SchedulerKind : std::uint8_t { thread_pool, cooperative };

// What this build can run by default: the thread pool natively, the cooperative scheduler where
// there are no threads (the single-threaded WebAssembly build). Defined by the scheduler seam.
[[nodiscard]] SchedulerKind default_scheduler_kind() noexcept;

// Something with work to do in turns: an actor's mailbox. The scheduler keeps it alive (retain)
// from schedule() until the turn that returns idle has finished.
class Runnable {
public:
    enum class Turn : std::uint8_t { idle, more };
    // Do at most `budget` units of work. `idle` hands ownership back (the runnable will be
    // scheduled again when new work arrives); `more` asks to be run again later.
    virtual Turn run(std::size_t budget) = 0;
    virtual void retain() noexcept = 0;
    virtual void release() noexcept = 0;

protected:
    ~Runnable() = default;
};

using TimerId = std::uint64_t;

class Scheduler {
public:
    virtual ~Scheduler() = default;
    [[nodiscard]] virtual SchedulerKind kind() const noexcept = 0;
    [[nodiscard]] virtual const Clock& clock() const noexcept = 0;

    // Make `r` runnable. Called once per idle -> busy transition. After shutdown() the turn runs
    // at once on the calling thread, so work that arrives late (messages to stopped actors that
    // must become dead letters) is never stranded.
    virtual void schedule(Runnable& r) = 0;

    // Call `fn` once, `delay` from now (a delay <= 0 means as soon as possible). Timer callbacks
    // must be short and thread-safe: they run on the timer thread (thread pool) or the driving
    // thread (cooperative).
    virtual TimerId call_after(Duration delay, std::function<void()> fn) = 0;
    // True if the timer had not fired yet and now never will.
    virtual bool cancel(TimerId id) = 0;

    // Stop the threads (idempotent). Pending timers are discarded.
    virtual void shutdown() = 0;
};

}  // namespace actors
