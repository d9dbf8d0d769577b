#pragma once
// Where the dashboard's model gets its snapshot and events from, and where its actions go: the
// engine in this process (DashboardApp::own / attach), or another process's engine through its
// inspector endpoint (RemoteSource). The model and the panels are the same for both.

#include <cstddef>
#include <string>

#include "actors/pid.hpp"
#include "dashboard/model.hpp"

namespace actors::dashboard {

class DashboardSource {
public:
    virtual ~DashboardSource() = default;
    // Puts what arrived since the last call into `model` (a snapshot loads it, events fold, gaps
    // show as gaps); returns the events folded. Called once per frame, on the UI thread.
    virtual std::size_t update(Model& model) = 0;
    // One line for the header: what is watched, and the state of the connection.
    [[nodiscard]] virtual std::string describe() const = 0;
    virtual void stop(Pid pid) = 0;
    virtual void inject_failure(Pid pid) = 0;
    virtual void send_message(Pid pid, const std::string& text) = 0;
    virtual void spawn_child(Pid parent) = 0;
};

}  // namespace actors::dashboard
