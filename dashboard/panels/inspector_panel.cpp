// The inspector: everything about the selected actor, and the four things you can do to it.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {

void field(const char* name, const std::string& value, ImVec4 colour = ImGui::GetStyleColorVec4(ImGuiCol_Text)) {
    ImGui::TextColored(theme::muted, "%-10s", name);
    ImGui::SameLine(90);
    ImGui::TextColored(colour, "%s", value.c_str());
}

void pid_link(const ActorTable& table, PanelState& state, Pid pid) {
    const ActorRow* r = table.find(pid);
    const std::string label = (r && !r->name.empty() ? r->name + " " : std::string()) + pid.to_string();
    ImGui::PushID(static_cast<int>(pid.id));
    ImGui::PushStyleColor(ImGuiCol_Text, r ? theme::state_colour(r->state) : theme::muted);
    if (ImGui::SmallButton(label.c_str())) state.selected = pid;
    ImGui::PopStyleColor();
    ImGui::PopID();
}

// With nothing selected, the inspector lists what needs a look, each a click away.
void draw_attention(const Model& model, PanelState& state) {
    const ActorTable& table = model.actors();
    ImGui::TextColored(theme::muted, "Select an actor in the table, the tree, the dead letters or the health list.");
    ImGui::Spacing();
    ImGui::TextColored(theme::accent, "Needs attention");
    std::vector<const ActorRow*> failing;
    for (const ActorRow& row : table.rows())
        if (!row.stopped() && (row.failures || row.health)) failing.push_back(&row);
    std::sort(failing.begin(), failing.end(), [](const ActorRow* a, const ActorRow* b) {
        return a->failures != b->failures ? a->failures > b->failures : a->pid.id < b->pid.id;
    });
    if (failing.empty()) ImGui::TextColored(theme::good, "  no live actor has failed or is unhealthy");
    for (std::size_t i = 0; i < failing.size() && i < 6; ++i) {
        const ActorRow& f = *failing[i];
        pid_link(table, state, f.pid);
        ImGui::SameLine();
        ImGui::TextColored(f.health ? theme::bad : theme::warn, "%s%llu failure%s, %llu restart%s", f.health ? "UNHEALTHY, " : "",
                           static_cast<unsigned long long>(f.failures), f.failures == 1 ? "" : "s",
                           static_cast<unsigned long long>(f.restarts), f.restarts == 1 ? "" : "s");
    }
    const auto targets = model.dead_letters().top_targets(4);
    if (!targets.empty()) {
        ImGui::Spacing();
        ImGui::TextColored(theme::accent, "Most dead letters");
        for (const DeadLetterTarget& t : targets) {
            if (t.target) pid_link(table, state, t.target);
            else ImGui::TextColored(theme::muted, "(no target)");
            ImGui::SameLine();
            ImGui::TextColored(theme::warn, "%s letters, last %s", compact(static_cast<double>(t.count)).c_str(), t.last_message_type.c_str());
        }
    }
    std::vector<const ActorRow*> busiest;
    for (const ActorRow& row : table.rows())
        if (!row.stopped() && row.mailbox_depth) busiest.push_back(&row);
    std::sort(busiest.begin(), busiest.end(), [](const ActorRow* a, const ActorRow* b) { return a->mailbox_depth > b->mailbox_depth; });
    if (!busiest.empty()) {
        ImGui::Spacing();
        ImGui::TextColored(theme::accent, "Fullest mailboxes");
        for (std::size_t i = 0; i < busiest.size() && i < 4; ++i) {
            pid_link(table, state, busiest[i]->pid);
            ImGui::SameLine();
            ImGui::TextColored(theme::warn, "%zu waiting", busiest[i]->mailbox_depth);
        }
    }
}

}  // namespace

