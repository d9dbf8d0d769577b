#pragma once
// Reproduces the snapshot's window deterministically: an engine on the cooperative scheduler
// whose clock, once armed, runs a hook on its next reading. Engine::snapshot() reads the clock
// (the snapshot's time) after the sequence number and before the actors, so the hook - send a
// message that makes an actor fail, and run the engine - publishes its events inside that window.

#include <functional>
#include <memory>
#include <stdexcept>
#include <utility>

#include "actors/actors.hpp"

namespace actors::testing {

class WindowClock final : public Clock {
public:
    [[nodiscard]] TimePoint now() const noexcept override {
        if (hook_) std::exchange(hook_, {})();  // cleared first: the hook's own events read the clock too
        return TimePoint{};
    }
    void arm(std::function<void()> hook) { hook_ = std::move(hook); }
    [[nodiscard]] bool armed() const noexcept { return static_cast<bool>(hook_); }

private:
    mutable std::function<void()> hook_;
};

// An actor that fails on a negative int, restarted at once by the root supervisor.
struct SnapshotWindow {
    std::shared_ptr<WindowClock> clock = std::make_shared<WindowClock>();
    Engine engine{config(clock)};
    Pid flaky = engine.spawn_fn("flaky", [](Context&, Message& m) {
        if (const int* v = m.as<int>(); v && *v < 0) throw std::runtime_error("negative");
    });

    static EngineConfig config(std::shared_ptr<WindowClock> c) {
        EngineConfig cfg = EngineConfig::cooperative();
        cfg.clock = std::move(c);
        return cfg;
    }

    // A snapshot during which `flaky` fails (and is restarted) and `late` is spawned.
    Snapshot snapshot_with_a_failure_inside() {
        engine.run_until_idle();
        clock->arm([this] {
            engine.send(flaky, -1);
            engine.spawn_fn("late", [](Context&, Message&) {});
            engine.run_until_idle();
        });
        Snapshot s = engine.snapshot();
        if (clock->armed()) throw std::logic_error("snapshot() did not read the clock: the window was not reproduced");
        return s;
    }
};

}  // namespace actors::testing
