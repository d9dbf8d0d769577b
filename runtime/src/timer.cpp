#include "actors/timer.hpp"

#include <stdexcept>
#include <string>

#include "engine_core.hpp"
#include "actors/error.hpp"

namespace actors {

bool TimerHandle::cancel() {
    if (!state_) return false;
    if (state_->cancelled.exchange(true, std::memory_order_acq_rel)) return false;
    if (state_->finished.load(std::memory_order_acquire)) return false;
    if (state_->cancel_fn) state_->cancel_fn(state_->id.load(std::memory_order_acquire));
    return true;
}

bool TimerHandle::active() const noexcept {
    return state_ && !state_->cancelled.load(std::memory_order_acquire) && !state_->finished.load(std::memory_order_acquire);
}

namespace detail {

// Timer arming. Every closure holds the core weakly: a timer must not keep a dropped engine alive,
// and one that fires after the engine is gone does nothing.

std::shared_ptr<TimerState> EngineCore::timer_new() {
    auto timer = std::make_shared<TimerState>();
    timer->cancel_fn = [weak = weak_from_this()](TimerId id) {
        auto core = weak.lock();
        return core && core->scheduler().cancel(id);
    };
    return timer;
}

void EngineCore::timer_once_system(Duration delay, Pid to, MessageFactory make) {
    scheduler_->call_after(delay, [weak = weak_from_this(), to, make = std::move(make)] {
        if (auto core = weak.lock()) core->send_system(to, make());
    });
}

std::shared_ptr<TimerState> EngineCore::timer_every_system(Duration interval, Pid to, MessageFactory make) {
    auto timer = timer_new();
    timer_arm_message(timer, interval, interval, to, std::make_shared<MessageFactory>(std::move(make)), true);
    return timer;
}

std::shared_ptr<TimerState> EngineCore::timer_user(Duration delay, Duration interval, Pid to, MessageFactory make) {
    if (delay < Duration::zero()) throw InvalidArgument("send_after: the delay must not be negative");
    if (interval < Duration::zero()) throw InvalidArgument("send_repeat: the interval must be positive");
    if (delay > max_delay || interval > max_delay)
        throw InvalidArgument(std::string(interval > Duration::zero() ? "send_repeat: the interval" : "send_after: the delay") +
                                    " must be at most 100 years (actors::max_delay); cancel the timer instead of waiting forever");
    auto timer = timer_new();
    timer_arm_message(timer, delay, interval, to, std::make_shared<MessageFactory>(std::move(make)), false);
    return timer;
}

void EngineCore::timer_arm_message(const std::shared_ptr<TimerState>& timer, Duration delay, Duration interval, Pid to,
                                   std::shared_ptr<MessageFactory> make, bool system) {
    TimerId id = scheduler_->call_after(delay, [weak = weak_from_this(), timer, interval, to, make, system] {
        if (timer->cancelled.load(std::memory_order_acquire)) return;
        auto core = weak.lock();
        if (!core) return;
        if (interval <= Duration::zero()) timer->finished.store(true, std::memory_order_release);
        if (system) core->send_system(to, (*make)());
        else core->send(to, (*make)());
        // Re-armed from when it fired, so under virtual time a repeat fires at exact multiples.
        if (interval > Duration::zero() && !timer->cancelled.load(std::memory_order_acquire))
            core->timer_arm_message(timer, interval, interval, to, make, system);
    });
    timer->id.store(id, std::memory_order_release);
    // A cancel that raced with re-arming saw the old id; make sure the new one dies too.
    if (timer->cancelled.load(std::memory_order_acquire)) scheduler_->cancel(id);
}

std::shared_ptr<TimerState> EngineCore::timer_every_tick(Duration interval, Tick tick) {
    // A repeating timer, not a thread: on a cooperative engine it runs when time is driven.
    auto timer = timer_new();
    timer_arm_tick(timer, interval, tick);
    return timer;
}

void EngineCore::timer_arm_tick(const std::shared_ptr<TimerState>& timer, Duration interval, Tick tick) {
    TimerId id = scheduler_->call_after(interval, [weak = weak_from_this(), timer, interval, tick] {
        if (timer->cancelled.load(std::memory_order_acquire)) return;
        if (auto core = weak.lock()) {
            (core.get()->*tick)();
            if (!timer->cancelled.load(std::memory_order_acquire)) core->timer_arm_tick(timer, interval, tick);
        }
    });
    timer->id.store(id, std::memory_order_release);
}

}  // namespace detail

}  // namespace actors
