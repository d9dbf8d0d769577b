#include "actors/clock.hpp"

#include <stdexcept>
#include <string>

#include "actors/error.hpp"

namespace actors {

SteadyClock::SteadyClock() noexcept : epoch_(std::chrono::steady_clock::now()) {}

TimePoint SteadyClock::now() const noexcept {
    return std::chrono::duration_cast<TimePoint>(std::chrono::steady_clock::now() - epoch_);
}

void ManualClock::set(TimePoint t) {
    std::int64_t current = now_.load(std::memory_order_acquire);
    if (t.count() < current)
        throw InvalidArgument("ManualClock cannot go backwards (from " + std::to_string(current) + " ns to " +
                                    std::to_string(t.count()) + " ns)");
    now_.store(t.count(), std::memory_order_release);
}

}  // namespace actors
