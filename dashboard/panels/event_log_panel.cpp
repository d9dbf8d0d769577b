// The event log: the latest events, newest at the bottom, filtered by kind, actor and text;
// pausing freezes the view while the model keeps folding. Gaps are rows of their own.
#include <imgui.h>

#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

LogFilter PanelState::default_log_filter() {
    LogFilter f;
    // Stats samples arrive several times a second and say nothing a person reads in a log.
    f.kinds &= ~(1u << kind_index_of<StatsSampled>);
    return f;
}

namespace {

void kinds_popup(LogFilter& f, const EventLog& log) {
    if (ImGui::Button("Kinds...")) ImGui::OpenPopup("log-kinds");
    if (!ImGui::BeginPopup("log-kinds")) return;
    if (ImGui::SmallButton("all")) f.kinds = ~0u;
    ImGui::SameLine();
    if (ImGui::SmallButton("none")) f.kinds = 0;
    ImGui::SameLine();
    if (ImGui::SmallButton("problems only")) {
        f.kinds = (1u << kind_index_of<ActorFailed>) | (1u << kind_index_of<ActorRestarted>) | (1u << kind_index_of<DeadLetter>) |
                  (1u << kind_index_of<MailboxOverflow>) | (1u << kind_index_of<MaxRestartsExceeded>) | (1u << kind_index_of<Escalated>) |
                  (1u << kind_index_of<ActorUnhealthy>) | (1u << kind_index_of<EventsMissed>);
    }
    for (EventKind k = 0; k <= kGapKind; ++k) {
        bool on = (f.kinds >> k) & 1u;
        char label[96];
        std::snprintf(label, sizeof label, "%s (%s)", kind_label(k), compact(static_cast<double>(log.count_of(k))).c_str());
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kind_colour(k));
        if (ImGui::Checkbox(label, &on)) f.kinds = on ? (f.kinds | (1u << k)) : (f.kinds & ~(1u << k));
        ImGui::PopStyleColor();
    }
    ImGui::EndPopup();
}

}  // namespace

void draw_event_log(Model& model, PanelState& state, FrameReport& report) {
    report.panels.push_back("log");
    EventLog& log = model.log();
    LogFilter& f = state.log_filter;

    if (log.paused()) {
        ImGui::PushStyleColor(ImGuiCol_Button, theme::warn);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 1));
        if (ImGui::Button("Resume")) log.resume();
        ImGui::PopStyleColor(2);
    } else if (ImGui::Button("Pause")) {
        log.pause();
    }
    ImGui::SameLine();
    kinds_popup(f, log);
    ImGui::SameLine();
    ImGui::Checkbox("selected actor", &state.log_follow_selected);
    f.actor = state.log_follow_selected && state.selected ? std::optional<std::uint64_t>(state.selected->id) : std::nullopt;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160);
    if (ImGui::InputTextWithHint("##log-text", "search", state.log_text, sizeof state.log_text)) f.text = state.log_text;
    ImGui::SameLine();
    ImGui::Checkbox("follow", &state.log_autoscroll);

    log.query(f, state.log_rows);
    ImGui::SameLine();
    ImGui::TextColored(theme::muted, "%zu shown / %zu kept / %s seen", state.log_rows.size(), log.size(),
                       compact(static_cast<double>(log.appended())).c_str());

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                      ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("event-log", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Seq", 0, 56);
    ImGui::TableSetupColumn("Time", 0, 76);
    ImGui::TableSetupColumn("Kind", 0, 110);
    ImGui::TableSetupColumn("What", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(state.log_rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const LogEntry& e = log.entry(state.log_rows[static_cast<std::size_t>(i)]);
            ++report.log_rows;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::muted, "%llu", static_cast<unsigned long long>(e.event.seq));
            ImGui::TableNextColumn();
            ImGui::TextColored(theme::muted, "%s", clock_text(e.event.time).c_str());
            ImGui::TableNextColumn();
            const EventKind k = kind_of(e);
            const bool gap = k == kGapKind;
            ImGui::TextColored(gap ? theme::bad : theme::kind_colour(k), "%s", gap ? "GAP" : kind_label(k));
            ImGui::TableNextColumn();
            // Formatted only for the rows on screen; the "#seq kind " prefix is in the columns.
            const std::string text = describe(e);
            if (gap) {
                ImGui::TextColored(theme::bad, "%s", text.c_str());
                continue;
            }
            const auto space = text.find(' ', text.find(' ') + 1);
            ImGui::TextUnformatted(space == std::string::npos ? text.c_str() : text.c_str() + space + 1);
        }
    }
    if (state.log_autoscroll && !log.paused() && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 40) ImGui::SetScrollHereY(1.0f);
    ImGui::EndTable();
}

}  // namespace actors::dashboard
