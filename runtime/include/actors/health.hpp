#pragma once
// Health: an actor is unhealthy while any of these signals is raised, and an ActorUnhealthy /
// ActorHealthy event marks each transition of each signal, carrying what was measured.
//  - check_failed: the actor's own predicate (Context::enable_health_check) returned false.
//  - mailbox_lag:  its oldest queued message has waited longer than HealthOptions::mailbox_lag.
//  - slow_handler: one handler call has run longer than HealthOptions::slow_handler (native
//                  thread pool; a cooperative engine cannot look while a handler runs).
// The engine's monitor samples every HealthOptions::interval; lag and handler time are measured
// to within that interval.

#include <chrono>
#include <cstdint>

#include "actors/clock.hpp"

namespace actors {

enum class HealthSignal : std::uint8_t { check_failed = 1, mailbox_lag = 2, slow_handler = 4 };
[[nodiscard]] const char* to_string(HealthSignal s) noexcept;

struct HealthOptions {
    bool enabled = true;
    Duration interval = std::chrono::milliseconds(100);
    Duration mailbox_lag = std::chrono::seconds(1);
    Duration slow_handler = std::chrono::seconds(1);

    void validate() const;  // throws InvalidArgument for non-positive durations
};

}  // namespace actors
