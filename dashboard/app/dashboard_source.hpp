#pragma once
// Where the dashboard's model gets its snapshot and events from, and where its actions go: the
// engine in this process (DashboardApp::own / attach), or another process's engine through its
// inspector endpoint (RemoteSource). The model and the panels are the same for both.

#include <cstddef>
#include <string>

#include "actors/pid.hpp"
#include "dashboard/model.hpp"

namespace actors::dashboard {

// Where a source stands, for a page's header (dashboard.status) and the native window's line.
struct SourceStatus {
    std::string where;        // "ws://127.0.0.1:8080/inspector"
    std::string state;        // connecting, attached, reconnecting, refused
    std::string engine;       // the watched engine's name, once attached
    std::string role;         // watch or control, once attached
    std::string reason;       // why the last connection ended (or was refused)
    std::string last_result;  // the last command's answer: "fail: ..." or "fail refused: ..."
    // How much later than the quickest batch so far the newest events reached the model (the
    // two clocks differ, so relative to the best case seen on this connection); < 0: not known yet.
    double lag_ms = -1;
};

class DashboardSource {
public:
    virtual ~DashboardSource() = default;
    // Puts what arrived since the last call into `model` (a snapshot loads it, events fold, gaps
    // show as gaps); returns the events folded. Called once per frame, on the UI thread.
    virtual std::size_t update(Model& model) = 0;
    // One line for the header: what is watched, and the state of the connection.
    [[nodiscard]] virtual std::string describe() const = 0;
    [[nodiscard]] virtual SourceStatus status() const = 0;
    virtual void stop(Pid pid) = 0;
    virtual void inject_failure(Pid pid) = 0;
    virtual void send_message(Pid pid, const std::string& text) = 0;
    virtual void spawn_child(Pid parent) = 0;
};

}  // namespace actors::dashboard
