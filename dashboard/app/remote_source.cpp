#include "remote_source.hpp"

#include <random>
#include <variant>

namespace actors::dashboard {

namespace {
std::uint64_t random_client_id() {
    std::random_device rd;
    std::uint64_t v = 0;
    while (v == 0) v = (std::uint64_t{rd()} << 32) ^ rd();
    return v;
}

TimePoint steady_now() {
    return TimePoint{std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch())};
}

// A refusal no redial cures: the page says why and stops dialling.
bool permanent(const std::string& reason) {
    return reason.find("wrong token") != std::string::npos || reason.find("is not spoken here") != std::string::npos;
}

struct Gap {
    std::uint64_t first = 0, count = 0;
};
struct Batch {
    std::vector<Event> events;
    TimePoint received{};  // this process's steady clock
};
using Item = std::variant<Snapshot, Batch, Gap>;
}  // namespace

struct RemoteSource::Shared final : remote::InspectorClientEvents {
    explicit Shared(remote::InspectorClientOptions o) : client(std::move(o), *this) {}

    // InspectorClientEvents: called with `mutex` held (from the handler's on_frame).
    void on_welcome(const std::string& engine_name, remote::InspectorRole r, bool) override {
        engine = engine_name;
        role = r;
        attached = true;
        ++connections;  // another connection: the lag's baseline starts over
    }
    void on_snapshot(const Snapshot& s) override { inbox.emplace_back(s); }
    void on_events(std::span<const Event> events) override {
        inbox.emplace_back(Batch{std::vector<Event>(events.begin(), events.end()), steady_now()});
    }
    void on_gap(std::uint64_t first, std::uint64_t count) override { inbox.emplace_back(Gap{first, count}); }
    void on_result(const remote::InspectorCommand& c, const remote::CommandResult& r) override {
        last_result = std::string(remote::to_string(c.kind)) + (r.ok ? ": " : " refused: ") + r.detail;
    }

    std::mutex mutex;
    remote::InspectorClient client;
    std::shared_ptr<remote::Connection> conn;
    bool connecting = false, attached = false, given_up = false;
    std::string engine, closed_reason, last_result;
    std::optional<remote::InspectorRole> role;
    std::uint64_t connections = 0;
    std::vector<Item> inbox;
};

namespace {
class Handler final : public remote::ConnectionHandler {
public:
    explicit Handler(std::shared_ptr<RemoteSource::Shared> s) : shared_(std::move(s)) {}
    void on_open(std::shared_ptr<remote::Connection> c) override {
        {
            std::lock_guard lock(shared_->mutex);
            shared_->conn = c;
            shared_->connecting = false;
            shared_->client.open(steady_now());
        }
        c->wants_write();
    }
    void on_frame(remote::ByteView frame) override {
        std::shared_ptr<remote::Connection> c;
        std::optional<std::string> broken;
        {
            std::lock_guard lock(shared_->mutex);
            broken = shared_->client.on_frame(frame, steady_now());
            c = shared_->conn;
        }
        if (!c) return;
        if (broken) c->close(*broken);
        else c->wants_write();  // acks and commands ride on the answer
    }
    std::optional<remote::Bytes> next_frame() override {
        std::lock_guard lock(shared_->mutex);
        return shared_->client.next_frame(steady_now());
    }
    void on_close(std::string reason) override {
        std::lock_guard lock(shared_->mutex);
        shared_->conn.reset();
        shared_->connecting = false;
        shared_->attached = false;
        shared_->client.connection_lost();
        shared_->closed_reason = std::move(reason);
        if (permanent(shared_->closed_reason)) shared_->given_up = true;
    }

private:
    std::shared_ptr<RemoteSource::Shared> shared_;
};
}  // namespace

RemoteSource::RemoteSource(std::shared_ptr<remote::Transport> transport, const std::string& url, std::string token)
    : transport_(std::move(transport)), url_(remote::Url::parse(url)) {
    if (!transport_) throw std::invalid_argument("RemoteSource: no transport");
    remote::InspectorClientOptions o;
    o.token = std::move(token);
    o.client_id = random_client_id();
    shared_ = std::make_shared<Shared>(std::move(o));
    dial();
}

RemoteSource::~RemoteSource() {
    std::shared_ptr<remote::Connection> c;
    {
        std::lock_guard lock(shared_->mutex);
        c = shared_->conn;
        shared_->given_up = true;
    }
    if (c) c->close("dashboard closed");
}

