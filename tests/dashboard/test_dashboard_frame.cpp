// The dashboard's panels drawn headless: an ImGui context with no platform or renderer backend
// (ImGui's "null backend"), so these run in every configuration, WebAssembly and sanitizers
// included. They check from the ImGui side that the panels ran and what they listed.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <string>

#include "app_report.hpp"
#include "dashboard_app.hpp"
#include "dashboard_extensions.hpp"
#include "actors/bridge/extensions.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;

namespace {

class HeadlessImGui {
public:
    HeadlessImGui() {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1600, 900);
        io.DeltaTime = 1.0f / 60;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // a frame needs a built font atlas
        apply_style();
    }
    ~HeadlessImGui() { ImGui::DestroyContext(); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    void frame(DashboardApp& app) {
        ImGui::NewFrame();
        app.frame(1.0f);
        ImGui::Render();
    }
};

// A deterministic engine the app watches: cooperative, on virtual time, stats and health on.
struct Watched {
    std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
    DashboardApp app;
    Watched() {
        EngineConfig c = DashboardApp::watched_config(EngineConfig::deterministic(clock));
        app.own(std::make_unique<Engine>(c));
    }
    Engine& engine() { return *app.engine(); }
    void run(Duration d) {
        for (Duration t{}; t < d; t += 50ms) engine().advance(50ms);
    }
};

bool any_starts_with(const std::vector<std::string>& names, const std::string& prefix) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n.rfind(prefix, 0) == 0; });
}

}  // namespace

TEST(DashboardFrame, draws_every_default_panel_and_lists_the_scenarios_actors) {
    HeadlessImGui gui;
    Watched w;
    w.app.start_scenario("worker-pool");
    w.run(2s);
    gui.frame(w.app);
    gui.frame(w.app);  // tables settle their sizes on the first frame
    const FrameReport& r = w.app.report();
    for (const char* panel : {"overview", "rates", "actors", "inspector", "log"})
        EXPECT_NE(std::find(r.panels.begin(), r.panels.end(), panel), r.panels.end()) << panel;
    EXPECT_TRUE(any_starts_with(r.actor_rows, "worker-pool")) << "rows drawn: " << r.actor_rows.size();
    EXPECT_GT(r.log_rows, 0u);
    EXPECT_GT(w.app.model().overview().events_folded, 0u);
}

