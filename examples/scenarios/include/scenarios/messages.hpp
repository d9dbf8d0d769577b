#pragma once
// The messages every demo actor understands, so the dashboard's inspector can act on any actor of
// any scenario without knowing which one spawned it.

#include <string>

#include "actors/pid.hpp"

namespace actors::scenarios {

// The handler throws std::runtime_error(reason): a failure its supervisor handles like any other.
struct Crash {
    std::string reason = "crash requested";
};

// Harmless: handled and counted by the runtime like any message, nothing else happens.
struct Poke {
    std::string text;
};

// Spawns a demo child (itself inspectable) under the receiving actor. Sent as a request, the
// answer is the child's Pid; sent plainly, nobody is told.
struct SpawnChild {
    using Response = Pid;
};

}  // namespace actors::scenarios
