#pragma once
// HealthMonitor: the engine-wide health signals (mailbox lag, slow handler). Each tick compares
// every actor's oldest queued message and running handler with HealthOptions and publishes an
// ActorUnhealthy / ActorHealthy event for each signal that changed. Implemented in health.cpp;
// the engine drives it from a repeating timer (EngineCore::start_monitor).

#include <vector>

#include "actors/clock.hpp"
#include "actors/event_stream.hpp"
#include "actors/health.hpp"
#include "ref.hpp"

namespace actors::detail {

class Cell;

class HealthMonitor {
public:
    // `measure_handlers` is false on a cooperative engine: a handler there runs on the thread
    // that would time it, so nobody can see it running long.
    HealthMonitor(HealthOptions options, bool measure_handlers) : options_(options), measure_handlers_(measure_handlers) {}

    void tick(TimePoint now, const std::vector<Ref<Cell>>& cells, EventStream& events) const;

private:
    [[nodiscard]] Duration mailbox_lag(TimePoint now, const Cell& cell) const noexcept;
    [[nodiscard]] Duration handler_running(TimePoint now, const Cell& cell) const noexcept;

    HealthOptions options_;
    bool measure_handlers_;
};

}  // namespace actors::detail
