#pragma once
// The capture mode's report: what the last frame drew (from the ImGui side) and how long frames
// took, as JSON, so a test can check the panels ran without looking at pixels.

#include <string>
#include <vector>

#include "dashboard_app.hpp"

namespace actors::dashboard {

struct FrameTimes {
    std::vector<float> frame_ms;  // whole frame: fold, panels, GL rendering and the buffer swap
    std::vector<float> fold_ms;
    std::vector<float> build_ms;  // fold + panels + ImGui::Render(): the dashboard's own CPU cost
};

std::string app_report_json(const DashboardApp& app, const FrameTimes& times, const std::string& scenario);

}  // namespace actors::dashboard
