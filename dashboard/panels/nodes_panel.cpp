// Nodes: the remote links of the watched engine (state, why it last changed, traffic and round
// trip per peer) and, in a cluster, its members. Both folded from the event stream.
#include <algorithm>
#include <imgui.h>

#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {
const ImVec4& colour_of(LinkState s) {
    switch (s) {
        case LinkState::connected: return theme::good;
        case LinkState::disconnected: return theme::warn;
        case LinkState::down: return theme::bad;
    }
    return theme::muted;
}

void draw_links(const Model& model, FrameReport& report) {
    const auto& rows = model.links().rows();
    const TimePoint now = model.overview().last_time;
    if (rows.empty()) {
        ImGui::TextColored(theme::muted, "No remote links: this engine has not talked to another node.");
        return;
    }
    ImGui::Text("%zu of %zu links connected", model.links().connected(), rows.size());
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                      ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
    // A table that scrolls sideways takes all the height left unless told otherwise: as tall as
    // its rows (at most 8, then it scrolls), so the members and placements below stay in view.
    const float height = ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(std::min<std::size_t>(rows.size(), 8) + 1) +
                         ImGui::GetStyle().ScrollbarSize + ImGui::GetStyle().CellPadding.y * 4;
    if (!ImGui::BeginTable("links", 12, flags | ImGuiTableFlags_ScrollY, ImVec2(0, height))) return;
    ImGui::TableSetupColumn("Node", 0, 110);
    ImGui::TableSetupColumn("State", 0, 90);
    ImGui::TableSetupColumn("Since", 0, 80);
    ImGui::TableSetupColumn("Sent", 0, 60);
    ImGui::TableSetupColumn("Acked", 0, 60);
    ImGui::TableSetupColumn("In flight", 0, 60);
    ImGui::TableSetupColumn("Received", 0, 60);
    ImGui::TableSetupColumn("Replayed", 0, 60);
    ImGui::TableSetupColumn("Dup. dropped", 0, 60);
    ImGui::TableSetupColumn("Dead", 0, 50);
    ImGui::TableSetupColumn("Out / in", 0, 100);
    ImGui::TableSetupColumn("RTT", 0, 70);
    ImGui::TableHeadersRow();
    for (const LinkRow& r : rows) {
        ++report.link_rows;
        const LinkStats& c = r.stats;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s", r.node.c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(colour_of(r.state), "%s", to_string(r.state));
        if (!r.reason.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.reason.c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(theme::muted, "%s", age_text(r.since, now).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", compact(static_cast<double>(c.sent)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", compact(static_cast<double>(c.acknowledged)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(c.in_flight ? theme::warn : theme::muted, "%s", compact(static_cast<double>(c.in_flight)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", compact(static_cast<double>(c.delivered)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", compact(static_cast<double>(c.replayed)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", compact(static_cast<double>(c.duplicates_dropped)).c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(c.dead_lettered ? theme::bad : theme::muted, "%s", compact(static_cast<double>(c.dead_lettered)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%sB / %sB", compact(static_cast<double>(c.bytes_out)).c_str(), compact(static_cast<double>(c.bytes_in)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", c.rtt.count() > 0 ? duration_text(c.rtt).c_str() : "-");
    }
    ImGui::EndTable();
    // The reason of the latest disconnect or down, for each link that is not connected.
    for (const LinkRow& r : rows)
        if (r.state != LinkState::connected && !r.reason.empty())
            ImGui::TextColored(theme::muted, "%s: %s", r.node.c_str(), r.reason.c_str());
}

void draw_members(const Model& model, FrameReport& report) {
    const auto& rows = model.members().rows();
    if (rows.empty()) return;
    ImGui::Separator();
    ImGui::Text("Cluster: %zu of %zu members up", model.members().up(), rows.size());
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("members", 4, flags)) return;
    ImGui::TableSetupColumn("Member", 0, 110);
    ImGui::TableSetupColumn("Address", 0, 150);
    ImGui::TableSetupColumn("State", 0, 130);
    ImGui::TableSetupColumn("Kinds", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (const MemberRow& m : rows) {
        ++report.member_rows;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%s", m.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextColored(theme::muted, "%s", m.address.c_str());
        ImGui::TableNextColumn();
        if (m.up) ImGui::TextColored(theme::good, "up");
        else ImGui::TextColored(m.left_reason == MemberLeftReason::graceful ? theme::muted : theme::bad, "left (%s)", to_string(m.left_reason));
        ImGui::TableNextColumn();
        std::string kinds;
        for (const auto& k : m.kinds) kinds += (kinds.empty() ? "" : ", ") + k;
        ImGui::Text("%s", kinds.c_str());
    }
    ImGui::EndTable();
}

// Where each identity lives; active ones first would reorder rows as they move, so the model's
// order (kind, identity) is kept and the state column says it.
void draw_placements(const Model& model, FrameReport& report) {
    const auto& rows = model.placements().rows();
    if (rows.empty()) return;
    ImGui::Separator();
    ImGui::Text("Virtual actors: %zu active of %zu identities seen", model.placements().active(), rows.size());
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit |
                                      ImGuiTableFlags_ScrollY;
    if (!ImGui::BeginTable("placements", 5, flags, ImVec2(0, 260))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Kind", 0, 90);
    ImGui::TableSetupColumn("Identity", 0, 160);
    ImGui::TableSetupColumn("Member", 0, 110);
    ImGui::TableSetupColumn("State", 0, 150);
    ImGui::TableSetupColumn("Activations", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step())
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const PlacementRow& p = rows[static_cast<std::size_t>(i)];
            ++report.placement_rows;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%s", p.kind.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s", p.identity.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s", p.member.c_str());
            ImGui::TableNextColumn();
            if (p.active) ImGui::TextColored(theme::good, "active %s", p.pid.to_string().c_str());
            else
                ImGui::TextColored(p.stop_reason == ActivationStopReason::lost || p.stop_reason == ActivationStopReason::failed ? theme::bad
                                                                                                                              : theme::muted,
                                   "stopped (%s)", to_string(p.stop_reason));
            ImGui::TableNextColumn();
            ImGui::Text("%llu", static_cast<unsigned long long>(p.activations));
        }
    ImGui::EndTable();
}
}  // namespace

void draw_nodes(const Model& model, FrameReport& report) {
    report.panels.push_back("nodes");
    draw_links(model, report);
    draw_members(model, report);
    draw_placements(model, report);
}

}  // namespace actors::dashboard
