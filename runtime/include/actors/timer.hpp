#pragma once
// TimerHandle: cancels a send_after / send_repeat. Copies refer to the same timer; dropping every
// copy does NOT cancel it (fire-and-forget timers are common). Timers made through a Context
// belong to that actor and are cancelled when it stops or restarts.

#include <atomic>
#include <functional>
#include <memory>

#include "actors/scheduler.hpp"

namespace actors {

namespace detail {
struct TimerState {
    std::atomic<TimerId> id{0};
    std::atomic<bool> cancelled{false};
    std::atomic<bool> finished{false};  // a one-shot that fired
    std::function<bool(TimerId)> cancel_fn;  // reaches the scheduler, if the engine still exists
};
}  // namespace detail

class TimerHandle {
public:
    TimerHandle() = default;
    explicit TimerHandle(std::shared_ptr<detail::TimerState> s) : state_(std::move(s)) {}

    // True if this call stopped a timer that would still have fired.
    bool cancel();
    // False once cancelled, or once a one-shot timer has fired.
    [[nodiscard]] bool active() const noexcept;

private:
    std::shared_ptr<detail::TimerState> state_;
};

}  // namespace actors
