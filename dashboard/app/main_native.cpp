// The native dashboard: a GLFW window with OpenGL 3, watching an engine of its own that runs a
// demo scenario on the thread pool, or (--connect) an engine in another process through its
// inspector endpoint.
//
//   actors_dashboard [--scenario NAME] [--idle-actors N]
//                    [--frames N --screenshot out.png --report out.json] [--size WxH]
//   actors_dashboard --connect ws://HOST:PORT/inspector [--token T]   (or ACTORS_INSPECTOR_TOKEN)
//
// With --frames the app renders N frames (paced at ~60 per second, so the scenario has time to
// act), writes the screenshot of its own framebuffer and the JSON report, and exits: the
// headless capture mode used under Xvfb by the tests.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "actors/actors.hpp"
#include "app_report.hpp"
#ifdef ACTORS_DASHBOARD_CONNECT
#include "remote/beast_transport.hpp"
#include "remote_source.hpp"
#endif
#include "dashboard_app.hpp"
#include "screenshot.hpp"

using namespace actors;
using namespace actors::dashboard;

namespace {

struct Args {
    std::string scenario = "worker-pool";
    std::size_t idle_actors = 0;
    long frames = 0;  // 0: interactive until the window closes
    std::string screenshot;
    std::string report;
    int width = 1600;
    int height = 900;
    std::string connect;  // another process's inspector endpoint
    std::string token;
    std::string tab;  // the tab in front at the start (a capture of the Nodes tab, say)
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "actors_dashboard: " << problem << "\n"
              << "usage: actors_dashboard [--scenario NAME] [--idle-actors N] [--frames N] [--screenshot out.png]\n"
              << "                        [--report out.json] [--size WxH] [--tab actors|tree|dead|health|nodes]\n"
              << "       actors_dashboard --connect ws://HOST:PORT/inspector [--token T] [--frames N ...]\n"
              << "                        (the token may also come from ACTORS_INSPECTOR_TOKEN)\n"
              << "scenarios:";
    for (const auto& s : scenarios::list()) std::cerr << " " << s.name;
    std::cerr << "\n";
    std::exit(2);
}

long number(const std::string& flag, const char* text, long min, long max) {
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!end || *end || v < min || v > max)
        usage(flag + " takes a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got '" + text + "'");
    return v;
}

// Url::parse when remote/ is built; nothing to check otherwise (usage() refuses --connect then).
bool remote_url_check([[maybe_unused]] const std::string& url) {
#ifdef ACTORS_DASHBOARD_CONNECT
    (void)actors::remote::Url::parse(url);
#endif
    return true;
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) usage(flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--scenario") a.scenario = value();
        else if (flag == "--idle-actors") a.idle_actors = static_cast<std::size_t>(number(flag, value(), 0, 1'000'000));
        else if (flag == "--frames") a.frames = number(flag, value(), 1, 10'000'000);
        else if (flag == "--screenshot") a.screenshot = value();
        else if (flag == "--report") a.report = value();
        else if (flag == "--connect") a.connect = value();
        else if (flag == "--token") a.token = value();
        else if (flag == "--tab") {
            a.tab = value();
            if (a.tab != "actors" && a.tab != "tree" && a.tab != "dead" && a.tab != "health" && a.tab != "nodes")
                usage("--tab takes actors, tree, dead, health or nodes, not '" + a.tab + "'");
        }
        else if (flag == "--size") {
            const std::string v = value();
            const auto x = v.find('x');
            if (x == std::string::npos) usage("--size takes WxH, e.g. 1600x900");
            a.width = static_cast<int>(number(flag, v.substr(0, x).c_str(), 320, 8192));
            a.height = static_cast<int>(number(flag, v.substr(x + 1).c_str(), 240, 8192));
        } else if (flag == "--help" || flag == "-h") usage("help");
        else usage("unknown option '" + flag + "'");
    }
    bool known = false;
    for (const auto& s : scenarios::list()) known = known || s.name == a.scenario;
    if (!known) usage("unknown scenario '" + a.scenario + "'");
    if ((!a.screenshot.empty() || !a.report.empty()) && a.frames == 0) usage("--screenshot and --report need --frames N");
    if (!a.connect.empty()) {
#ifndef ACTORS_DASHBOARD_CONNECT
        usage("--connect needs a build with remote/ (ACTORS_BUILD_REMOTE)");
#endif
        if (a.token.empty()) {
            if (const char* t = std::getenv("ACTORS_INSPECTOR_TOKEN")) a.token = t;
        }
        try {
            (void)remote_url_check(a.connect);
        } catch (const std::exception& e) {
            usage(std::string("--connect: ") + e.what());
        }
    }
    return a;
}

