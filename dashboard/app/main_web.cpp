// The web dashboard: the same app drawn into a WebGL2 canvas. The page owns the engine, through
// the JS API compiled into this same module, and hands it to the dashboard with
// engine.extension('dashboard.attach'); the page's controls call the other extensions below. Or
// it watches a native node's engine, engine.extension('dashboard.connect', {url, token}).
#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "actors/actors.hpp"
#include "dashboard_app.hpp"
#include "dashboard_extensions.hpp"
#if ACTORS_DASHBOARD_CONNECT
#include "remote/browser_transport.hpp"
#include "remote_source.hpp"
#endif

using namespace actors;
using namespace actors::dashboard;

namespace {

GLFWwindow* g_window = nullptr;
std::unique_ptr<DashboardApp> g_app;
float g_last_ms = 0;

void frame() {
    const auto start = std::chrono::steady_clock::now();
    glfwPollEvents();
    // The canvas follows its CSS size (the page lays it out); the framebuffer follows the canvas.
    int w = 0, h = 0;
    double cw = 0, ch = 0;
    emscripten_get_element_css_size("#canvas", &cw, &ch);
    glfwGetWindowSize(g_window, &w, &h);
    if (cw > 0 && ch > 0 && (static_cast<int>(cw) != w || static_cast<int>(ch) != h))
        glfwSetWindowSize(g_window, static_cast<int>(cw), static_cast<int>(ch));
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    g_app->frame(g_last_ms);
    ImGui::Render();
    glfwGetFramebufferSize(g_window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.06f, 0.07f, 0.09f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    g_last_ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "dashboard: GLFW could not initialise\n");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    g_window = glfwCreateWindow(1280, 800, "actors dashboard", nullptr, nullptr);
    if (!g_window) {
        std::fprintf(stderr, "dashboard: no WebGL2 context\n");
        return 1;
    }
    glfwMakeContextCurrent(g_window);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    apply_style();
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    g_app = std::make_unique<DashboardApp>();
    SourceConnector connect;
#if ACTORS_DASHBOARD_CONNECT
    // dashboard.connect: the page watches a native node's engine over the browser's WebSocket.
    connect = [transport = std::shared_ptr<remote::Transport>()](const std::string& url, const std::string& token) mutable
        -> std::unique_ptr<DashboardSource> {
        if (!transport) transport = remote::make_browser_transport();
        return std::make_unique<RemoteSource>(transport, url, token);
    };
#endif
    register_dashboard_extensions(*g_app, std::move(connect));
    // Returns at once (simulate_infinite_loop = 0), so the module finishes loading and the page
    // can create its engine; frames run from requestAnimationFrame.
    emscripten_set_main_loop(frame, 0, 0);
    return 0;
}
