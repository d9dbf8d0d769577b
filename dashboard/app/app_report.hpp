#pragma once
// The dashboard's report: what the last frame drew (from the ImGui side), the model's totals and,
// in capture mode, how long frames took, as JSON, so a test can check the panels ran without
// looking at pixels. One shape for both readers: the native capture mode's --report file and the
// web page's dashboard.report JS extension (which has no frame times, so leaves those out).

#include <vector>

#include "actors/bridge/json.hpp"
#include "dashboard_app.hpp"

namespace actors::dashboard {

struct FrameTimes {
    std::vector<float> frame_ms;  // whole frame: fold, panels, GL rendering and the buffer swap
    std::vector<float> fold_ms;
    std::vector<float> build_ms;  // fold + panels + ImGui::Render(): the dashboard's own CPU cost
};

// scenario, liveActors, restarts, failures, deadLetters, eventsFolded, lastSeq (the newest event
// folded), missedEvents, panels,
// actorRows, treeNodes, logRows, tableRows, links, linkRows, memberRows, placementRows; with `times` also frames, frameMs, foldMs, buildMs
// (each {median, p95, max, mean}, or {} before the first frame).
[[nodiscard]] json::Value app_report_json(const DashboardApp& app, const FrameTimes* times = nullptr);

}  // namespace actors::dashboard
