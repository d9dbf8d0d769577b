#pragma once
// TimerHandle: cancels a send_after / send_repeat. Copies refer to the same timer; dropping every
// copy does NOT cancel it (fire-and-forget timers are common). Timers made through a Context
// belong to that actor and are cancelled when it stops or restarts.

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "actors/clock.hpp"
#include "actors/error.hpp"
#include "actors/message.hpp"
#include "actors/scheduler.hpp"

namespace actors {

namespace detail {
struct TimerState {
    std::atomic<TimerId> id{0};
    std::atomic<bool> cancelled{false};
    std::atomic<bool> finished{false};  // a one-shot that fired
    std::function<bool(TimerId)> cancel_fn;  // reaches the scheduler, if the engine still exists
};
// The message a timer sends, rebuilt for each firing from a copy kept by the timer.
template <class M>
std::function<std::unique_ptr<Message>()> timer_message_factory(Pid from, M msg) {
    using T = message_t<M>;
    static_assert(std::is_copy_constructible_v<T>, "a timer message is sent again on each firing, so it must be copyable");
    return [from, m = T(std::move(msg))] { return make_message<T>(from, m); };
}

inline void require_repeat_interval(Duration interval) {
    if (interval <= Duration::zero()) throw InvalidArgument("send_repeat: the interval must be positive");
}

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
