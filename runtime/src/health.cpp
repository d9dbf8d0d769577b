#include "actors/health.hpp"

#include <stdexcept>

namespace actors {

const char* to_string(HealthSignal s) noexcept {
    switch (s) {
        case HealthSignal::check_failed: return "check_failed";
        case HealthSignal::mailbox_lag: return "mailbox_lag";
        case HealthSignal::slow_handler: return "slow_handler";
    }
    return "unknown";
}

void HealthOptions::validate() const {
    if (!enabled) return;
    if (interval <= Duration::zero()) throw std::invalid_argument("HealthOptions: interval must be positive");
    if (mailbox_lag <= Duration::zero()) throw std::invalid_argument("HealthOptions: mailbox_lag must be positive");
    if (slow_handler <= Duration::zero()) throw std::invalid_argument("HealthOptions: slow_handler must be positive");
    if (interval > max_delay || mailbox_lag > max_delay || slow_handler > max_delay)
        throw std::invalid_argument("HealthOptions: interval, mailbox_lag and slow_handler must be at most 100 years (actors::max_delay)");
}

}  // namespace actors