void glfw_error(int code, const char* text) { std::cerr << "glfw error " << code << ": " << text << "\n"; }

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::cerr << "actors_dashboard: no display (GLFW could not initialise; set DISPLAY, or run under Xvfb)\n";
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWwindow* window = glfwCreateWindow(args.width, args.height, "actors dashboard", nullptr, nullptr);
    if (!window) {
        std::cerr << "actors_dashboard: could not open an OpenGL 3.0 window\n";
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    // Capture mode measures frame cost, so it must not wait for vsync.
    glfwSwapInterval(args.frames ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; nothing to remember
    apply_style();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    int rc = 0;
    {
        DashboardApp app;
#ifdef ACTORS_DASHBOARD_CONNECT
        // Declared before the app's source uses it, so it outlives the connection.
        std::shared_ptr<remote::Transport> transport;
        if (!args.connect.empty()) {
            transport = remote::make_beast_transport();
            app.watch(std::make_unique<RemoteSource>(transport, args.connect, args.token));
        }
#endif
        if (args.connect.empty()) {
            app.own(std::make_unique<Engine>(DashboardApp::watched_config()));
            app.spawn_idle(args.idle_actors);
            app.start_scenario(args.scenario);
        }

        app.panel_state().open_tab = args.tab;
        FrameTimes times;
        float last_ms = 0;
        const auto pace = std::chrono::microseconds(16'667);
        for (long frame = 0; !glfwWindowShouldClose(window) && (args.frames == 0 || frame < args.frames); ++frame) {
            const auto start = std::chrono::steady_clock::now();
            glfwPollEvents();
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            ImGui::NewFrame();
            app.frame(last_ms);
            ImGui::Render();
            const auto built = std::chrono::steady_clock::now();
            int w = 0, h = 0;
            glfwGetFramebufferSize(window, &w, &h);
            glViewport(0, 0, w, h);
            glClearColor(0.06f, 0.07f, 0.09f, 1.0f);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            const bool last = args.frames && frame + 1 == args.frames;
            if (last && !args.screenshot.empty()) {
                try {
                    write_framebuffer_png(args.screenshot, w, h);
                } catch (const std::exception& e) {
                    std::cerr << "actors_dashboard: " << e.what() << "\n";
                    rc = 1;
                }
            }
            glfwSwapBuffers(window);
            last_ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - start).count();
            if (args.frames) {
                times.frame_ms.push_back(last_ms);
                times.fold_ms.push_back(app.stats().fold_ms);
                times.build_ms.push_back(std::chrono::duration<float, std::milli>(built - start).count());
                const auto spent = std::chrono::steady_clock::now() - start;
                if (spent < pace) std::this_thread::sleep_for(pace - spent);
            }
        }
        if (!args.report.empty()) {
            std::ofstream out(args.report);
            out << json::dump(app_report_json(app, &times)) << "\n";
            if (!out) {
                std::cerr << "actors_dashboard: could not write the report to " << args.report << "\n";
                rc = 1;
            }
        }
        if (args.frames)
            std::cout << "actors_dashboard: " << times.frame_ms.size() << " frames, " << app.model().overview().events_folded
                      << " events folded, " << app.model().actors().live() << " live actors\n";
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}
