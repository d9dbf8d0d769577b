#include "scenarios/inspector.hpp"

#include "scenarios/messages.hpp"

namespace actors::scenarios {

void stop_actor(Engine& engine, Pid pid) { engine.stop(pid); }

SendStatus inject_failure(Engine& engine, Pid pid, std::string reason) { return engine.send(pid, Crash{std::move(reason)}); }

SendStatus poke(Engine& engine, Pid pid, std::string text) { return engine.send(pid, Poke{std::move(text)}); }

Future<Pid> spawn_child(Engine& engine, Pid parent) { return engine.request(parent, SpawnChild{}); }

}  // namespace actors::scenarios
