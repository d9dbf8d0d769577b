// Whole Nodes over real sockets: two thread-pool engines, each with a Node on its default
// transport (Boost.Beast, through actors::remote_native), on 127.0.0.1 ports the OS picks.
// Sends, typed requests and watches across; wss:// with a certificate made at test time; a
// wrong token refused with a clear close reason; bad envelopes from the wire dead-lettered while
// the link keeps working. Every wait is bounded and fails the test at its deadline; no assertion
// is about how long something took.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <remote/beast_transport.hpp>
#include <remote/envelope.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>
#include <remote/session.hpp>

#include <actors/actors.hpp>

#include "support/certificate.hpp"

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct Ping {
    int n = 0;
    MSGPACK_DEFINE(n)
};
struct Pong {
    int n = 0;
    MSGPACK_DEFINE(n)
};
struct Add {
    using Response = long;
    long a = 0, b = 0;
    MSGPACK_DEFINE(a, b)
};
struct Kick {};

void register_types() {
    register_message<Ping>("sockets.ping");
    register_message<Pong>("sockets.pong");
    register_message<Add>("sockets.add");
}

constexpr auto deadline = 20s;

// Polls until `done` or the deadline; the caller asserts on the result.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds bound = deadline) {
    const auto until = std::chrono::steady_clock::now() + bound;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

template <class T>
std::optional<Result<T>> await(Future<T>& f) {
    if (!eventually([&] { return f.ready(); })) return std::nullopt;
    return f.get();
}

template <class T>
std::vector<T> events_of(Engine& e) {
    std::vector<T> out;
    for (const Event& ev : e.events().read_since(0).events)
        if (const T* x = ev.as<T>()) out.push_back(*x);
    return out;
}

EngineConfig pool() {
    EngineConfig c;
    c.worker_threads = 2;
    return c;
}

NodeOptions opts(const std::string& name, const std::string& token = "secret") {
    NodeOptions o;
    o.name = name;
    o.token = token;
    return o;
}

// One process's worth: an engine and its Node (declared after the engine, so it goes first).
struct Side {
    explicit Side(NodeOptions o) : engine(pool()), node(std::make_unique<Node>(engine, std::move(o))) {}
    ~Side() { node.reset(); }
    Engine engine;
    std::unique_ptr<Node> node;
};

Pid lookup(Side& from, const std::string& node, const std::string& actor) {
    auto f = from.node->lookup(node, actor);
    auto r = await(f);
    EXPECT_TRUE(r.has_value()) << "lookup of " << actor << "@" << node << " did not end in time";
    if (!r || !r->ok()) {
        ADD_FAILURE() << "lookup of " << actor << "@" << node << " failed" << (r ? ": " + r->error().detail : "");
        return Pid{};
    }
    return r->value();
}

bool connect(Side& from, const std::string& url, const std::string& expected) {
    auto f = from.node->connect(url);
    auto r = await(f);
    if (!r) {
        ADD_FAILURE() << "connect to " << url << " did not end in time";
        return false;
    }
    EXPECT_TRUE(r->ok());
    return r->ok() && r->value() == expected;
}

TEST(RemoteNodeSockets, the_default_transport_is_beast_here_and_is_refused_on_a_cooperative_engine) {
    ASSERT_NE(default_transport(), nullptr);  // actors::remote_native registered it
    Engine cooperative(EngineConfig::cooperative());
    try {
        Node node(cooperative, opts("coop"));
        FAIL() << "a cooperative engine took the io-thread transport";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("cooperative"), std::string::npos) << e.what();
    }
    // Given explicitly, the caller takes the responsibility, and it is allowed.
    Node explicit_node(cooperative, opts("coop"), make_beast_transport());
    EXPECT_EQ(explicit_node.name(), "coop");
}

