#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "actors/clock.hpp"
#include "actors/scheduler.hpp"

namespace actors {

struct EngineConfig {
    SchedulerKind scheduler = SchedulerKind::thread_pool;
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

    // Throws std::invalid_argument naming the field and what to change.
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