void draw_inspector(const Model& model, DashboardActions& actions, PanelState& state, FrameReport& report) {
    report.panels.push_back("inspector");
    const ActorTable& table = model.actors();
    const ActorRow* r = state.selected ? table.find(*state.selected) : nullptr;
    if (!r) {
        draw_attention(model, state);
        return;
    }
    ImGui::SetWindowFontScale(1.25f);
    ImGui::TextColored(theme::state_colour(r->state), "%s", r->name.c_str());
    ImGui::SetWindowFontScale(1.0f);
    field("pid", r->pid.to_string() + "   generation " + std::to_string(r->generation()));
    std::string state_text = theme::state_label(r->state);
    if (r->stop_reason) state_text += std::string(" (") + to_string(*r->stop_reason) + (r->stop_detail.empty() ? "" : ": " + r->stop_detail) + ")";
    field("state", state_text, theme::state_colour(r->state));
    ImGui::TextColored(theme::muted, "%-10s", "parent");
    ImGui::SameLine(90);
    if (r->parent) pid_link(table, state, r->parent);
    else ImGui::TextColored(theme::accent, "root guardian");

    ImGui::TextColored(theme::muted, "%-10s", "mailbox");
    ImGui::SameLine(90);
    const float fill = r->mailbox_capacity ? static_cast<float>(r->mailbox_depth) / static_cast<float>(r->mailbox_capacity) : 0.0f;
    char overlay[96];
    std::snprintf(overlay, sizeof overlay, "%zu / %s  (high %zu)", r->mailbox_depth,
                  r->mailbox_capacity ? compact(static_cast<double>(r->mailbox_capacity)).c_str() : "unbounded", r->mailbox_high_water);
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, fill > 0.75f ? theme::bad : fill > 0.25f ? theme::warn : theme::good);
    ImGui::ProgressBar(fill, ImVec2(-1, 0), overlay);
    ImGui::PopStyleColor();
    field("processed", compact(static_cast<double>(r->counters.processed)) + "   " + compact(r->processed_per_second) + " msg/s");
    field("received", compact(static_cast<double>(r->counters.received)) + "   sent " + compact(static_cast<double>(r->counters.sent)));
    field("lost", compact(static_cast<double>(r->counters.dead_lettered)) + " dead-lettered, " +
                      compact(static_cast<double>(r->counters.dropped)) + " dropped",
          r->counters.dead_lettered + r->counters.dropped ? theme::warn : theme::muted);
    field("failures", std::to_string(r->failures) + "   restarts " + std::to_string(r->restarts),
          r->failures ? theme::bad : theme::good);
    field("health", r->health ? "UNHEALTHY" : "healthy", r->health ? theme::bad : theme::good);
    if (!r->last_error.empty()) {
        ImGui::TextColored(theme::muted, "last error");
        ImGui::PushStyleColor(ImGuiCol_Text, theme::bad);
        ImGui::TextWrapped("%s", r->last_error.c_str());
        ImGui::PopStyleColor();
    }
    if (!r->children.empty()) {
        ImGui::TextColored(theme::muted, "children (%zu)", r->children.size());
        std::size_t shown = 0;
        for (const Pid& c : r->children) {
            if (shown++ == 12) {
                ImGui::TextColored(theme::muted, "... and %zu more (see the tree)", r->children.size() - 12);
                break;
            }
            pid_link(table, state, c);
        }
    }

    ImGui::Separator();
    ImGui::BeginDisabled(r->stopped());
    const Pid pid = r->pid;
    if (ImGui::Button("Stop")) {
        actions.stop(pid);
        state.status = "stop sent to " + r->name;
    }
    ImGui::SameLine();
    if (ImGui::Button("Inject failure")) {
        actions.inject_failure(pid);
        state.status = "failure injected into " + r->name;
    }
    ImGui::SameLine();
    if (ImGui::Button("Spawn child")) {
        actions.spawn_child(pid);
        state.status = "child requested under " + r->name;
    }
    ImGui::SetNextItemWidth(-110);
    ImGui::InputText("##message", state.message_text, sizeof state.message_text);
    ImGui::SameLine();
    if (ImGui::Button("Send message")) {
        actions.send_message(pid, state.message_text);
        state.status = "message sent to " + r->name;
    }
    ImGui::EndDisabled();
}

namespace {
// The scenario picker and the Spawn / Crash one / Send storm buttons.
void draw_scenario_controls(DashboardActions& actions, PanelState& state) {
    const auto names = actions.scenario_names();
    const std::string current = actions.scenario();
    ImGui::SetNextItemWidth(150);
    if (ImGui::BeginCombo("##scenario", current.empty() ? "(no scenario)" : current.c_str())) {
        for (const auto& n : names)
            if (ImGui::Selectable(n.c_str(), n == current)) {
                actions.start_scenario(n);
                state.status = "started scenario " + n;
                state.selected.reset();
            }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered() && !current.empty()) ImGui::SetTooltip("%s", actions.scenario_description().c_str());
    ImGui::SameLine();
    if (ImGui::Button("Spawn")) {
        actions.spawn();
        state.status = "spawned one more actor";
    }
    ImGui::SameLine();
    if (ImGui::Button("Crash one")) {
        actions.crash_random();
        state.status = "crashed a random worker: watch its supervisor restart it";
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::InputInt("##storm", &state.storm_size, 0, 0);
    if (state.storm_size < 1) state.storm_size = 1;
    if (state.storm_size > 10'000'000) state.storm_size = 10'000'000;
    ImGui::SameLine();
    if (ImGui::Button("Send storm")) {
        actions.storm(static_cast<std::size_t>(state.storm_size));
        state.status = "storm of " + compact(state.storm_size) + " messages sent";
    }
    ImGui::SameLine();
}
}  // namespace

void draw_demo_bar(const Model& model, DashboardActions& actions, PanelState& state, const FrameStats& stats, FrameReport& report) {
    ImGui::TextColored(theme::accent, "actors dashboard");
    ImGui::SameLine();
    if (const std::string watching = actions.watching(); !watching.empty()) {
        // Another process's engine: its scenarios are its own; the inspector's actions remain.
        ImGui::TextColored(theme::info, "%s", watching.c_str());
        ImGui::SameLine();
        ImGui::TextColored(theme::muted, "  %s", state.status.c_str());
        return;
    }
    if (state.demo_controls) {
        report.demo_controls = true;
        draw_scenario_controls(actions, state);
    }
    ImGui::TextColored(theme::muted, "  %s", state.status.c_str());
    const std::string timing = "frame " + std::to_string(static_cast<int>(stats.frame_ms * 10) / 10.0).substr(0, 4) + " ms, folded " +
                               std::to_string(stats.folded) + " events in " + std::to_string(stats.fold_ms).substr(0, 4) + " ms, seq " +
                               std::to_string(model.overview().last_seq);
    const float w = ImGui::CalcTextSize(timing.c_str()).x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 10, ImGui::GetWindowContentRegionMax().x - w));
    ImGui::TextColored(theme::muted, "%s", timing.c_str());
}

}  // namespace actors::dashboard