void RemoteSource::dial() {
    {
        std::lock_guard lock(shared_->mutex);
        if (shared_->given_up || shared_->conn || shared_->connecting) return;
        shared_->connecting = true;
    }
    next_dial_ = std::chrono::steady_clock::now() + backoff_;
    backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(2000));
    transport_->connect(url_, {}, std::make_shared<Handler>(shared_));
}

std::size_t RemoteSource::update(Model& model) {
    std::vector<Item> inbox;
    bool redial = false;
    {
        std::lock_guard lock(shared_->mutex);
        inbox.swap(shared_->inbox);
        if (shared_->connections != lag_connection_) {
            lag_connection_ = shared_->connections;
            best_delay_.reset();
        }
        if (shared_->attached) backoff_ = std::chrono::milliseconds(100);
        redial = !shared_->conn && !shared_->connecting && !shared_->given_up && std::chrono::steady_clock::now() >= next_dial_;
    }
    if (redial) dial();
    std::size_t folded = 0;
    for (Item& item : inbox) {
        if (auto* s = std::get_if<Snapshot>(&item)) {
            model.load(*s);
        } else if (auto* batch = std::get_if<Batch>(&item)) {
            const std::vector<Event>& events = batch->events;
            model.fold(std::span<const Event>(events));
            folded += events.size();
            if (!events.empty()) {
                model.advance_to(events.back().time);
                note_lag(events.back().time, batch->received);
            }
        } else {
            const Gap& g = std::get<Gap>(item);
            model.fold(Event{0, TimePoint{}, EventsMissed{g.first, g.count}});
        }
    }
    return folded;
}

void RemoteSource::note_lag(TimePoint event_time, TimePoint received) {
    // The server's clock and ours have different origins: (received - event time) is the true
    // delay plus an unknown offset. The smallest value seen on this connection stands in for the
    // offset, so what is shown is the delay beyond the quickest batch: the time events queue on
    // the way (the server's poll, the socket, frames waiting to be folded).
    const Duration delay = received - event_time;
    if (!best_delay_ || delay < *best_delay_) best_delay_ = delay;
    const Duration folded_after = steady_now() - received;
    lag_ms_ = std::chrono::duration<double, std::milli>(delay - *best_delay_ + folded_after).count();
}

SourceStatus RemoteSource::status() const {
    std::lock_guard lock(shared_->mutex);
    SourceStatus s;
    s.where = url_.to_string();
    if (shared_->attached) s.state = "attached";
    else if (shared_->given_up) s.state = "refused";
    else if (shared_->connecting) s.state = "connecting";
    else s.state = "reconnecting";
    s.engine = shared_->engine;
    if (shared_->role) s.role = remote::to_string(*shared_->role);
    s.reason = shared_->closed_reason;
    s.last_result = shared_->last_result;
    s.lag_ms = shared_->attached && best_delay_ ? lag_ms_ : -1;
    return s;
}

std::string RemoteSource::describe() const {
    const SourceStatus s = status();
    std::string state;
    if (s.state == "attached") {
        state = "watching " + s.engine + " (" + s.role + ")";
        if (s.lag_ms >= 0) state += ", lag " + std::to_string(static_cast<long>(s.lag_ms)) + " ms";
    } else if (s.state == "refused") {
        state = "refused: " + s.reason;
    } else if (s.state == "connecting") {
        state = "connecting";
    } else {
        state = "reconnecting" + (s.reason.empty() ? std::string() : " after: " + s.reason);
    }
    std::string line = s.where + ": " + state;
    if (!s.last_result.empty()) line += "; last command " + s.last_result;
    return line;
}

void RemoteSource::command(remote::CommandKind kind, Pid pid, std::string text) {
    std::shared_ptr<remote::Connection> c;
    {
        std::lock_guard lock(shared_->mutex);
        shared_->client.command(kind, pid, std::move(text));
        c = shared_->conn;
    }
    if (c) c->wants_write();
}

void RemoteSource::stop(Pid pid) { command(remote::CommandKind::stop, pid); }
void RemoteSource::inject_failure(Pid pid) { command(remote::CommandKind::fail, pid); }
void RemoteSource::send_message(Pid pid, const std::string& text) { command(remote::CommandKind::send, pid, text); }
void RemoteSource::spawn_child(Pid parent) { command(remote::CommandKind::spawn_child, parent); }

}  // namespace actors::dashboard
