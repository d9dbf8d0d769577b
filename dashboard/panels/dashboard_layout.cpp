// The layout: the demo bar, the overview cards and rate charts on top; below, the actor views
// in tabs on the left, and the inspector over the event log on the right, so the selection and
// what happens to it are always in sight.
#include <imgui.h>

#include <cstdio>

#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

void draw_dashboard(Model& model, DashboardActions& actions, PanelState& state, const FrameStats& stats, FrameReport& report) {
    report.clear();
    draw_demo_bar(model, actions, state, stats, report);
    draw_overview(model, report);
    draw_rate_charts(model, report);

    const float left = ImGui::GetContentRegionAvail().x * 0.6f;
    ImGui::BeginChild("left", ImVec2(left, 0), false);
    if (ImGui::BeginTabBar("views")) {
        char dead_label[48];
        std::snprintf(dead_label, sizeof dead_label, "Dead letters (%llu)###dead", static_cast<unsigned long long>(model.dead_letters().total()));
        char health_label[48];
        std::snprintf(health_label, sizeof health_label, "Health (%zu)###health", model.overview().unhealthy_actors);
        // Brings state.open_tab to the front once (ImGui keeps the choice from then on); a tab
        // not drawn yet (Nodes, before the first link) is brought forward when it appears.
        bool opened = false;
        const auto flags_for = [&](const char* id) {
            if (state.open_tab != id) return ImGuiTabItemFlags_None;
            opened = true;
            return ImGuiTabItemFlags_SetSelected;
        };
        if (ImGui::BeginTabItem("Actors", nullptr, flags_for("actors"))) {
            draw_actor_table(model, state, report);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Supervision tree", nullptr, flags_for("tree"))) {
            draw_supervision_tree(model, state, report);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(dead_label, nullptr, flags_for("dead"))) {
            draw_dead_letters(model, state, report);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(health_label, nullptr, flags_for("health"))) {
            draw_health(model, state, report);
            ImGui::EndTabItem();
        }
        // Only for an engine on the network: a lone engine has no links or members to show.
        if (!model.links().rows().empty() || !model.members().rows().empty()) {
            char nodes_label[48];
            std::snprintf(nodes_label, sizeof nodes_label, "Nodes (%zu/%zu)###nodes", model.links().connected(), model.links().rows().size());
            if (ImGui::BeginTabItem(nodes_label, nullptr, flags_for("nodes"))) {
                draw_nodes(model, report);
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
        if (opened) state.open_tab.clear();
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("right", ImVec2(0, 0), false);
    ImGui::BeginChild("inspector", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.45f), true);
    draw_inspector(model, actions, state, report);
    ImGui::EndChild();
    ImGui::BeginChild("log", ImVec2(0, 0), true);
    draw_event_log(model, state, report);
    ImGui::EndChild();
    ImGui::EndChild();
}

void apply_style() {
    ImGui::StyleColorsDark();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 0;
    s.ChildRounding = 4;
    s.FrameRounding = 3;
    s.GrabRounding = 3;
    s.TabRounding = 3;
    s.ItemSpacing = ImVec2(8, 5);
    s.CellPadding = ImVec2(6, 2);
    ImVec4* c = s.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.08f, 0.09f, 0.11f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.10f, 0.11f, 0.14f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.22f, 0.28f, 0.42f, 1.0f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.28f, 0.36f, 0.55f, 1.0f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
    c[ImGuiCol_FrameBg] = ImVec4(0.15f, 0.17f, 0.21f, 1.0f);
    c[ImGuiCol_Button] = ImVec4(0.22f, 0.30f, 0.46f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.30f, 0.40f, 0.62f, 1.0f);
}

}  // namespace actors::dashboard
