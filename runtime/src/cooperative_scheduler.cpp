#include "actors/cooperative_scheduler.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "timer_queue.hpp"
#include "actors/error.hpp"

namespace actors {

namespace {
// Past this, timers armed later (at most max_delay ahead) could overflow the clock's arithmetic.
bool too_far(TimePoint now, Duration d) { return d > max_delay || now > Duration::max() - max_delay - d; }
constexpr std::size_t kTurnsPerTimerCheck = 32;
}  // namespace

CooperativeScheduler::CooperativeScheduler(std::shared_ptr<Clock> clock, std::size_t throughput)
    : clock_(std::move(clock)), throughput_(throughput), timers_(std::make_unique<detail::TimerQueue>()) {
    if (!clock_) clock_ = std::make_shared<SteadyClock>();
    if (throughput_ == 0) throw InvalidArgument("scheduler throughput must be at least 1 message per turn");
}

CooperativeScheduler::~CooperativeScheduler() { shutdown(); }

void CooperativeScheduler::schedule(Runnable& r) {
    r.retain();
    {
        std::lock_guard lock(mutex_);
        if (!shut_down_) {
            ready_.push_back(&r);
            return;
        }
    }
    // After shutdown, late work (dead letters of stopped actors) runs here and now.
    while (r.run(throughput_) == Runnable::Turn::more) {
    }
    r.release();
}

TimerId CooperativeScheduler::call_after(Duration delay, std::function<void()> fn) {
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) return 0;
    }
    return timers_->add(clock_->now() + std::max(delay, Duration::zero()), std::move(fn));
}

bool CooperativeScheduler::cancel(TimerId id) { return timers_->cancel(id); }

void CooperativeScheduler::shutdown() {
    std::deque<Runnable*> left;
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) return;
        shut_down_ = true;
        left.swap(ready_);
    }
    for (Runnable* r : left) {
        while (r->run(throughput_) == Runnable::Turn::more) {
        }
        r->release();
    }
    timers_->clear();
}

template <class Stop>
std::size_t CooperativeScheduler::drive(Stop should_stop) {
    if (running_) return 0;
    running_ = true;
    struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
    } reset{running_};
    // Due timers are looked for before every turn on a manual clock (reading it is one load), but
    // only every kTurnsPerTimerCheck turns on a real one, and always before calling it idle: a
    // clock read per turn cost more than a short turn itself (a call out to JS in WebAssembly).
    const bool exact = clock_->is_manual();
    std::size_t since_check = kTurnsPerTimerCheck;
    std::size_t done = 0;
    while (!should_stop()) {
        if (exact || since_check >= kTurnsPerTimerCheck) {
            since_check = 0;
            if (auto fn = timers_->pop_due(clock_->now())) {
                (*fn)();
                ++done;
                continue;
            }
        }
        Runnable* r = nullptr;
        {
            std::lock_guard lock(mutex_);
            if (!ready_.empty()) {
                r = ready_.front();
                ready_.pop_front();
            }
        }
        if (!r) {
            if (since_check == 0) break;  // timers were just looked at too: idle
            since_check = kTurnsPerTimerCheck;
            continue;
        }
        ++since_check;
        ++done;
        if (r->run(throughput_) == Runnable::Turn::more) {
            std::lock_guard lock(mutex_);
            ready_.push_back(r);  // keeps its reference
        } else {
            r->release();
        }
    }
    return done;
}

std::size_t CooperativeScheduler::run_until_idle() {
    return drive([] { return false; });
}

std::size_t CooperativeScheduler::run_for(Duration wall_budget) {
    using std::chrono::steady_clock;
    steady_clock::time_point looked = steady_clock::now();
    const steady_clock::time_point deadline = looked + wall_budget;
    // Reading the clock is a call out to JavaScript in WebAssembly, which in a browser costs more
    // than a short turn (a third of a tick that starts thousands of actors). So the clock is read
    // before the first turn, and then after a number of turns that doubles (up to kMaxStride) while
    // the turns since the last look took under 1/16 of the budget left, and drops back to every
    // turn as soon as they did not: the budget is overrun by at most about that sixteenth unless a
    // single turn suddenly takes longer than the many before it.
    constexpr std::size_t kMaxStride = 64;
    std::size_t stride = 0;  // no turn run yet
    std::size_t left = 1;
    return drive([&] {
        if (--left > 0) return false;
        const steady_clock::time_point now = steady_clock::now();
        if (now >= deadline) return true;
        const bool short_turns = stride > 0 && (now - looked) * 16 < deadline - now;
        stride = short_turns ? std::min(stride * 2, kMaxStride) : 1;
        left = stride;
        looked = now;
        return false;
    });
}

std::size_t CooperativeScheduler::advance(Duration d) {
    if (!clock_->is_manual())
        throw std::logic_error("advance() moves virtual time and needs a ManualClock (EngineConfig::deterministic)");
    if (d < Duration::zero()) throw InvalidArgument("advance() cannot move time backwards");
    if (too_far(clock_->now(), d))
        throw InvalidArgument("advance() by more than 100 years (actors::max_delay), or past the end of the clock's range");
    if (running_) throw std::logic_error("advance() called from inside an actor's turn or a timer; call it from the driving loop");
    auto& manual = static_cast<ManualClock&>(*clock_);
    const TimePoint target = manual.now() + d;
    std::size_t done = run_until_idle();
    // Step to each due time in turn, so every timer observes exactly its own due time.
    while (auto due = timers_->next_due()) {
        if (*due > target) break;
        if (*due > manual.now()) manual.set(*due);
        done += run_until_idle();
    }
    manual.set(target);
    return done + run_until_idle();
}

bool CooperativeScheduler::has_ready_work() const {
    std::lock_guard lock(mutex_);
    return !ready_.empty();
}

std::optional<TimePoint> CooperativeScheduler::next_timer_due() const { return timers_->next_due(); }
std::size_t CooperativeScheduler::pending_timers() const { return timers_->size(); }

}  // namespace actors