TEST(DashboardFrame, clips_a_table_of_ten_thousand_actors_to_the_rows_on_screen) {
    HeadlessImGui gui;
    Watched w;
    w.app.spawn_idle(10'000);
    w.run(500ms);
    gui.frame(w.app);
    gui.frame(w.app);
    EXPECT_EQ(w.app.model().actors().live(), 10'000u);
    const auto drawn = w.app.report().actor_rows.size();
    EXPECT_GT(drawn, 10u);
    EXPECT_LT(drawn, 200u) << "the clipper should draw only what fits in 900 pixels";
}

TEST(DashboardFrame, the_inspector_shows_the_selected_actor_and_its_actions_act) {
    HeadlessImGui gui;
    Watched w;
    w.app.start_scenario("worker-pool");
    w.run(1s);
    gui.frame(w.app);
    const ActorRow* worker = nullptr;
    for (const ActorRow& row : w.app.model().actors().rows())
        if (row.name.find("worker-pool/") == 0 && !row.stopped() && row.name.find("worker") != std::string::npos) worker = &row;
    ASSERT_NE(worker, nullptr);
    const Pid pid = worker->pid;
    w.app.panel_state().selected = pid;
    const auto restarts_before = w.engine().counters().restarts;
    w.app.inject_failure(pid);
    w.run(3s);
    gui.frame(w.app);
    EXPECT_GT(w.engine().counters().restarts, restarts_before);
    const ActorRow* after = w.app.model().actors().find(pid);
    ASSERT_NE(after, nullptr);
    EXPECT_GE(after->failures, 1u);
    EXPECT_FALSE(after->last_error.empty());
}

TEST(DashboardFrame, switching_scenarios_stops_the_old_one) {
    HeadlessImGui gui;
    Watched w;
    w.app.start_scenario("ping-pong");
    w.run(1s);
    w.app.start_scenario("chat-room");
    w.run(2s);
    gui.frame(w.app);
    EXPECT_EQ(w.app.scenario(), "chat-room");
    for (const ActorRow& row : w.app.model().actors().rows()) {
        if (row.name.rfind("ping-pong", 0) == 0) {
            EXPECT_TRUE(row.stopped()) << row.name;
        }
    }
    EXPECT_TRUE(any_starts_with(w.app.report().actor_rows, "chat-room"));
}

TEST(DashboardFrame, an_unknown_scenario_is_refused_and_the_running_one_keeps_going) {
    Watched w;
    w.app.start_scenario("ping-pong");
    EXPECT_ANY_THROW(w.app.start_scenario("no-such-scenario"));
    EXPECT_EQ(w.app.scenario(), "ping-pong");
}

// One report for both readers: the capture mode's --report file (with frame times) and the page's
// dashboard.report extension (without). The fields the browser test, the capture test and the
// demo page read are in both.
TEST(DashboardReport, has_the_same_fields_with_and_without_frame_times) {
    HeadlessImGui gui;
    Watched w;
    w.app.start_scenario("worker-pool");
    w.run(1s);
    gui.frame(w.app);
    gui.frame(w.app);
    const json::Value page = app_report_json(w.app);
    FrameTimes times;
    times.frame_ms = {3, 1, 2};
    times.fold_ms = {0.5f, 0.5f, 0.5f};
    times.build_ms = {1, 1, 1};
    const json::Value capture = app_report_json(w.app, &times);
    for (const json::Value* r : {&page, &capture}) {
        for (const char* key : {"scenario", "liveActors", "restarts", "failures", "deadLetters", "eventsFolded", "missedEvents",
                                "panels", "actorRows", "treeNodes", "logRows", "tableRows"})
            EXPECT_NE(r->find(key), nullptr) << key << " in " << json::dump(*r);
        EXPECT_EQ(r->find("scenario")->as_string(), "worker-pool");
        EXPECT_EQ(r->find("liveActors")->as_number(), static_cast<double>(w.app.model().overview().live_actors));
        EXPECT_GT(r->find("eventsFolded")->as_number(), 0);
        EXPECT_TRUE(any_starts_with(w.app.report().actor_rows, "worker-pool"));
        EXPECT_EQ(r->find("actorRows")->as_array().size(), w.app.report().actor_rows.size());
    }
    for (const char* key : {"frames", "frameMs", "foldMs", "buildMs"}) {
        EXPECT_EQ(page.find(key), nullptr) << key << ": the page has no frame times";
        EXPECT_NE(capture.find(key), nullptr) << key;
    }
    EXPECT_EQ(capture.find("frames")->as_number(), 3);
    EXPECT_EQ(capture.find("frameMs")->find("median")->as_number(), 2);
    EXPECT_EQ(capture.find("frameMs")->find("max")->as_number(), 3);
}

TEST(DashboardExtensions, attach_start_crash_and_report_through_the_js_extension_calls) {
    HeadlessImGui gui;
    DashboardApp app;
    register_dashboard_extensions(app);
    auto clock = std::make_shared<ManualClock>();
    Engine plain(EngineConfig::deterministic(clock));
    try {
        js::call_extension(plain, "dashboard.attach", {});
        FAIL() << "an engine without stats must be refused";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("stats"), std::string::npos) << e.what();
    }
    Engine engine(DashboardApp::watched_config(EngineConfig::deterministic(clock)));
    json::Value bad;
    bad.set("pageControls", "yes");
    EXPECT_THROW(js::call_extension(engine, "dashboard.attach", bad), std::invalid_argument);
    json::Value page;
    page.set("pageControls", true);
    js::call_extension(engine, "dashboard.attach", page);
    EXPECT_FALSE(app.panel_state().demo_controls);
    js::call_extension(engine, "dashboard.attach", {});
    EXPECT_TRUE(app.panel_state().demo_controls);
    EXPECT_GE(js::call_extension(engine, "dashboard.scenarios", {}).as_array().size(), 5u);
    json::Value args;
    args.set("name", "worker-pool");
    EXPECT_EQ(js::call_extension(engine, "dashboard.start", args).as_string(), "worker-pool");
    for (int i = 0; i < 20; ++i) engine.advance(50ms);
    const auto before = engine.counters().restarts;
    const json::Value crashed = js::call_extension(engine, "dashboard.crash", {});
    ASSERT_TRUE(crashed.is_string());
    for (int i = 0; i < 60; ++i) engine.advance(50ms);
    EXPECT_GT(engine.counters().restarts, before);
    ImGui::NewFrame();
    app.frame(1.0f);
    ImGui::Render();
    const json::Value report = js::call_extension(engine, "dashboard.report", {});
    EXPECT_GT(report.find("restarts")->as_number(), 0);
    EXPECT_EQ(json::dump(report), json::dump(app_report_json(app))) << "the extension is the shared report";
    json::Value storm;
    storm.set("messages", 0.0);
    EXPECT_THROW(js::call_extension(engine, "dashboard.storm", storm), std::invalid_argument);
    js::engine_closing(engine);
    EXPECT_EQ(app.engine(), nullptr) << "closing the watched engine detaches the dashboard";
}

TEST(DashboardFrame, the_nodes_tab_appears_with_links_and_lists_them) {
    HeadlessImGui gui;
    Watched w;
    gui.frame(w.app);
    gui.frame(w.app);
    EXPECT_EQ(w.app.report().link_rows, 0u);
    // What a remote::Node publishes into its engine's stream (the runtime has no network code).
    w.engine().events().publish(NodeConnected{"beta", 11, 40, false});
    w.engine().events().publish(NodeConnected{"gamma", 12, 41, false});
    w.engine().events().publish(NodeDown{"gamma", "6 heartbeats missed"});
    w.app.panel_state().open_tab = "nodes";
    gui.frame(w.app);
    gui.frame(w.app);
    const FrameReport& r = w.app.report();
    EXPECT_NE(std::find(r.panels.begin(), r.panels.end(), "nodes"), r.panels.end());
    EXPECT_EQ(r.link_rows, 2u);
    EXPECT_EQ(w.app.model().links().connected(), 1u);
    const std::string report = json::dump(app_report_json(w.app, nullptr));
    EXPECT_NE(report.find("\"node\":\"gamma\""), std::string::npos) << report;
    EXPECT_NE(report.find("\"state\":\"down\""), std::string::npos) << report;
}

// actors_dashboard --tab nodes asks for the Nodes tab at the start, before any link exists: it
// comes to the front when the first link makes it appear.
TEST(DashboardFrame, a_tab_asked_for_before_it_exists_opens_when_it_appears) {
    HeadlessImGui gui;
    Watched w;
    w.app.panel_state().open_tab = "nodes";
    gui.frame(w.app);
    gui.frame(w.app);
    {
        const FrameReport& r = w.app.report();
        EXPECT_EQ(std::find(r.panels.begin(), r.panels.end(), "nodes"), r.panels.end());
    }
    w.engine().events().publish(NodeConnected{"beta", 11, 40, false});
    gui.frame(w.app);
    gui.frame(w.app);
    const FrameReport& r = w.app.report();
    EXPECT_NE(std::find(r.panels.begin(), r.panels.end(), "nodes"), r.panels.end());
    EXPECT_EQ(r.link_rows, 1u);
}

TEST(DashboardFrame, a_page_with_its_own_controls_gets_a_demo_bar_without_them) {
    HeadlessImGui gui;
    Watched w;
    w.app.start_scenario("worker-pool");
    gui.frame(w.app);
    EXPECT_TRUE(w.app.report().demo_controls);
    w.app.panel_state().demo_controls = false;  // what dashboard.attach { pageControls: true } sets
    gui.frame(w.app);
    EXPECT_FALSE(w.app.report().demo_controls);
    const FrameReport& r = w.app.report();
    EXPECT_NE(std::find(r.panels.begin(), r.panels.end(), "actors"), r.panels.end()) << "the rest is drawn as before";
}
