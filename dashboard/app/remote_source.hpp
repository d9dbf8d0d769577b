#pragma once
// The dashboard watching an engine in another process: an InspectorClient on a connection to
// that engine's inspector endpoint (ws://host:port/inspector). Frames arrive on the
// transport's thread and wait in a queue; update() folds them on the UI thread. A lost
// connection is dialled again (backoff up to 2 s) and resumes from the last event folded; what
// the server's ring no longer held shows as a counted gap. Commands wait for the connection and
// run once (the server keeps a ledger per client id).
//
// Portable: natively the transport is Boost.Beast; in a browser the page's WebSocket
// (make_browser_transport). Nothing here needs a second thread: in a browser every handler call
// comes from the page's event loop between frames, the mutex is then never contended, and no
// Connection method is called with it held (the transport may call back into the handler from
// wants_write(), which takes it).

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "dashboard_source.hpp"
#include "remote/inspector.hpp"
#include "remote/transport.hpp"

namespace actors::dashboard {

class RemoteSource final : public DashboardSource {
public:
    // Throws std::invalid_argument for a bad URL. Connects at once (in the background).
    RemoteSource(std::shared_ptr<remote::Transport> transport, const std::string& url, std::string token);
    ~RemoteSource() override;

    std::size_t update(Model& model) override;
    [[nodiscard]] std::string describe() const override;
    [[nodiscard]] SourceStatus status() const override;
    void stop(Pid pid) override;
    void inject_failure(Pid pid) override;
    void send_message(Pid pid, const std::string& text) override;
    void spawn_child(Pid parent) override;

    struct Shared;  // internal: what the connection's handler and this share

private:
    void command(remote::CommandKind kind, Pid pid, std::string text = {});
    void dial();
    void note_lag(TimePoint event_time, TimePoint received);

    std::shared_ptr<remote::Transport> transport_;
    remote::Url url_;
    std::shared_ptr<Shared> shared_;
    std::chrono::steady_clock::time_point next_dial_{};
    std::chrono::milliseconds backoff_{100};
    // The lag (SourceStatus::lag_ms), measured on the UI thread as batches are folded.
    std::uint64_t lag_connection_ = 0;
    std::optional<Duration> best_delay_;
    double lag_ms_ = -1;
};

}  // namespace actors::dashboard