TEST(RemoteNodeSockets, send_request_and_watch_work_between_two_nodes_over_real_sockets) {
    register_types();
    Side a(opts("alpha")), b(opts("beta"));
    const std::uint16_t port = b.node->listen({});  // 127.0.0.1, port 0: the OS picks
    ASSERT_NE(port, 0);

    b.engine.spawn_fn("echo", [](Context& ctx, Message& m) { m.visit([&](const Ping& p) { ctx.send(m.sender(), Pong{p.n * 10}); }); });
    b.engine.spawn_fn("adder", [](Context&, Message& m) { m.visit([](const Add& x) { return x.a + x.b; }); });
    const Pid victim_on_b = b.engine.spawn_fn("victim", [](Context&, Message&) {});
    ASSERT_TRUE(connect(a, "ws://127.0.0.1:" + std::to_string(port), "beta"));

    const Pid echo = lookup(a, "beta", "echo");
    const Pid adder = lookup(a, "beta", "adder");
    const Pid victim = lookup(a, "beta", "victim");
    ASSERT_TRUE(echo.valid() && adder.valid() && victim.valid());
    EXPECT_EQ(a.node->node_of(echo), std::optional<std::string>("beta"));

    // send, and a reply to msg.sender() across
    std::mutex mu;
    std::vector<int> pongs;
    std::vector<Terminated> terminated;
    const Pid asker = a.engine.spawn_fn("asker", [&](Context& ctx, Message& m) {
        m.visit([&](const Ping& p) { ctx.send(echo, p); },
                [&](const Pong& p) {
                    std::lock_guard lock(mu);
                    pongs.push_back(p.n);
                },
                [&](const Kick&) {
                    ctx.watch(victim);
                    ctx.send(echo, Ping{-1});  // behind the watch on the same link: its Pong says beta has the watch
                });
        if (const auto* t = m.as<Terminated>()) {
            std::lock_guard lock(mu);
            terminated.push_back(*t);
        }
    });
    constexpr int n = 100;
    for (int i = 1; i <= n; ++i) a.engine.send(asker, Ping{i});
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mu);
        return pongs.size() == n;
    })) << "pongs: " << pongs.size();
    {
        std::lock_guard lock(mu);
        for (int i = 0; i < n; ++i) EXPECT_EQ(pongs[static_cast<std::size_t>(i)], (i + 1) * 10);  // in order
    }

    // a typed request
    Future<long> sum = a.engine.request(adder, Add{2, 40}, 10s);
    auto r = await(sum);
    ASSERT_TRUE(r.has_value()) << "the request did not end in time";
    ASSERT_TRUE(r->ok()) << r->error().detail;
    EXPECT_EQ(r->value(), 42);

    // a watch fires when the remote actor stops (not node_down: its node is fine)
    a.engine.send(asker, Kick{});
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mu);
        return pongs.size() == n + 1;
    }));
    b.engine.stop(victim_on_b);  // beta's own Pid for it (`victim` is alpha's Pid of it)
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mu);
        return !terminated.empty();
    }));
    {
        std::lock_guard lock(mu);
        ASSERT_EQ(terminated.size(), 1u);
        EXPECT_TRUE(terminated[0].pid.same_actor(victim));
        EXPECT_NE(terminated[0].reason, StopReason::node_down);
        EXPECT_TRUE(terminated[0].existed);
    }
    EXPECT_FALSE(events_of<NodeConnected>(a.engine).empty());
    EXPECT_FALSE(events_of<NodeConnected>(b.engine).empty());
}

