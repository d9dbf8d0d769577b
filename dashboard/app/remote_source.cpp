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
using Item = std::variant<Snapshot, std::vector<Event>, Gap>;
}  // namespace

struct RemoteSource::Shared final : remote::InspectorClientEvents {
    explicit Shared(remote::InspectorClientOptions o) : client(std::move(o), *this) {}

    // InspectorClientEvents: called with `mutex` held (from the handler's on_frame).
    void on_welcome(const std::string& engine_name, remote::InspectorRole r, bool) override {
        engine = engine_name;
        role = r;
        attached = true;
    }
    void on_snapshot(const Snapshot& s) override { inbox.emplace_back(s); }
    void on_events(std::span<const Event> events) override { inbox.emplace_back(std::vector<Event>(events.begin(), events.end())); }
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
        if (shared_->attached) backoff_ = std::chrono::milliseconds(100);
        redial = !shared_->conn && !shared_->connecting && !shared_->given_up && std::chrono::steady_clock::now() >= next_dial_;
    }
    if (redial) dial();
    std::size_t folded = 0;
    for (Item& item : inbox) {
        if (auto* s = std::get_if<Snapshot>(&item)) {
            model.load(*s);
        } else if (auto* events = std::get_if<std::vector<Event>>(&item)) {
            model.fold(std::span<const Event>(*events));
            folded += events->size();
            if (!events->empty()) model.advance_to(events->back().time);
        } else {
            const Gap& g = std::get<Gap>(item);
            model.fold(Event{0, TimePoint{}, EventsMissed{g.first, g.count}});
        }
    }
    return folded;
}

std::string RemoteSource::describe() const {
    std::lock_guard lock(shared_->mutex);
    std::string where = url_.to_string();
    std::string state;
    if (shared_->attached)
        state = "watching " + shared_->engine + " (" + remote::to_string(*shared_->role) + ")";
    else if (shared_->given_up)
        state = "refused: " + shared_->closed_reason;
    else if (shared_->connecting)
        state = "connecting";
    else
        state = "reconnecting" + (shared_->closed_reason.empty() ? std::string() : " after: " + shared_->closed_reason);
    std::string line = where + ": " + state;
    if (!shared_->last_result.empty()) line += "; last command " + shared_->last_result;
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
