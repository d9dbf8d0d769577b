#include "actors/timer.hpp"

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

}  // namespace actors
