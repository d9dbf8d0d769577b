// Dead letters: where undeliverable messages went, why, and who keeps receiving them.
#include <imgui.h>

#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {

constexpr DeadLetterReason kReasons[] = {DeadLetterReason::no_such_actor, DeadLetterReason::actor_stopped,
                                         DeadLetterReason::mailbox_full, DeadLetterReason::engine_stopped,
                                         DeadLetterReason::handler_failed, DeadLetterReason::remote_restarted,
                                         DeadLetterReason::remote_unreachable, DeadLetterReason::unknown_type,
                                         DeadLetterReason::remote_maybe_delivered};

std::string name_or_pid(const ActorTable& table, Pid pid) {
    if (!pid) return "-";
    if (const ActorRow* r = table.find(pid); r && !r->name.empty()) return r->name + " " + pid.to_string();
    return pid.to_string();
}

}  // namespace

void draw_dead_letters(const Model& model, PanelState& state, FrameReport& report) {
    report.panels.push_back("dead_letters");
    const DeadLetters& dl = model.dead_letters();
    const ActorTable& table = model.actors();

    ImGui::TextColored(dl.total() ? theme::warn : theme::good, "%s dead letters", compact(static_cast<double>(dl.total())).c_str());
    for (DeadLetterReason r : kReasons) {
        ImGui::SameLine();
        ImGui::TextColored(dl.total(r) ? theme::warn : theme::muted, "  %s %s", to_string(r), compact(static_cast<double>(dl.total(r))).c_str());
    }

    const float half = ImGui::GetContentRegionAvail().y * 0.42f;
    ImGui::TextColored(theme::muted, "Top targets");
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                      ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("dl-targets", 5, flags, ImVec2(0, half))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Target", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Count", 0, 64);
        ImGui::TableSetupColumn("Stopped", 0, 64);
        ImGui::TableSetupColumn("Full", 0, 56);
        ImGui::TableSetupColumn("Last type", 0, 150);
        ImGui::TableHeadersRow();
        for (const DeadLetterTarget& t : dl.top_targets(50)) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(t.target.id));
            const bool selected = state.selected && state.selected->same_actor(t.target);
            if (ImGui::Selectable(name_or_pid(table, t.target).c_str(), selected, ImGuiSelectableFlags_SpanAllColumns) && t.target)
                state.selected = t.target;
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::warn, "%s", compact(static_cast<double>(t.count)).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s", compact(static_cast<double>(t.by_reason[static_cast<std::size_t>(DeadLetterReason::actor_stopped)] +
                                                       t.by_reason[static_cast<std::size_t>(DeadLetterReason::no_such_actor)]))
                                  .c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s", compact(static_cast<double>(t.by_reason[static_cast<std::size_t>(DeadLetterReason::mailbox_full)])).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::muted, "%s", t.last_message_type.c_str());
        }
        ImGui::EndTable();
    }

    ImGui::TextColored(theme::muted, "Recent (newest first)");
    const auto recent = dl.recent();
    if (ImGui::BeginTable("dl-recent", 5, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Time", 0, 76);
        ImGui::TableSetupColumn("Target", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("Sender", 0, 150);
        ImGui::TableSetupColumn("Type", 0, 150);
        ImGui::TableSetupColumn("Reason", 0, 110);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(recent.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const DeadLetterEntry& e = *recent[static_cast<std::size_t>(i)];
                ++report.dead_letter_rows;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(theme::muted, "%s", clock_text(e.time).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(name_or_pid(table, e.letter.target).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(theme::muted, "%s", name_or_pid(table, e.letter.sender).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(e.letter.message_type.c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(theme::warn, "%s", to_string(e.letter.reason));
            }
        }
        ImGui::EndTable();
    }
}

}  // namespace actors::dashboard
