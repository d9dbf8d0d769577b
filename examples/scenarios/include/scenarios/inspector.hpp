#pragma once
// The inspector's actions, for any actor: demo actors answer all of them; any other actor just
// stops, or ignores what it does not understand.

#include <string>

#include "actors/engine.hpp"
#include "actors/future.hpp"
#include "actors/pid.hpp"
#include "actors/send_status.hpp"

namespace actors::scenarios {

// Stop now: its children stop first, its queued messages become dead letters.
void stop_actor(Engine& engine, Pid pid);

// Sends Crash: the actor's handler throws, and its supervisor decides (restart, stop, ...).
SendStatus inject_failure(Engine& engine, Pid pid, std::string reason = "failure injected from the inspector");

// Sends a harmless Poke.
SendStatus poke(Engine& engine, Pid pid, std::string text = "poke from the inspector");

// Asks the actor to spawn a demo child; completes with the child's Pid (no_reply from an actor
// that is not a demo actor).
Future<Pid> spawn_child(Engine& engine, Pid parent);

}  // namespace actors::scenarios
