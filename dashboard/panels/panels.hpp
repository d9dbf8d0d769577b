#pragma once
// The dashboard's panels: ImGui drawing only. They read the Model and turn clicks into calls on
// DashboardActions; they never touch an engine. One file per panel; this header is their whole
// interface to the app.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dashboard/model.hpp"

namespace actors::dashboard {

// What a click asks for. The app implements it (on the engine it watches).
class DashboardActions {
public:
    virtual ~DashboardActions() = default;
    // The demo bar.
    [[nodiscard]] virtual std::vector<std::string> scenario_names() const = 0;
    [[nodiscard]] virtual std::string scenario() const = 0;
    [[nodiscard]] virtual std::string scenario_description() const = 0;
    // What is watched, when it is not this process's engine ("ws://...: watching game (control)").
    [[nodiscard]] virtual std::string watching() const { return {}; }
    virtual void start_scenario(const std::string& name) = 0;
    virtual void spawn() = 0;
    virtual void crash_random() = 0;
    virtual void storm(std::size_t messages) = 0;
    // The inspector, on any actor.
    virtual void stop(Pid pid) = 0;
    virtual void inject_failure(Pid pid) = 0;
    virtual void send_message(Pid pid, const std::string& text) = 0;
    virtual void spawn_child(Pid parent) = 0;
};

// What the panels drew this frame: lets a headless test check from the ImGui side that the
// panels really ran and listed the scenario's actors.
struct FrameReport {
    std::vector<std::string> panels;           // names of the panels drawn
    std::vector<std::string> actor_rows;       // names in the actor table's visible rows
    std::vector<std::string> actor_pids;       // their pids, in the same order
    std::size_t tree_nodes = 0;
    std::size_t log_rows = 0;
    std::size_t dead_letter_rows = 0;
    std::size_t link_rows = 0;
    std::size_t member_rows = 0;     // the Nodes tab's cluster members
    std::size_t placement_rows = 0;  // its virtual actors drawn (the table scrolls: the visible ones)
    bool demo_controls = false;  // the demo bar drew its scenario picker and buttons
    void clear() { *this = FrameReport{}; }
};

// UI state that outlives a frame: selection, filters, sort, pause.
struct PanelState {
    std::optional<Pid> selected;
    ActorQuery actor_query;
    std::vector<std::size_t> actor_rows;  // reused each frame
    LogFilter log_filter = default_log_filter();
    bool log_follow_selected = false;
    bool log_autoscroll = true;
    std::vector<std::size_t> log_rows;
    char actor_text[128] = {};
    char log_text[128] = {};
    char message_text[128] = "hello";
    int storm_size = 10000;
    std::string status;  // the last action's outcome, shown in the demo bar
    // A tab of the left views to bring to the front on the next frame ("actors", "tree",
    // "dead", "health", "nodes"), then cleared: for a link that opens a view, and for tests.
    std::string open_tab;
    // The demo bar's scenario picker and buttons; off when the page around it has its own.
    bool demo_controls = true;

    static LogFilter default_log_filter();
};

struct FrameStats {
    float frame_ms = 0;      // the last frame, CPU side
    float fold_ms = 0;       // folding this frame's events
    std::size_t folded = 0;  // events this frame
};

// The whole dashboard in the current ImGui window area.
void draw_dashboard(Model& model, DashboardActions& actions, PanelState& state, const FrameStats& stats, FrameReport& report);

// The individual panels (each draws into the current region).
void draw_demo_bar(const Model& model, DashboardActions& actions, PanelState& state, const FrameStats& stats, FrameReport& report);
void draw_overview(const Model& model, FrameReport& report);
void draw_rate_charts(const Model& model, FrameReport& report);
void draw_actor_table(const Model& model, PanelState& state, FrameReport& report);
void draw_supervision_tree(const Model& model, PanelState& state, FrameReport& report);
void draw_event_log(Model& model, PanelState& state, FrameReport& report);
void draw_dead_letters(const Model& model, PanelState& state, FrameReport& report);
void draw_health(const Model& model, PanelState& state, FrameReport& report);
void draw_nodes(const Model& model, FrameReport& report);
void draw_inspector(const Model& model, DashboardActions& actions, PanelState& state, FrameReport& report);

// Applies the dashboard's colours and spacing to the current ImGui context.
void apply_style();

}  // namespace actors::dashboard
