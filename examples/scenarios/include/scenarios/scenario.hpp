#pragma once
// Demo scenarios for the dashboard, shared by the native app and the web page.
//
// A scenario is one supervision tree under a top-level actor named after it ("worker-pool", ...).
// Its load comes from timers inside the engine, so it runs the same on the native thread pool and
// on the cooperative scheduler a browser page drives in ticks; nothing outside has to pump it.
// Randomness (crashes, chatter, churn) comes from EngineConfig::random_seed, so on a cooperative
// engine a run repeats exactly.
//
// Every control is called from outside the engine (the UI thread), never from inside an actor.
// A Scenario keeps no state that its actors share: it finds them in the engine's actor table, so
// it may be destroyed while its actors run (stop() them first to remove them).

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "actors/engine.hpp"
#include "actors/future.hpp"
#include "actors/pid.hpp"
#include "scenarios/messages.hpp"

namespace actors::scenarios {

struct ScenarioInfo {
    std::string name;         // as on the command line: "worker-pool"
    std::string title;        // for a picker: "Supervised worker pool"
    std::string description;  // what to watch for, one paragraph
};

class Scenario {
public:
    virtual ~Scenario() = default;

    [[nodiscard]] virtual const ScenarioInfo& info() const = 0;

    // Spawns the scenario's tree and its load. Throws std::logic_error if it is already running
    // on that engine, RuntimeError(engine_stopped) on a shut-down engine.
    virtual void start(Engine& engine) = 0;

    // The "spawn" button: one more actor of the scenario's kind (a worker, a pair of players, a
    // generator, a producer, a chat user). It is a child inside the scenario's tree, which only
    // its parent can spawn, on its own turn: so the answer is a Future, completed with the new
    // actor's Pid once the parent has run (then(), or result() after driving a cooperative engine).
    virtual Future<Pid> spawn(Engine& engine) = 0;

    // Sends Crash to `target`, or to one of the scenario's actors picked at random (seeded). Returns
    // who was sent the crash; nothing if there was nobody or the send was refused.
    virtual std::optional<Pid> crash(Engine& engine, std::optional<Pid> target = std::nullopt) = 0;

    // The "send storm" button: `messages` messages at once to the scenario's actors, of the kinds
    // its load is made of (some are meant to overflow or dead-letter). Returns how many were sent.
    virtual std::size_t storm(Engine& engine, std::size_t messages) = 0;

    // Stops the scenario's tree (children first); start() may be called again afterwards.
    // On the thread pool the actors finish stopping shortly after this returns.
    virtual void stop(Engine& engine) = 0;
};

// All five, in a stable order: worker-pool, ping-pong, dead-letters, slow-consumer, chat-room.
[[nodiscard]] std::span<const ScenarioInfo> list();

// A fresh, not yet started scenario. An unknown name throws InvalidArgument listing
// the valid names.
[[nodiscard]] std::unique_ptr<Scenario> make(std::string_view name);

}  // namespace actors::scenarios
