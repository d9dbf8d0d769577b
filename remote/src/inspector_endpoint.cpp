#include "remote/inspector_endpoint.hpp"

#include <algorithm>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

#include "actors/log.hpp"

namespace actors::remote {

namespace {

std::uint64_t random_incarnation() {
    std::random_device rd;
    std::uint64_t v = 0;
    while (v == 0) v = (std::uint64_t{rd()} << 32) ^ rd();
    return v;
}

class EngineSource final : public InspectorSource {
public:
    EngineSource(Engine& e, const InspectorEndpointOptions& o, std::uint64_t incarnation)
        : engine_(e), options_(o), incarnation_(incarnation) {}
    std::string name() const override { return options_.name; }
    std::uint64_t incarnation() const override { return incarnation_; }
    Snapshot snapshot() override { return engine_.snapshot(); }
    EventBatch read_since(std::uint64_t cursor, std::size_t max) override { return engine_.events().read_since(cursor, max); }
    CommandResult execute(const InspectorCommand& c) override {
        if (c.kind == CommandKind::stop) {
            if (!engine_.info(c.pid)) return {false, "no actor " + c.pid.to_string() + " here"};
            (void)engine_.stop(c.pid);
            return {true, "stopping " + c.pid.to_string()};
        }
        if (!options_.actions) return {false, std::string(to_string(c.kind)) + " is not supported by this node"};
        try {
            return options_.actions(engine_, c);
        } catch (const std::exception& e) {
            return {false, std::string(to_string(c.kind)) + " failed: " + e.what()};
        }
    }

private:
    Engine& engine_;
    const InspectorEndpointOptions& options_;
    std::uint64_t incarnation_;
};

}  // namespace

struct InspectorEndpoint::State : std::enable_shared_from_this<InspectorEndpoint::State> {
    State(Engine& e, InspectorEndpointOptions o)
        : engine(e), options(std::move(o)), source(e, options, random_incarnation()) {}

    struct Client final : ConnectionHandler, std::enable_shared_from_this<Client> {
        explicit Client(std::shared_ptr<State> s) : state(std::move(s)), server(state->options.protocol, state->source, state->ledger) {}
        void on_open(std::shared_ptr<Connection> c) override {
            {
                std::lock_guard lock(mutex);
                conn = c;
            }
            std::lock_guard lock(state->mutex);
            state->clients.push_back(weak_from_this());
        }
        void on_frame(ByteView frame) override {
            std::optional<std::string> close;
            std::shared_ptr<Connection> c;
            {
                std::lock_guard lock(mutex);
                close = server.on_frame(frame);
                c = conn;
            }
            if (!c) return;
            if (close) {
                logger()->warn("inspector: closed the connection from {}: {}", c->remote_address(), *close);
                c->close(*close);
            } else {
                c->wants_write();  // a welcome, a result or more events may be due
            }
        }
        std::optional<Bytes> next_frame() override {
            std::lock_guard lock(mutex);
            return server.next_frame();
        }
        void on_close(std::string) override {
            {
                std::lock_guard lock(mutex);
                conn.reset();
            }
            std::lock_guard lock(state->mutex);
            std::erase_if(state->clients, [this](const std::weak_ptr<Client>& w) {
                auto p = w.lock();
                return !p || p.get() == this;
            });
        }
        void kick() {
            std::shared_ptr<Connection> c;
            {
                std::lock_guard lock(mutex);
                c = conn;
            }
            if (c) c->wants_write();
        }
        std::shared_ptr<State> state;
        std::mutex mutex;  // the server; the transport calls one connection's handler from one strand, the poll from a timer
        InspectorServer server;
        std::shared_ptr<Connection> conn;
    };

    void poll() {
        std::vector<std::shared_ptr<Client>> all;
        {
            std::lock_guard lock(mutex);
            for (auto& w : clients)
                if (auto c = w.lock()) all.push_back(std::move(c));
        }
        for (auto& c : all) c->kick();
        arm();
    }
    void arm() {
        std::lock_guard lock(mutex);
        if (stopped) return;
        timer = engine.scheduler().call_after(options.poll_interval, [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->poll();
        });
    }

    Engine& engine;
    InspectorEndpointOptions options;
    EngineSource source;
    CommandLedger ledger;
    mutable std::mutex mutex;  // clients, timer, stopped
    std::vector<std::weak_ptr<Client>> clients;
    TimerId timer = 0;
    bool stopped = false;
};

InspectorEndpoint::InspectorEndpoint(Engine& engine, InspectorEndpointOptions options) {
    options.protocol.validate();
    if (options.poll_interval <= Duration::zero()) throw std::invalid_argument("InspectorEndpointOptions::poll_interval must be positive");
    state_ = std::make_shared<State>(engine, std::move(options));
    state_->arm();
}

InspectorEndpoint::~InspectorEndpoint() {
    TimerId t = 0;
    {
        std::lock_guard lock(state_->mutex);
        state_->stopped = true;
        t = state_->timer;
    }
    state_->engine.scheduler().cancel(t);
}

std::function<std::shared_ptr<ConnectionHandler>()> InspectorEndpoint::handler_factory() {
    return [weak = std::weak_ptr<State>(state_)]() -> std::shared_ptr<ConnectionHandler> {
        auto state = weak.lock();
        if (!state) return nullptr;
        return std::make_shared<State::Client>(state);
    };
}

std::size_t InspectorEndpoint::connections() const {
    std::lock_guard lock(state_->mutex);
    return static_cast<std::size_t>(std::count_if(state_->clients.begin(), state_->clients.end(), [](const auto& w) { return !w.expired(); }));
}

}  // namespace actors::remote