// A node that shuts down says goodbye: its peer fires its watches (and fails what waits on it)
// at once. The heartbeats here would take minutes to notice, far past the test's bound, so only the
// goodbye can make this pass.
TEST(RemoteNodeSockets, a_node_that_shuts_down_is_gone_for_its_peer_at_once_not_after_its_heartbeats) {
    register_types();
    auto slow_heartbeats = [](NodeOptions o) {
        o.session.heartbeat_interval = 30s;
        o.session.heartbeat_misses = 6;
        return o;
    };
    Side a(slow_heartbeats(opts("alpha"))), b(slow_heartbeats(opts("beta")));
    const std::uint16_t port = b.node->listen({});
    ASSERT_NE(port, 0);
    b.engine.spawn_fn("victim", [](Context&, Message&) {});
    b.engine.spawn_fn("silent", [](Context&, Message&) {});
    ASSERT_TRUE(connect(a, "ws://127.0.0.1:" + std::to_string(port), "beta"));
    const Pid victim = lookup(a, "beta", "victim");
    const Pid silent = lookup(a, "beta", "silent");
    ASSERT_TRUE(victim.valid() && silent.valid());

    std::mutex mu;
    std::vector<Terminated> terminated;
    const Pid watcher = a.engine.spawn_fn("watcher", [&](Context& ctx, Message& m) {
        m.visit([&](const Kick&) {
            ctx.watch(victim);
            ctx.send(silent, Ping{1});  // behind the watch on the same link
        });
        if (const auto* t = m.as<Terminated>()) {
            std::lock_guard lock(mu);
            terminated.push_back(*t);
        }
    });
    a.engine.send(watcher, Kick{});
    // The two lookups, the watch and the send are on beta before it leaves.
    ASSERT_TRUE(eventually([&] {
        for (const auto& l : b.node->links())
            if (l.counters.delivered >= 4) return true;
        return false;
    }));

    b.node->shutdown();

    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(mu);
        return !terminated.empty();
    })) << "the watch did not fire: the goodbye was not heard";
    {
        std::lock_guard lock(mu);
        EXPECT_TRUE(terminated[0].pid.same_actor(victim));
        EXPECT_EQ(terminated[0].reason, StopReason::node_down);
        EXPECT_NE(terminated[0].detail.find("left: node beta shut down"), std::string::npos) << terminated[0].detail;
    }
    ASSERT_TRUE(eventually([&] { return !events_of<NodeDown>(a.engine).empty(); }));
    EXPECT_EQ(events_of<NodeDown>(a.engine)[0].reason, "left: node beta shut down");
}

class RemoteNodeTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::path(ACTORS_TEST_OUTPUT_DIR) / ("node-tls-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        cert_ = actors::remote::testing::make_certificate(dir_, "beta");
    }
    static void TearDownTestSuite() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    static inline fs::path dir_;
    static inline actors::remote::testing::Certificate cert_;
};

TEST_F(RemoteNodeTls, two_nodes_talk_over_wss_with_a_certificate_made_at_test_time) {
    register_types();
    NodeOptions ao = opts("alpha");
    ao.connect.ca_file = cert_.cert.string();
    Side a(ao), b(opts("beta"));
    ListenOptions listen;
    listen.certificate_chain_file = cert_.cert.string();
    listen.private_key_file = cert_.key.string();
    const std::uint16_t port = b.node->listen(listen);
    b.engine.spawn_fn("adder", [](Context&, Message& m) { m.visit([](const Add& x) { return x.a + x.b; }); });
    ASSERT_TRUE(connect(a, "wss://127.0.0.1:" + std::to_string(port), "beta"));
    const Pid adder = lookup(a, "beta", "adder");
    ASSERT_TRUE(adder.valid());
    for (long i = 0; i < 20; ++i) {
        Future<long> f = a.engine.request(adder, Add{i, 1}, 10s);
        auto r = await(f);
        ASSERT_TRUE(r.has_value() && r->ok());
        EXPECT_EQ(r->value(), i + 1);
    }
}

