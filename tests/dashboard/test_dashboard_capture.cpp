// The native dashboard in a real window under Xvfb, in its headless capture mode: it renders a
// scenario for a couple of seconds, writes a PNG of its own framebuffer and a JSON report of what
// its panels drew. Checks the picture is not blank and the table listed the scenario's actors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include "actors/bridge/json.hpp"
#include "support/child_process.hpp"
#ifdef ACTORS_CLUSTER_NODE
#include "cluster/etcd_server.hpp"
#endif

namespace fs = std::filesystem;
using namespace actors;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Capture {
    int exit_code = -1;
    fs::path png;
    json::Value report;
    std::string log;
};

Capture capture(const std::string& scenario, const std::string& extra = "", const std::string& args = "") {
    const fs::path dir = fs::path(ACTORS_ARTIFACTS);
    fs::create_directories(dir);
    Capture c;
    c.png = dir / ("dashboard-native-" + scenario + ".png");
    const fs::path report = dir / ("dashboard-native-" + scenario + ".json");
    const fs::path log = dir / ("dashboard-native-" + scenario + ".log");
    fs::remove(c.png);
    fs::remove(report);
    const std::string cmd = "xvfb-run -a -s '-screen 0 1600x900x24' '" ACTORS_DASHBOARD "' " + (args.empty() ? "--scenario " + scenario : args) +
                            " --frames 150 --size 1600x900 --screenshot '" + c.png.string() + "' --report '" + report.string() + "' " +
                            extra + " > '" + log.string() + "' 2>&1";
    c.exit_code = std::system(cmd.c_str());
    c.log = read_file(log);
    if (fs::exists(report)) c.report = json::parse(read_file(report));
    return c;
}

}  // namespace

TEST(DashboardCapture, the_native_window_renders_the_worker_pool_and_its_table_lists_the_workers) {
    const Capture c = capture("worker-pool");
    ASSERT_EQ(c.exit_code, 0) << c.log;
    ASSERT_TRUE(fs::exists(c.png)) << c.log;

    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load(c.png.string().c_str(), &w, &h, &n, 3);
    ASSERT_NE(pixels, nullptr) << stbi_failure_reason();
    EXPECT_EQ(w, 1600);
    EXPECT_EQ(h, 900);
    // Not blank: many distinct colours, and a fair share of pixels that are not the background.
    std::set<int> colours;
    std::size_t painted = 0;
    const unsigned char* bg = pixels + (static_cast<std::size_t>(h) - 1) * static_cast<std::size_t>(w) * 3;  // bottom-left
    for (std::size_t i = 0; i < static_cast<std::size_t>(w) * static_cast<std::size_t>(h); ++i) {
        const unsigned char* p = pixels + i * 3;
        colours.insert((p[0] >> 3) << 10 | (p[1] >> 3) << 5 | (p[2] >> 3));
        if (std::abs(p[0] - bg[0]) + std::abs(p[1] - bg[1]) + std::abs(p[2] - bg[2]) > 24) ++painted;
    }
    stbi_image_free(pixels);
    EXPECT_GT(colours.size(), 50u) << "a blank or single-colour frame";
    EXPECT_GT(painted, static_cast<std::size_t>(w) * static_cast<std::size_t>(h) / 20) << "almost nothing drawn";

    // The ImGui side: which panels ran and which actors the table's visible rows held.
    ASSERT_TRUE(c.report.is_object()) << c.log;
    bool listed_worker = false;
    for (const json::Value& name : c.report.find("actorRows")->as_array())
        listed_worker = listed_worker || name.as_string().rfind("worker-pool", 0) == 0;
    EXPECT_TRUE(listed_worker) << json::dump(c.report);
    std::set<std::string> panels;
    for (const json::Value& p : c.report.find("panels")->as_array()) panels.insert(p.as_string());
    for (const char* expected : {"overview", "rates", "actors", "inspector", "log"}) EXPECT_TRUE(panels.count(expected)) << expected;
    EXPECT_GT(c.report.find("eventsFolded")->as_number(), 0);
}

