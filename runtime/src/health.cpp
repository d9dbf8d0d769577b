#include "actors/health.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "cell.hpp"
#include "health_monitor.hpp"
#include "actors/error.hpp"

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
    if (interval <= Duration::zero()) throw InvalidArgument("HealthOptions: interval must be positive");
    if (mailbox_lag <= Duration::zero()) throw InvalidArgument("HealthOptions: mailbox_lag must be positive");
    if (slow_handler <= Duration::zero()) throw InvalidArgument("HealthOptions: slow_handler must be positive");
    if (interval > max_delay || mailbox_lag > max_delay || slow_handler > max_delay)
        throw InvalidArgument("HealthOptions: interval, mailbox_lag and slow_handler must be at most 100 years (actors::max_delay)");
}

namespace detail {

Duration HealthMonitor::mailbox_lag(TimePoint now, const Cell& cell) const noexcept {
    // A stamp left on an actor whose messages are all gone is not a wait.
    const std::int64_t oldest = cell.oldest_queued_at();
    return oldest && cell.has_backlog() ? Duration{now.count() - oldest} : Duration::zero();
}

Duration HealthMonitor::handler_running(TimePoint now, const Cell& cell) const noexcept {
    const std::int64_t started = measure_handlers_ ? cell.handler_started_at() : 0;
    return started ? Duration{now.count() - started} : Duration::zero();
}

void HealthMonitor::tick(TimePoint now, const std::vector<Ref<Cell>>& cells, EventStream& events) const {
    // Every 100 ms over every actor: no sort of the whole table (most ticks change nothing), but
    // the few that changed are published in id order, as before.
    std::vector<Ref<Cell>> changed;
    for (const Ref<Cell>& cell : cells) {
        const std::uint8_t before = cell->health();
        const bool lagging = (before & static_cast<std::uint8_t>(HealthSignal::mailbox_lag)) != 0;
        const bool slow = (before & static_cast<std::uint8_t>(HealthSignal::slow_handler)) != 0;
        if (lagging != (mailbox_lag(now, *cell) > options_.mailbox_lag) ||
            slow != (handler_running(now, *cell) > options_.slow_handler))
            changed.push_back(cell);
    }
    std::sort(changed.begin(), changed.end(), [](const Ref<Cell>& a, const Ref<Cell>& b) { return a->pid().id < b->pid().id; });
    for (const Ref<Cell>& cell : changed) {
        const Duration lag = mailbox_lag(now, *cell);
        if (cell->set_health(HealthSignal::mailbox_lag, lag > options_.mailbox_lag)) {
            if (lag > options_.mailbox_lag)
                events.publish(ActorUnhealthy{cell->pid(), HealthSignal::mailbox_lag, lag, "oldest message waiting " + std::to_string(lag.count() / 1000000) + " ms"});
            else
                events.publish(ActorHealthy{cell->pid(), HealthSignal::mailbox_lag, lag});
        }
        const Duration running = handler_running(now, *cell);
        if (cell->set_health(HealthSignal::slow_handler, running > options_.slow_handler)) {
            if (running > options_.slow_handler)
                events.publish(ActorUnhealthy{cell->pid(), HealthSignal::slow_handler, running, "handler running for " + std::to_string(running.count() / 1000000) + " ms"});
            else
                events.publish(ActorHealthy{cell->pid(), HealthSignal::slow_handler, running});
        }
    }
}

}  // namespace detail

}  // namespace actors
