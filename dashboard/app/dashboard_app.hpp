#pragma once
// The dashboard application, shared by the native window and the web page: it watches one
// engine (its own natively; the page's, attached through the JS API, on the web), folds that
// engine's events into the Model each frame, draws the panels, and carries out their clicks by
// driving the demo scenarios. Platform code only creates the window and calls frame().

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/engine.hpp"
#include "dashboard/model.hpp"
#include "dashboard_source.hpp"
#include "panels.hpp"
#include "scenarios/scenario.hpp"

namespace actors::dashboard {

class DashboardApp final : public DashboardActions {
public:
    explicit DashboardApp(ModelOptions options = {});
    ~DashboardApp() override;

    // The engine configuration a watched engine should have: stats sampling and health on.
    [[nodiscard]] static EngineConfig watched_config(EngineConfig base = {});

    void own(std::unique_ptr<Engine> engine);  // native: the app's own engine
    void attach(Engine& engine);               // web: an engine someone else owns
    void detach() noexcept;                    // before an attached engine goes away
    // Watches an engine elsewhere (RemoteSource): the model folds what the source brings, the
    // inspector's actions go to it; no scenarios (they belong to the watched process).
    void watch(std::unique_ptr<DashboardSource> source);
    [[nodiscard]] Engine* engine() noexcept { return engine_; }
    [[nodiscard]] const DashboardSource* source() const noexcept { return source_.get(); }

    // Folds what happened since the last call; returns events folded. Cheap when nothing did.
    std::size_t update();
    // update() + draw the whole dashboard into the current ImGui frame (a full-window window).
    void frame(float frame_ms);

    [[nodiscard]] const Model& model() const noexcept { return model_; }
    [[nodiscard]] const FrameReport& report() const noexcept { return report_; }
    [[nodiscard]] const FrameStats& stats() const noexcept { return stats_; }
    [[nodiscard]] PanelState& panel_state() noexcept { return state_; }

    // DashboardActions
    [[nodiscard]] std::vector<std::string> scenario_names() const override;
    [[nodiscard]] std::string scenario() const override;
    [[nodiscard]] std::string scenario_description() const override;
    [[nodiscard]] std::string watching() const override;
    void start_scenario(const std::string& name) override;
    void spawn() override;
    void crash_random() override;
    void storm(std::size_t messages) override;
    void stop(Pid pid) override;
    void inject_failure(Pid pid) override;
    void send_message(Pid pid, const std::string& text) override;
    void spawn_child(Pid parent) override;

    // The same as crash_random() / storm(), answering who was crashed / how many were sent.
    std::optional<Pid> crash_random_pid();
    std::size_t storm_count(std::size_t messages);

    // Idle actors that sit in the table (load testing the dashboard: 10,000 rows).
    void spawn_idle(std::size_t count);

private:
    void resync();
    [[nodiscard]] Engine& require_engine() const;

    Model model_;
    PanelState state_;
    FrameReport report_;
    FrameStats stats_;
    std::unique_ptr<DashboardSource> source_;
    std::unique_ptr<Engine> owned_;
    Engine* engine_ = nullptr;
    std::uint64_t cursor_ = 0;
    std::unique_ptr<scenarios::Scenario> scenario_;
    std::size_t idle_spawned_ = 0;
};

}  // namespace actors::dashboard
