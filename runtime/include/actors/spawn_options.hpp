#pragma once

#include <optional>

#include "actors/mailbox_options.hpp"
#include "actors/middleware.hpp"
#include "actors/supervision.hpp"

namespace actors {

struct SpawnOptions {
    MailboxOptions mailbox{};
    // How this actor supervises its children; absent: EngineConfig::default_supervisor.
    std::optional<SupervisorStrategy> supervisor;
    // Receive interceptors for this actor, outermost first (inside the engine-wide ones).
    MiddlewareChain middleware;
};

}  // namespace actors
