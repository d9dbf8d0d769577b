// Overview cards: the handful of numbers that say, in a glance, whether the system is well.
#include <imgui.h>

#include <cfloat>
#include <cstdio>
#include <string>

#include "format.hpp"
#include "panels.hpp"
#include "theme.hpp"

namespace actors::dashboard {

namespace {

void card(const char* id, const char* title, const std::string& value, ImVec4 colour, const std::vector<float>* spark,
          const char* footnote, float width) {
    ImGui::BeginChild(id, ImVec2(width, 92), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextColored(theme::muted, "%s", title);
    ImGui::SetWindowFontScale(1.7f);
    ImGui::TextColored(colour, "%s", value.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (spark && !spark->empty()) {
        ImGui::PushStyleColor(ImGuiCol_PlotLines, colour);
        ImGui::PlotLines("##spark", spark->data(), static_cast<int>(spark->size()), 0, nullptr, 0.0f, FLT_MAX,
                         ImVec2(ImGui::GetContentRegionAvail().x, 18));
        ImGui::PopStyleColor();
    } else if (footnote) {
        ImGui::TextColored(theme::muted, "%s", footnote);
    }
    ImGui::EndChild();
}

}  // namespace

void draw_overview(const Model& model, FrameReport& report) {
    report.panels.push_back("overview");
    const Overview& o = model.overview();
    const TimeSeries& ts = model.series();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (avail - spacing * 6) / 7;

    card("live", "Live actors", compact(static_cast<double>(o.live_actors)), theme::info, &ts.points(Series::spawns),
         nullptr, w);
    ImGui::SameLine();
    card("msgs", "Messages / s", compact(ts.latest(Series::messages)), theme::good, &ts.points(Series::messages), nullptr, w);
    ImGui::SameLine();
    card("restarts", "Restarts / s", compact(ts.latest(Series::restarts)),
         ts.latest(Series::restarts) > 0 ? theme::warn : theme::good, &ts.points(Series::restarts), nullptr, w);
    ImGui::SameLine();
    card("dead", "Dead letters / s", compact(ts.latest(Series::dead_letters)),
         ts.latest(Series::dead_letters) > 0 ? theme::warn : theme::good, &ts.points(Series::dead_letters), nullptr, w);
    ImGui::SameLine();
    card("unhealthy", "Unhealthy", compact(static_cast<double>(o.unhealthy_actors)),
         o.unhealthy_actors ? theme::bad : theme::good, &ts.points(Series::unhealthy), nullptr, w);
    ImGui::SameLine();
    const std::string totals = compact(static_cast<double>(o.failures)) + " / " + compact(static_cast<double>(o.restarts));
    card("failures", "Failures / restarts", totals, o.failures ? theme::warn : theme::good, nullptr,
         o.max_restarts_exceeded ? "restart limit hit!" : "since watching", w);
    ImGui::SameLine();
    // Missed events are the dashboard admitting it could not keep up: never hide them.
    const std::string events = compact(static_cast<double>(o.events_folded));
    char foot[64];
    std::snprintf(foot, sizeof foot, o.missed_events ? "%s MISSED" : "none missed", compact(static_cast<double>(o.missed_events)).c_str());
    card("events", "Events seen", events, o.missed_events ? theme::bad : theme::muted, nullptr, foot, w);
}

void draw_rate_charts(const Model& model, FrameReport& report) {
    report.panels.push_back("rates");
    const TimeSeries& ts = model.series();
    const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
    static const float zero = 0.0f;
    auto chart = [&](Series s, const char* id, const char* title, ImVec4 colour) {
        const auto& pts = ts.points(s);
        char overlay[96];
        std::snprintf(overlay, sizeof overlay, "%s   now %s   peak %s", title, compact(ts.latest(s)).c_str(), compact(ts.peak(s)).c_str());
        ImGui::PushStyleColor(ImGuiCol_PlotLines, colour);
        ImGui::PlotLines(id, pts.empty() ? &zero : pts.data(), pts.empty() ? 1 : static_cast<int>(pts.size()), 0, overlay, 0.0f,
                         FLT_MAX, ImVec2(w, 70));
        ImGui::PopStyleColor();
    };
    ImGui::PushID("rates");
    ImGui::PushItemWidth(w);
    chart(Series::messages, "##messages", "messages/s", theme::good);
    ImGui::SameLine();
    chart(Series::spawns, "##spawns", "spawns/s", theme::info);
    ImGui::SameLine();
    chart(Series::stops, "##stops", "stops/s", theme::muted);
    chart(Series::dead_letters, "##dead", "dead letters/s", theme::warn);
    ImGui::SameLine();
    chart(Series::restarts, "##restarts", "restarts/s", theme::warn);
    ImGui::SameLine();
    chart(Series::unhealthy, "##unhealthy", "unhealthy actors", theme::bad);
    ImGui::PopItemWidth();
    ImGui::PopID();
}

}  // namespace actors::dashboard
