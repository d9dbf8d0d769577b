// The inspector endpoint on real sockets on 127.0.0.1, next to a Node's links on the same port:
// a dashboard model on the far side of a WebSocket folds the engine's actors, commands act, a
// watch token is refused commands, a wrong token is refused with a reason.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include <remote/beast_transport.hpp>
#include <remote/inspector_endpoint.hpp>
#include <remote/node.hpp>

#include <actors/actors.hpp>
#include <dashboard/model.hpp>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

// A dashboard's end of the connection: an InspectorClient folding into a model.
class Dashboard final : public ConnectionHandler, public InspectorClientEvents {
public:
    explicit Dashboard(const std::string& token) : client_(options(token), *this) {}

    void on_open(std::shared_ptr<Connection> c) override {
        std::lock_guard lock(mutex_);
        conn_ = c;
        client_.open(now());
        c->wants_write();
    }
    void on_frame(ByteView frame) override {
        std::shared_ptr<Connection> c;
        {
            std::lock_guard lock(mutex_);
            if (auto why = client_.on_frame(frame, now())) protocol_error_ = *why;
            c = conn_;
        }
        changed_.notify_all();
        if (c) c->wants_write();  // acks, commands
    }
    std::optional<Bytes> next_frame() override {
        std::lock_guard lock(mutex_);
        return client_.next_frame(now());
    }
    void on_close(std::string reason) override {
        {
            std::lock_guard lock(mutex_);
            closed_ = std::move(reason);
            conn_.reset();
            client_.connection_lost();
        }
        changed_.notify_all();
    }

    // InspectorClientEvents, called under mutex_ from on_frame.
    void on_welcome(const std::string& engine, InspectorRole r, bool) override {
        engine_ = engine;
        role_ = r;
    }
    void on_snapshot(const Snapshot& s) override { model_.load(s); }
    void on_events(std::span<const Event> events) override { model_.fold(events); }
    void on_gap(std::uint64_t first, std::uint64_t count) override { model_.fold(Event{0, TimePoint{}, EventsMissed{first, count}}); }
    void on_result(const InspectorCommand&, const CommandResult& r) override { results_.push_back(r); }

    template <class P>
    bool wait(P predicate, std::chrono::seconds bound = 20s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, bound, [&] { return predicate(*this); });
    }
    void command(CommandKind kind, Pid pid) {
        std::shared_ptr<Connection> c;
        {
            std::lock_guard lock(mutex_);
            client_.command(kind, pid);
            c = conn_;
        }
        if (c) c->wants_write();
    }

    dashboard::Model model_;
    std::string engine_;
    std::optional<InspectorRole> role_;
    std::vector<CommandResult> results_;
    std::optional<std::string> closed_, protocol_error_;

private:
    static InspectorClientOptions options(const std::string& token) {
        InspectorClientOptions o;
        o.token = token;
        o.client_id = 4242;
        o.ack_every = 1;
        return o;
    }
    static TimePoint now() { return TimePoint{std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now().time_since_epoch())}; }
    std::mutex mutex_;
    std::condition_variable changed_;
    std::shared_ptr<Connection> conn_;
    InspectorClient client_;
};

struct Server {
    Server() {
        InspectorEndpointOptions o;
        o.name = "game-server";
        o.protocol.control_token = "ctl";
        o.protocol.watch_token = "look";
        o.poll_interval = 10ms;
        inspector = std::make_unique<InspectorEndpoint>(engine, o);
        NodeOptions n;
        n.name = "server";
        n.token = "link-secret";
        node = std::make_unique<Node>(engine, n);
        ListenOptions l;
        l.endpoints["/inspector"] = inspector->handler_factory();
        port = node->listen(l);
    }
    ~Server() {
        node.reset();  // its transport first: no connection reaches the endpoint after this
        inspector.reset();
    }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port) + "/inspector"; }
    Engine engine;
    std::unique_ptr<InspectorEndpoint> inspector;
    std::unique_ptr<Node> node;
    std::uint16_t port = 0;
};

TEST(InspectorSockets, a_dashboard_in_another_place_folds_the_engines_actors_and_commands_them) {
    Server s;
    for (int i = 0; i < 20; ++i) s.engine.spawn_fn("worker-" + std::to_string(i), [](Context&, Message&) {});
    auto transport = make_beast_transport();
    auto dash = std::make_shared<Dashboard>("ctl");
    transport->connect(Url::parse(s.url()), {}, dash);
    ASSERT_TRUE(dash->wait([](Dashboard& d) { return d.model_.actors().live() == 20 || d.closed_; })) << "live: " << dash->model_.actors().live();
    EXPECT_EQ(dash->engine_, "game-server");
    EXPECT_EQ(dash->role_, InspectorRole::control);
    // Live: actors spawned later arrive as events.
    for (int i = 0; i < 5; ++i) s.engine.spawn_fn("late-" + std::to_string(i), [](Context&, Message&) {});
    ASSERT_TRUE(dash->wait([](Dashboard& d) { return d.model_.actors().live() == 25 || d.closed_; }));
    // A command from the dashboard acts on the engine.
    dash->command(CommandKind::stop, *s.engine.lookup("worker-3"));
    ASSERT_TRUE(dash->wait([](Dashboard& d) { return d.model_.actors().live() == 24 || d.closed_; }));
    EXPECT_FALSE(s.engine.lookup("worker-3").has_value());
    ASSERT_EQ(dash->results_.size(), 1u);
    EXPECT_TRUE(dash->results_[0].ok) << dash->results_[0].detail;
    EXPECT_FALSE(dash->protocol_error_);
    EXPECT_EQ(dash->model_.overview().missed_events, 0u);
    transport->shutdown();
}

TEST(InspectorSockets, a_watch_token_reads_and_is_refused_commands_and_a_wrong_token_is_refused) {
    Server s;
    s.engine.spawn_fn("only", [](Context&, Message&) {});
    auto transport = make_beast_transport();
    auto watcher = std::make_shared<Dashboard>("look");
    transport->connect(Url::parse(s.url()), {}, watcher);
    ASSERT_TRUE(watcher->wait([](Dashboard& d) { return d.model_.actors().live() == 1 || d.closed_; }));
    EXPECT_EQ(watcher->role_, InspectorRole::watch);
    watcher->command(CommandKind::stop, *s.engine.lookup("only"));
    ASSERT_TRUE(watcher->wait([](Dashboard& d) { return !d.results_.empty() || d.closed_; }));
    EXPECT_FALSE(watcher->results_[0].ok);
    EXPECT_NE(watcher->results_[0].detail.find("watch"), std::string::npos);
    EXPECT_TRUE(s.engine.lookup("only").has_value());

    auto stranger = std::make_shared<Dashboard>("guess");
    transport->connect(Url::parse(s.url()), {}, stranger);
    ASSERT_TRUE(stranger->wait([](Dashboard& d) { return d.closed_.has_value(); }));
    EXPECT_NE(stranger->closed_->find("wrong token"), std::string::npos) << *stranger->closed_;
    transport->shutdown();
}

}  // namespace
