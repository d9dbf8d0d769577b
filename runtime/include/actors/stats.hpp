#pragma once
// Stats sampling: every `interval` the engine publishes one StatsSampled event carrying the
// engine counters and, for each actor whose mailbox or counters moved since the previous sample,
// its depth and counters. Observers that only fold events (the dashboard) get message rates and
// mailbox depths this way without ever reaching into the engine. Off by default: a sample walks
// every live actor, which the hot path should not pay for unless someone is watching.

#include <chrono>

#include "actors/clock.hpp"

namespace actors {

struct StatsOptions {
    bool enabled = false;
    Duration interval = std::chrono::milliseconds(250);

    void validate() const;  // throws InvalidArgument for a non-positive interval
};

}  // namespace actors
