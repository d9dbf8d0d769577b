// The actor table: every actor, sortable by any column, filtered by text and state, with list
// clipping so 10,000 rows cost only the rows on screen.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {

struct Column {
    const char* name;
    ActorColumn sort;
    ImGuiTableColumnFlags flags;
    float width;
};

constexpr Column kColumns[] = {
    {"Pid", ActorColumn::pid, ImGuiTableColumnFlags_DefaultSort, 72},
    {"Name", ActorColumn::name, ImGuiTableColumnFlags_WidthStretch, 0},
    {"State", ActorColumn::state, 0, 72},
    {"Mailbox", ActorColumn::mailbox, ImGuiTableColumnFlags_PreferSortDescending, 56},
    {"High", ActorColumn::high_water, ImGuiTableColumnFlags_PreferSortDescending, 40},
    {"Processed", ActorColumn::processed, ImGuiTableColumnFlags_PreferSortDescending, 68},
    {"Msg/s", ActorColumn::rate, ImGuiTableColumnFlags_PreferSortDescending, 48},
    {"Fail", ActorColumn::failures, ImGuiTableColumnFlags_PreferSortDescending, 34},
    {"Restarts", ActorColumn::restarts, ImGuiTableColumnFlags_PreferSortDescending, 58},
    {"Gen", ActorColumn::generation, ImGuiTableColumnFlags_PreferSortDescending, 30},
    {"Health", ActorColumn::health, ImGuiTableColumnFlags_PreferSortDescending, 44},
    {"Last error", ActorColumn::recent, ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_DefaultHide, 160},
};

void right_aligned(const char* text, ImVec4 colour) {
    const float w = ImGui::CalcTextSize(text).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > w) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
    ImGui::TextColored(colour, "%s", text);
}

std::string health_text(std::uint8_t h) {
    if (!h) return "ok";
    std::string s;
    if (h & static_cast<std::uint8_t>(HealthSignal::mailbox_lag)) s += "lag ";
    if (h & static_cast<std::uint8_t>(HealthSignal::slow_handler)) s += "slow ";
    if (h & static_cast<std::uint8_t>(HealthSignal::check_failed)) s += "check ";
    return s;
}

}  // namespace

void draw_actor_table(const Model& model, PanelState& state, FrameReport& report) {
    report.panels.push_back("actors");
    ActorQuery& q = state.actor_query;

    ImGui::SetNextItemWidth(220);
    if (ImGui::InputTextWithHint("##actor-filter", "filter by name or pid", state.actor_text, sizeof state.actor_text))
        q.text = state.actor_text;
    ImGui::SameLine();
    ImGui::Checkbox("stopped", &q.include_stopped);
    ImGui::SameLine();
    ImGui::Checkbox("unhealthy only", &q.only_unhealthy);
    ImGui::SameLine();
    ImGui::Checkbox("failing only", &q.only_failing);
    ImGui::SameLine();
    ImGui::TextColored(theme::muted, "%zu live, %zu rows", model.actors().live(), model.actors().rows().size());

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                      ImGuiTableFlags_Hideable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                      ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("actor-table", static_cast<int>(std::size(kColumns)), flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    for (const Column& c : kColumns) ImGui::TableSetupColumn(c.name, c.flags, c.width);
    ImGui::TableHeadersRow();

    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
        const ImGuiTableColumnSortSpecs& s = specs->Specs[0];
        q.sort = kColumns[s.ColumnIndex].sort;
        q.descending = s.SortDirection == ImGuiSortDirection_Descending;
        specs->SpecsDirty = false;
    }
    // Re-queried every frame: the rows move under the sort as counters change.
    const ActorTable& table = model.actors();
    table.query(q, state.actor_rows);
    // Live actors first, whatever the sort: what is running now matters more than what stopped.
    std::stable_partition(state.actor_rows.begin(), state.actor_rows.end(),
                          [&](std::size_t i) { return !table.rows()[i].stopped(); });

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(state.actor_rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const ActorRow& r = table.rows()[state.actor_rows[static_cast<std::size_t>(i)]];
            report.actor_rows.push_back(r.name);
            report.actor_pids.push_back(r.pid.to_string());
            const ImVec4 fg = r.stopped() ? theme::muted : ImGui::GetStyleColorVec4(ImGuiCol_Text);
            ImGui::TableNextRow();
            ImGui::PushID(static_cast<int>(r.pid.id));

            ImGui::TableNextColumn();
            const std::string pid = r.pid.to_string();
            const bool selected = state.selected && state.selected->same_actor(r.pid);
            if (ImGui::Selectable(pid.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                state.selected = r.pid;

            ImGui::TableNextColumn();
            ImGui::TextColored(fg, "%s", r.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::state_colour(r.state), "%s", theme::state_label(r.state));

            ImGui::TableNextColumn();
            const bool deep = r.mailbox_capacity && r.mailbox_depth * 4 >= r.mailbox_capacity * 3;
            right_aligned(compact(static_cast<double>(r.mailbox_depth)).c_str(), deep ? theme::bad : r.mailbox_depth ? theme::warn : fg);
            ImGui::TableNextColumn();
            right_aligned(compact(static_cast<double>(r.mailbox_high_water)).c_str(), theme::muted);
            ImGui::TableNextColumn();
            right_aligned(compact(static_cast<double>(r.counters.processed)).c_str(), fg);
            ImGui::TableNextColumn();
            right_aligned(compact(r.processed_per_second).c_str(), r.processed_per_second > 0 ? theme::good : theme::muted);
            ImGui::TableNextColumn();
            right_aligned(std::to_string(r.failures).c_str(), r.failures ? theme::bad : theme::muted);
            ImGui::TableNextColumn();
            right_aligned(std::to_string(r.restarts).c_str(), r.restarts ? theme::warn : theme::muted);
            ImGui::TableNextColumn();
            right_aligned(std::to_string(r.generation()).c_str(), theme::muted);
            ImGui::TableNextColumn();
            ImGui::TextColored(r.health ? theme::bad : theme::good, "%s", health_text(r.health).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::bad, "%s", r.last_error.c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace actors::dashboard