// A hand-driven client: a Session over a raw Beast connection, so a test can put on the wire
// what a Node would never send (a wrong token, a type nobody registered, a Pid of no node).
class RawPeer final : public ConnectionHandler, public SessionEvents {
public:
    explicit RawPeer(const std::string& token) {
        SessionOptions o;
        o.node_name = "raw";
        o.incarnation = 0x5eed5eed;
        o.token = token;
        session_ = std::make_unique<Session>(o, *this);
    }
    // ConnectionHandler (the transport's io thread)
    void on_open(std::shared_ptr<Connection> c) override {
        {
            std::lock_guard lock(mu_);
            conn_ = c;
            session_->open_client(clock_.now());
        }
        c->wants_write();
    }
    void on_frame(ByteView frame) override {
        std::shared_ptr<Connection> c;
        {
            std::lock_guard lock(mu_);
            session_->on_frame(frame, clock_.now());
            c = conn_;
        }
        if (c) c->wants_write();
    }
    std::optional<Bytes> next_frame() override {
        std::lock_guard lock(mu_);
        return session_->next_frame(clock_.now());
    }
    void on_close(std::string reason) override {
        std::lock_guard lock(mu_);
        closed_ = std::move(reason);
        conn_.reset();
    }
    // SessionEvents (under mu_, from inside the Session)
    void on_ready(const Hello&, bool, std::size_t) override { ready_ = true; }
    void on_envelope(ByteView) override {}
    void on_dead_letters(std::vector<Bytes>, RemoteDeadLetter) override {}
    void on_peer_down(const std::string& reason) override {
        if (conn_) conn_->close(reason);
    }
    void on_protocol_error(const std::string& reason) override {
        if (conn_) conn_->close(reason);
    }

    // The test's thread: heartbeats and acks keep flowing while it waits.
    void tick() {
        std::shared_ptr<Connection> c;
        {
            std::lock_guard lock(mu_);
            session_->on_tick(clock_.now());
            c = conn_;
        }
        if (c) c->wants_write();
    }
    void push(const Envelope& e) {
        std::shared_ptr<Connection> c;
        {
            std::lock_guard lock(mu_);
            EXPECT_EQ(session_->push(encode(e), clock_.now()), Session::Push::accepted);
            c = conn_;
        }
        if (c) c->wants_write();
    }
    bool ready() {
        std::lock_guard lock(mu_);
        return ready_ && session_->ready();
    }
    std::optional<std::string> closed() {
        std::lock_guard lock(mu_);
        return closed_;
    }

private:
    SteadyClock clock_;
    std::mutex mu_;
    std::unique_ptr<Session> session_;
    std::shared_ptr<Connection> conn_;
    bool ready_ = false;
    std::optional<std::string> closed_;
};

TEST(RemoteNodeSockets, a_wrong_token_is_refused_with_a_clear_close_reason_and_the_listener_keeps_serving) {
    register_types();
    Side b(opts("beta"));
    const std::uint16_t port = b.node->listen({});
    auto transport = make_beast_transport();
    auto intruder = std::make_shared<RawPeer>("not-the-secret");
    transport->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port)), {}, intruder);
    ASSERT_TRUE(eventually([&] { return intruder->closed().has_value(); })) << "the intruder was never closed";
    EXPECT_FALSE(intruder->ready());
    EXPECT_NE(intruder->closed()->find("wrong token"), std::string::npos) << *intruder->closed();
    transport->shutdown();

    // A Node with the wrong token never gets a link: its connect() fails with the refusal (and it
    // stops dialling); one with the right token connects.
    Side mallory(opts("mallory", "not-the-secret"));
    auto refused = mallory.node->connect("ws://127.0.0.1:" + std::to_string(port));
    Side a(opts("alpha"));
    ASSERT_TRUE(connect(a, "ws://127.0.0.1:" + std::to_string(port), "beta"));
    auto outcome = await(refused);
    ASSERT_TRUE(outcome.has_value()) << "connect() with a wrong token never completed";
    ASSERT_FALSE(outcome->ok());
    EXPECT_EQ(outcome->error().code, ErrorCode::invalid_argument);
    EXPECT_NE(outcome->error().detail.find("wrong token"), std::string::npos) << outcome->error().detail;
    for (const LinkInfo& l : b.node->links()) EXPECT_NE(l.peer, "mallory");
}