TEST(DashboardCapture, a_bad_option_is_refused_with_the_usage) {
    const std::string cmd = "'" ACTORS_DASHBOARD "' --scenario nope > /dev/null 2>&1";
    const int rc = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(rc));
    EXPECT_EQ(WEXITSTATUS(rc), 2);
}

#ifdef ACTORS_INSPECTED_NODE
// Another process's engine: example_inspected_node runs the worker pool and serves its
// inspector; the native dashboard attaches with --connect and lists that process's actors.
TEST(DashboardCapture, attached_to_a_node_in_another_process_the_window_lists_its_actors) {
    actors::testing::Process server({ACTORS_INSPECTED_NODE, "--listen", "127.0.0.1:0", "--token", "capture-token"});
    const auto line = server.expect("inspector ws://");
    ASSERT_TRUE(line) << server.transcript();
    const std::string url = line->substr(std::string("inspector ").size());
    const Capture c = capture("remote", "", "--connect " + url + " --token capture-token");
    ASSERT_EQ(c.exit_code, 0) << c.log;
    ASSERT_TRUE(c.report.is_object()) << c.log;
    const std::string watching = c.report.find("watching")->as_string();
    EXPECT_NE(watching.find("watching inspected-node/worker-pool (control)"), std::string::npos) << watching;
    bool listed_worker = false;
    for (const json::Value& name : c.report.find("actorRows")->as_array())
        listed_worker = listed_worker || name.as_string().rfind("worker-pool/pool/worker-", 0) == 0;
    EXPECT_TRUE(listed_worker) << json::dump(c.report);
    EXPECT_GT(c.report.find("liveActors")->as_number(), 5);
    EXPECT_EQ(c.report.find("missedEvents")->as_number(), 0);

    // A wrong token: the window says why instead of showing an empty engine.
    const Capture refused = capture("refused", "", "--connect " + url + " --token wrong");
    ASSERT_EQ(refused.exit_code, 0) << refused.log;
    const std::string why = refused.report.find("watching")->as_string();
    EXPECT_NE(why.find("refused"), std::string::npos) << why;
    EXPECT_NE(why.find("wrong token"), std::string::npos) << why;
}
#endif

#ifdef ACTORS_CLUSTER_NODE
// A cluster already running when the window attaches: two members on a real etcd, one visiting
// users so they are activated. The Nodes tab, asked for with --tab, lists both members and the
// member's virtual actors, though their events came before the window did (the snapshot restates
// them).
TEST(DashboardCapture, attached_late_to_a_cluster_member_the_nodes_tab_lists_members_and_virtual_actors) {
    actors::testing::EtcdServer etcd("dashboard-capture");
    const std::string at = "127.0.0.1:" + std::to_string(etcd.port());
    actors::testing::Process m1({ACTORS_CLUSTER_NODE, "--name", "m1", "--etcd", at, "--token", "t0ken", "--visit", "6"});
    actors::testing::Process m2({ACTORS_CLUSTER_NODE, "--name", "m2", "--etcd", at, "--token", "t0ken"});
    const auto line = m1.expect("inspector ws://");
    ASSERT_TRUE(line) << m1.transcript();
    ASSERT_TRUE(m2.expect("inspector ws://")) << m2.transcript();
    // Visits until one answered from each member's users: then both have activations.
    for (int i = 0; i < 20; ++i) m1.send("visit user-" + std::to_string(i));
    ASSERT_TRUE(m1.expect("visited ")) << m1.transcript();
    const std::string url = line->substr(std::string("inspector ").size());
    const Capture c = capture("cluster", "", "--connect " + url + " --token t0ken --tab nodes");
    ASSERT_EQ(c.exit_code, 0) << c.log;
    ASSERT_TRUE(c.report.is_object()) << c.log;
    std::set<std::string> panels;
    for (const json::Value& p : c.report.find("panels")->as_array()) panels.insert(p.as_string());
    EXPECT_TRUE(panels.count("nodes")) << json::dump(c.report);
    EXPECT_EQ(c.report.find("memberRows")->as_number(), 2) << json::dump(c.report);
    EXPECT_GE(c.report.find("placementRows")->as_number(), 1) << json::dump(c.report);
}
#endif

