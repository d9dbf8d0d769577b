#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "actors/clock.hpp"
#include "actors/health.hpp"
#include "actors/middleware.hpp"
#include "actors/supervision.hpp"
#include "actors/scheduler.hpp"
#include "actors/stats.hpp"

namespace actors {

struct EngineConfig {
    SchedulerKind scheduler = default_scheduler_kind();
    // Thread pool only; 0 = one per hardware thread.
    unsigned worker_threads = 0;
    // For actors spawned without their own capacity. Bounded by default: an unbounded mailbox
    // hides a slow consumer until memory runs out. Pass actors::unbounded to opt out.
    std::size_t default_mailbox_capacity = 65536;
    // Events kept for read_since(); older ones are overwritten (readers are told how many).
    std::size_t event_ring_capacity = 65536;
    // Messages an actor may handle in one turn before others get the thread.
    std::size_t throughput = 64;
    Duration default_request_timeout = std::chrono::seconds(5);
    // Defaults to a SteadyClock. A ManualClock requires the cooperative scheduler.
    std::shared_ptr<Clock> clock;
    // Decides for top-level actors (the root guardian). Default: restart at once, at most 10
    // times a minute, then stop.
    SupervisorStrategy root_supervisor;
    // For children of actors spawned without SpawnOptions::supervisor.
    SupervisorStrategy default_supervisor;
    // Around every actor's receive, outside its own middleware.
    MiddlewareChain middleware;
    HealthOptions health;
    // Periodic StatsSampled events (rates and mailbox depths for observers); off by default.
    StatsOptions stats;
    // Seeds the jitter of restart backoff (and random routing), so runs can be repeated.
    std::uint64_t random_seed = 0x5eed;

    // Throws InvalidArgument (a std::invalid_argument; see error.hpp) naming the field and what to change.
    void validate() const;

    [[nodiscard]] static EngineConfig cooperative() {
        EngineConfig c;
        c.scheduler = SchedulerKind::cooperative;
        return c;
    }
    // Deterministic tests: cooperative scheduler on a ManualClock.
    [[nodiscard]] static EngineConfig deterministic(std::shared_ptr<ManualClock> clock) {
        EngineConfig c = cooperative();
        c.clock = std::move(clock);
        return c;
    }
};

}  // namespace actors
