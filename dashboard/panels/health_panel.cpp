// Health: who is unhealthy right now, by which signal, since when, and the trend.
#include <imgui.h>

#include <cfloat>
#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {
std::string signals_text(std::uint8_t bits) {
    std::string s;
    for (HealthSignal sig : {HealthSignal::mailbox_lag, HealthSignal::slow_handler, HealthSignal::check_failed})
        if (bits & static_cast<std::uint8_t>(sig)) s += std::string(s.empty() ? "" : ", ") + to_string(sig);
    return s;
}
}  // namespace

void draw_health(const Model& model, PanelState& state, FrameReport& report) {
    report.panels.push_back("health");
    const auto unhealthy = model.unhealthy();
    const TimePoint now = model.overview().last_time;
    if (unhealthy.empty()) ImGui::TextColored(theme::good, "All %zu live actors are healthy.", model.actors().live());
    else ImGui::TextColored(theme::bad, "%zu unhealthy of %zu live actors", unhealthy.size(), model.actors().live());

    const auto& pts = model.series().points(Series::unhealthy);
    static const float zero = 0.0f;
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, theme::bad);
    ImGui::PlotHistogram("##unhealthy-trend", pts.empty() ? &zero : pts.data(), pts.empty() ? 1 : static_cast<int>(pts.size()), 0,
                         "unhealthy actors over time", 0.0f, FLT_MAX, ImVec2(ImGui::GetContentRegionAvail().x, 60));
    ImGui::PopStyleColor();

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                      ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("health", 5, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Actor", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Signals", 0, 150);
    ImGui::TableSetupColumn("Measured", 0, 80);
    ImGui::TableSetupColumn("Since", 0, 90);
    ImGui::TableSetupColumn("Detail", 0, 220);
    ImGui::TableHeadersRow();
    for (const HealthEntry& h : unhealthy) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(h.pid.id));
        const std::string label = (h.name.empty() ? std::string() : h.name + " ") + h.pid.to_string();
        const bool selected = state.selected && state.selected->same_actor(h.pid);
        if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) state.selected = h.pid;
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextColored(theme::bad, "%s", signals_text(h.signals).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", duration_text(h.measured).c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(theme::muted, "%s", age_text(h.since, now).c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(theme::muted, "%s", h.detail.c_str());
    }
    ImGui::EndTable();
}

}  // namespace actors::dashboard