TEST(RemoteNodeSockets, an_unknown_type_name_and_a_pid_of_an_unknown_node_are_dead_letters_and_the_link_keeps_working) {
    register_types();
    Side b(opts("beta"));
    const std::uint16_t port = b.node->listen({});
    std::atomic<int> pings{0};
    b.engine.spawn_fn("sink", [&](Context&, Message& m) { m.visit([&](const Ping&) { pings.fetch_add(1); }); });
    const Pid sink = *b.engine.lookup("sink");
    const WirePid sink_on_wire{"beta", sink.id, sink.generation};

    auto transport = make_beast_transport();
    auto raw = std::make_shared<RawPeer>("secret");
    transport->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port)), {}, raw);
    ASSERT_TRUE(eventually([&] {
        raw->tick();
        return raw->ready();
    })) << "no handshake: " << raw->closed().value_or("(still open)");

    const Bytes ping = detail_registry::pack(Ping{1});
    raw->push(Envelope{EnvelopeKind::send, sink_on_wire, {}, "nobody.registered.this", ping, 0, 0, {}, false, std::nullopt});
    raw->push(Envelope{EnvelopeKind::send, WirePid{"nowhere", 7, 0}, {}, "sockets.ping", ping, 0, 0, {}, false, std::nullopt});
    raw->push(Envelope{EnvelopeKind::send, sink_on_wire, {}, "sockets.ping", ping, 0, 0, {}, false, std::nullopt});

    auto dead = [&](DeadLetterReason reason, const std::string& type) {
        for (const DeadLetter& d : events_of<DeadLetter>(b.engine))
            if (d.reason == reason && d.message_type == type) return true;
        return false;
    };
    ASSERT_TRUE(eventually([&] {
        raw->tick();
        return pings.load() == 1 && dead(DeadLetterReason::unknown_type, "nobody.registered.this") &&
               dead(DeadLetterReason::no_such_actor, "sockets.ping");
    })) << "pings " << pings.load();
    EXPECT_FALSE(raw->closed().has_value()) << *raw->closed();
    // Still working after the bad ones: another good one arrives.
    raw->push(Envelope{EnvelopeKind::send, sink_on_wire, {}, "sockets.ping", ping, 0, 0, {}, false, std::nullopt});
    ASSERT_TRUE(eventually([&] {
        raw->tick();
        return pings.load() == 2;
    }));
    EXPECT_FALSE(raw->closed().has_value());
    transport->shutdown();
}

}  // namespace

TEST(RemoteNodeSockets, a_disconnected_peer_that_went_is_not_redialled_and_connect_resumes_the_link_to_its_successor) {
    register_types();
    Side a(opts("alpha"));
    auto b = std::make_unique<Side>(opts("beta"));
    const std::uint16_t port = b->node->listen({});
    const std::string url = "ws://127.0.0.1:" + std::to_string(port);
    ASSERT_TRUE(connect(a, url, "beta"));
    ASSERT_TRUE(a.node->disconnect("beta"));
    b.reset();  // beta's process is gone; alpha's connection closes under it
    ASSERT_TRUE(eventually([&] { return !events_of<NodeDisconnected>(a.engine).empty(); }));
    // A successor listens where beta did. Redialling backs off from 50 ms to at most 2 s, so a
    // link still dialling would have reached it several times over this wait; this one must not.
    Side successor(opts("beta"));
    ListenOptions where;
    where.port = port;
    ASSERT_EQ(successor.node->listen(where), port);
    std::this_thread::sleep_for(1500ms);
    EXPECT_TRUE(events_of<NodeConnected>(successor.engine).empty()) << "alpha redialled a peer it had disconnected";
    // connect() to the same address resumes the link: one link, to the new incarnation.
    ASSERT_TRUE(connect(a, url, "beta"));
    EXPECT_TRUE(eventually([&] { return events_of<NodeConnected>(successor.engine).size() == 1; }));
    EXPECT_EQ(a.node->links().size(), 1u);
    EXPECT_EQ(a.node->links().at(0).peer_incarnation, successor.node->incarnation());
}
