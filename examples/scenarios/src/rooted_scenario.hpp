#pragma once
// RootedScenario: what the five scenarios share. Each is one tree under a top-level root actor;
// stopping the root stops the scenario, children first. The controls find actors by walking that
// tree in the engine's actor table, so the Scenario object shares no state with its actors and
// can be called from the UI thread while they run on the thread pool.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/engine.hpp"
#include "random.hpp"
#include "scenarios/scenario.hpp"

namespace actors::scenarios::detail {

// Asks a scenario's root for one more actor of the scenario's kind; answered with its Pid.
struct AddMember {
    using Response = Pid;
};

class RootedScenario : public Scenario {
public:
    explicit RootedScenario(const ScenarioInfo& info) : info_(info) {}

    [[nodiscard]] const ScenarioInfo& info() const override { return info_; }
    void start(Engine& engine) override;
    Future<Pid> spawn(Engine& engine) override;
    std::optional<Pid> crash(Engine& engine, std::optional<Pid> target) override;
    void stop(Engine& engine) override;

protected:
    // The root actor: spawns the scenario in started() and answers AddMember.
    [[nodiscard]] virtual Producer root_producer() const = 0;
    // How the root supervises the scenario's actors (its children); may depend on the engine's
    // configuration.
    [[nodiscard]] virtual SpawnOptions root_options(const Engine&) const { return {}; }
    // Whether crash() may pick an actor with this leaf name ("worker-3").
    [[nodiscard]] virtual bool crashable(std::string_view leaf) const = 0;

    // Throws std::logic_error unless start() was called (and stop() was not).
    void require_started() const;
    // A live actor by its path under the root ("pool", "room-1").
    [[nodiscard]] std::optional<Pid> find(const Engine& engine, std::string_view path) const;
    // Live actors under the root (breadth first, spawn order) whose leaf name passes `keep`.
    [[nodiscard]] std::vector<Pid> members(const Engine& engine, const std::function<bool(std::string_view)>& keep) const;
    [[nodiscard]] Rng& rng() noexcept { return rng_; }

private:
    const ScenarioInfo& info_;
    Pid root_;
    std::string root_name_;
    Rng rng_;
};

[[nodiscard]] inline bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace actors::scenarios::detail
