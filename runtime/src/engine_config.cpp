#include "actors/engine_config.hpp"

#include <stdexcept>
#include <string>

#include "actors/error.hpp"

namespace actors {

void EngineConfig::validate() const {
    auto bad = [](const std::string& what) { throw InvalidArgument("EngineConfig: " + what); };
    if (scheduler == SchedulerKind::thread_pool && worker_threads > 1024)
        bad("worker_threads = " + std::to_string(worker_threads) + " is absurd; use 1..1024, or 0 for one per hardware thread");
    if (default_mailbox_capacity == 0) bad("default_mailbox_capacity must be at least 1 (use actors::unbounded for no limit)");
    if (event_ring_capacity == 0) bad("event_ring_capacity must be at least 1");
    if (event_ring_capacity > (std::size_t{1} << 26)) bad("event_ring_capacity above 67,108,864 events is not supported");
    if (throughput == 0) bad("throughput (messages per actor turn) must be at least 1");
    if (default_request_timeout <= Duration::zero()) bad("default_request_timeout must be positive");
    if (default_request_timeout > max_delay) bad("default_request_timeout must be at most 100 years (actors::max_delay)");
    health.validate();
    stats.validate();
    root_supervisor.restart.validate();
    default_supervisor.restart.validate();
    for (const Middleware& m : middleware)
        if (!m) bad("middleware contains an empty function");
    if (clock && clock->is_manual() && scheduler != SchedulerKind::cooperative)
        bad("a ManualClock needs the cooperative scheduler (the thread pool's timers would wait for time nobody advances)");
}

}  // namespace actors
