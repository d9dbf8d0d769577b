// Two Nodes, two cooperative engines on ManualClocks, one in-memory network: remote Pids behave
// like local ones, and faults (cuts, a peer down, a peer restarted) end in delivery or a reason.
#include <gtest/gtest.h>

#include <functional>

#include <memory_transport.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include <actors/actors.hpp>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

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
struct Local {
    int v = 0;
};

void register_types() {
    register_message<Ping>("test.ping");
    register_message<Pong>("test.pong");
    register_message<Add>("test.add");
}

struct Side {
    Side(const std::string& name, std::shared_ptr<actors::remote::testing::MemoryNetwork> net,
         const std::function<void(NodeOptions&)>& tweak = {})
        : clock(std::make_shared<ManualClock>()), engine(config(clock)) {
        NodeOptions o;
        o.name = name;
        o.token = "secret";
        if (tweak) tweak(o);
        node = std::make_unique<Node>(engine, o, std::make_shared<actors::remote::testing::MemoryTransport>(std::move(net), name));
    }
    static EngineConfig config(std::shared_ptr<ManualClock> clock) {
        EngineConfig c = EngineConfig::deterministic(std::move(clock));
        c.stats.enabled = true;  // samples carry the links too
        c.stats.interval = 100ms;
        return c;
    }
    std::shared_ptr<ManualClock> clock;
    Engine engine;
    std::unique_ptr<Node> node;  // before the engine goes
    ~Side() { node.reset(); }
};

struct World {
    explicit World(const std::function<void(NodeOptions&)>& tweak_alpha = {}) {
        register_types();
        a = std::make_unique<Side>("alpha", net, tweak_alpha);
        b = std::make_unique<Side>("beta", net);
        port = b->node->listen({});
        auto name = a->node->connect("ws://127.0.0.1:" + std::to_string(port));
        settle();
        EXPECT_TRUE(name.ready());
    }
    void settle() {
        for (int i = 0; i < 20; ++i) {
            a->engine.run_until_idle();
            b->engine.run_until_idle();
        }
    }
    void step(Duration d) {
        a->engine.advance(d);
        b->engine.advance(d);
        settle();
    }
    Pid on_b(const std::string& actor) {
        auto f = a->node->lookup("beta", actor);
        settle();
        EXPECT_TRUE(f.ready());
        std::optional<Pid> out;
        f.then([&](Result<Pid> r) { if (r.ok()) out = r.value(); });
        EXPECT_TRUE(out.has_value());
        return out.value_or(Pid{});
    }
    std::shared_ptr<actors::remote::testing::MemoryNetwork> net = actors::remote::testing::MemoryNetwork::make();
    std::unique_ptr<Side> a, b;
    std::uint16_t port = 0;
};

template <class T>
std::vector<T> events_of(Engine& e) {
    std::vector<T> out;
    for (const Event& ev : e.events().read_since(0).events)
        if (const T* x = ev.as<T>()) out.push_back(*x);
    return out;
}

// A client that opens a connection and then says nothing (no Hello).
struct Silent final : ConnectionHandler {
    void on_open(std::shared_ptr<Connection> c) override { conn = std::move(c); }
    void on_frame(ByteView) override {}
    std::optional<Bytes> next_frame() override { return std::nullopt; }
    // Lets go of the connection, as every handler must: the connection holds its handler too.
    void on_close(std::string reason) override {
        closed = std::move(reason);
        conn.reset();
    }
    std::shared_ptr<Connection> conn;
    std::optional<std::string> closed;
};

TEST(RemoteNode, an_accepted_connection_that_never_sends_its_hello_is_closed_after_the_handshake_timeout) {
    register_types();
    auto net = actors::remote::testing::MemoryNetwork::make();
    Side b("beta", net);
    const Duration timeout = SessionOptions{}.handshake_timeout;
    const std::uint16_t port = b.node->listen({});
    actors::remote::testing::MemoryTransport raw(net);
    auto silent = std::make_shared<Silent>();
    raw.connect(Url::parse("ws://127.0.0.1:" + std::to_string(port)), {}, silent);
    b.engine.run_until_idle();
    ASSERT_NE(silent->conn, nullptr);  // open, and silent
    b.engine.advance(timeout - 1ms);
    b.engine.run_until_idle();
    EXPECT_FALSE(silent->closed.has_value()) << *silent->closed;
    b.engine.advance(1ms);
    b.engine.run_until_idle();
    ASSERT_TRUE(silent->closed.has_value());
    EXPECT_NE(silent->closed->find("no Hello within the handshake timeout"), std::string::npos) << *silent->closed;
    EXPECT_EQ(net->open_connections(), 0u);
    // The listener is unharmed: a real client still gets its link.
    Side a("alpha", net);
    auto name = a.node->connect("ws://127.0.0.1:" + std::to_string(port));
    for (int i = 0; i < 20; ++i) {
        a.engine.run_until_idle();
        b.engine.run_until_idle();
    }
    ASSERT_TRUE(name.ready());
    // A client that completed its handshake is not closed by the (still armed) Hello timer.
    b.engine.advance(timeout);
    a.engine.advance(timeout);
    for (int i = 0; i < 20; ++i) {
        a.engine.run_until_idle();
        b.engine.run_until_idle();
    }
    EXPECT_TRUE(a.node->links().at(0).connected);
}

TEST(RemoteNode, a_node_without_a_transport_in_a_build_without_a_default_is_refused_saying_so) {
    ASSERT_EQ(default_transport(), nullptr);  // this test does not link actors::remote_native
    auto clock = std::make_shared<ManualClock>();
    Engine engine(EngineConfig::deterministic(clock));
    NodeOptions o;
    o.name = "lonely";
    o.token = "secret";
    try {
        Node node(engine, o);
        FAIL() << "constructed a Node without a transport";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("no transport given"), std::string::npos) << e.what();
    }
}

TEST(RemoteNode, a_send_to_a_remote_pid_arrives_with_a_sender_that_can_be_replied_to) {
    World w;
    std::vector<int> pongs;
    w.b->engine.spawn_fn("echo", [](Context& ctx, Message& m) {
        m.visit([&](const Ping& p) { ctx.send(m.sender(), Pong{p.n * 10}); });
    });
    Pid asker = w.a->engine.spawn_fn("asker", [&](Context& ctx, Message& m) {
        m.visit([&](const Ping& p) { ctx.send(*w.a->node->remote_pid("beta", p.n), Ping{p.n}); },
                [&](const Pong& p) { pongs.push_back(p.n); });
    });
    Pid echo = w.on_b("echo");
    EXPECT_EQ(w.a->node->node_of(echo), std::optional<std::string>("beta"));
    for (int i = 1; i <= 3; ++i) w.a->engine.send(asker, Ping{static_cast<int>(echo.id)});
    w.settle();
    EXPECT_EQ(pongs, (std::vector<int>{static_cast<int>(echo.id) * 10, static_cast<int>(echo.id) * 10, static_cast<int>(echo.id) * 10}));
}

TEST(RemoteNode, request_returns_the_typed_answer_and_ctx_request_and_forward_work_across) {
    World w;
    Pid adder_here = w.b->engine.spawn_fn("adder", [](Context&, Message& m) { m.visit([](const Add& x) { return x.a + x.b; }); });
    Pid adder = w.on_b("adder");
    Future<long> f = w.a->engine.request(adder, Add{40, 2});
    w.settle();
    ASSERT_TRUE(f.ready());
    std::optional<long> got;
    f.then([&](Result<long> r) { got = r.value(); });
    EXPECT_EQ(got, 42);

    // ctx.request from an actor on alpha; a forwarder on beta passes it on to the adder.
    w.b->engine.spawn_fn("front", [&](Context& ctx, Message& m) { if (m.is<Add>()) ctx.forward(adder_here); });
    Pid front = w.on_b("front");
    std::vector<long> answers;
    Pid caller = w.a->engine.spawn_fn("caller", [&](Context& ctx, Message& m) {
        if (m.is<Ping>()) ctx.request(front, Add{1, 2}, [&](Result<long> r) { answers.push_back(r.ok() ? r.value() : -1); });
    });
    w.a->engine.send(caller, Ping{});
    w.settle();
    EXPECT_EQ(answers, std::vector<long>{3});
}

struct Late {
    int v = 0;
    MSGPACK_DEFINE(v)
};

// Version 2 names the types announced in the handshake by number; one registered after it was
// not announced, so it travels by name, and both arrive.
TEST(RemoteNode, a_type_registered_after_the_handshake_travels_by_name_and_arrives) {
    World w;
    std::vector<int> got;
    w.b->engine.spawn_fn("sink", [&](Context&, Message& m) {
        m.visit([&](const Ping& p) { got.push_back(p.n); }, [&](const Late& l) { got.push_back(l.v); });
    });
    Pid sink = w.on_b("sink");
    register_message<Late>("test.late");
    EXPECT_EQ(w.a->engine.send(sink, Ping{1}), SendStatus::delivered);
    EXPECT_EQ(w.a->engine.send(sink, Late{2}), SendStatus::delivered);
    EXPECT_EQ(w.a->engine.send(sink, Ping{3}), SendStatus::delivered);
    w.settle();
    EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
}

TEST(RemoteNode, an_unregistered_type_is_refused_at_the_send_naming_it) {
    World w;
    w.b->engine.spawn_fn("sink", [](Context&, Message&) {});
    Pid sink = w.on_b("sink");
    EXPECT_EQ(w.a->engine.send(sink, Local{1}), SendStatus::dead_letter);
    auto dls = events_of<DeadLetter>(w.a->engine);
    ASSERT_EQ(dls.size(), 1u);
    EXPECT_EQ(dls[0].reason, DeadLetterReason::unknown_type);
    EXPECT_NE(dls[0].message_type.find("Local"), std::string::npos);
}

TEST(RemoteNode, a_watch_of_a_remote_actor_fires_when_it_stops) {
    World w;
    Pid target_local = w.b->engine.spawn_fn("target", [](Context&, Message&) {});
    Pid target = w.on_b("target");
    std::vector<Terminated> seen;
    Pid watcher = w.a->engine.spawn_fn("watcher", [&](Context& ctx, Message& m) {
        if (m.is<Ping>()) ctx.watch(target);
        if (auto* t = m.as<Terminated>()) seen.push_back(*t);
    });
    w.a->engine.send(watcher, Ping{});
    w.settle();
    w.b->engine.stop(target_local);
    w.settle();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_TRUE(seen[0].pid.same_actor(target));
    EXPECT_EQ(seen[0].reason, StopReason::requested);
}

// Flow control: a full link buffer applies the policy chosen for the link, with the meaning it
// has for a full mailbox. The link is cut, so nothing is acknowledged and nothing is written.
struct LinkFull {
    explicit LinkFull(OverflowPolicy policy)
        : w([policy](NodeOptions& o) {
              o.link_overflow = policy;
              o.session.buffer_max_envelopes = 2;
          }) {
        w.b->engine.spawn_fn("sink", [this](Context&, Message& m) {
            m.visit([&](const Ping& p) { got.push_back(p.n); }, [&](const Add& x) { return x.a + x.b; });
        });
        sink = w.on_b("sink");
        w.net->cut();
        w.settle();
    }
    std::vector<DeadLetter> full_letters() {
        std::vector<DeadLetter> out;
        for (const auto& d : events_of<DeadLetter>(w.a->engine))
            if (d.reason == DeadLetterReason::mailbox_full) out.push_back(d);
        return out;
    }
    void reconnect_and_deliver() {
        w.step(w.a->node->links().empty() ? 0ms : 3s);  // past the reconnect backoff
        for (int i = 0; i < 10; ++i) w.step(50ms);
    }
    World w;
    Pid sink;
    std::vector<int> got;
};

std::optional<ErrorCode> failure_of(Future<long>& f) {
    std::optional<ErrorCode> code;
    f.then([&](Result<long> r) { if (!r.ok()) code = r.error().code; });
    return code;
}

TEST(RemoteNode, a_full_link_buffer_rejects_the_sender_under_reject_sender) {
    LinkFull t(OverflowPolicy::reject_sender);
    std::vector<MailboxFull> told;
    Pid sender = t.w.a->engine.spawn_fn("sender", [&](Context& ctx, Message& m) {
        if (const auto* p = m.as<Ping>()) {
            EXPECT_EQ(ctx.send(t.sink, Ping{p->n}), p->n < 2 ? SendStatus::delivered : SendStatus::rejected);
        }
        if (const auto* f = m.as<MailboxFull>()) told.push_back(*f);
    });
    for (int i = 0; i < 3; ++i) t.w.a->engine.send(sender, Ping{i});
    t.w.settle();
    Future<long> f = t.w.a->engine.request(t.sink, Add{1, 2});
    t.w.settle();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(failure_of(f), ErrorCode::mailbox_full);
    ASSERT_EQ(told.size(), 1u);
    EXPECT_TRUE(told[0].target.same_actor(t.sink));
    EXPECT_EQ(t.full_letters().size(), 2u);  // the refused Ping and the refused request
    t.reconnect_and_deliver();
    EXPECT_EQ(t.got, (std::vector<int>{0, 1}));
}

TEST(RemoteNode, a_full_link_buffer_drops_the_newest_under_drop_newest) {
    LinkFull t(OverflowPolicy::drop_newest);
    EXPECT_EQ(t.w.a->engine.send(t.sink, Ping{0}), SendStatus::delivered);
    EXPECT_EQ(t.w.a->engine.send(t.sink, Ping{1}), SendStatus::delivered);
    EXPECT_EQ(t.w.a->engine.send(t.sink, Ping{2}), SendStatus::dropped);
    Future<long> f = t.w.a->engine.request(t.sink, Add{1, 2});
    t.w.settle();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(failure_of(f), ErrorCode::mailbox_full);
    EXPECT_EQ(t.full_letters().size(), 2u);
    t.reconnect_and_deliver();
    EXPECT_EQ(t.got, (std::vector<int>{0, 1}));
}

TEST(RemoteNode, a_full_link_buffer_evicts_the_oldest_unwritten_under_drop_oldest) {
    LinkFull t(OverflowPolicy::drop_oldest);
    Future<long> first = t.w.a->engine.request(t.sink, Add{1, 2});  // evicted later: fails
    for (int i = 0; i < 4; ++i) EXPECT_EQ(t.w.a->engine.send(t.sink, Ping{i}), SendStatus::delivered);
    t.w.settle();
    ASSERT_TRUE(first.ready());
    EXPECT_EQ(failure_of(first), ErrorCode::mailbox_full);
    EXPECT_EQ(t.full_letters().size(), 3u);  // the request, Ping 0 and Ping 1 made room
    t.reconnect_and_deliver();
    EXPECT_EQ(t.got, (std::vector<int>{2, 3}));
    const auto links = t.w.a->node->links();
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].counters.dead_lettered, 3u);
    EXPECT_EQ(links[0].counters.in_flight(), 0u);
}

TEST(RemoteNode, the_engine_snapshot_and_stats_samples_carry_the_per_link_counters) {
    World w;
    std::vector<int> got;
    w.b->engine.spawn_fn("sink", [&](Context&, Message& m) { m.visit([&](const Ping& p) { got.push_back(p.n); }); });
    Pid sink = w.on_b("sink");
    for (int i = 0; i < 5; ++i) w.a->engine.send(sink, Ping{i});
    w.step(50ms);  // past the ack interval
    ASSERT_EQ(got.size(), 5u);
    const Snapshot sa = w.a->engine.snapshot();
    ASSERT_EQ(sa.links.size(), 1u);
    const LinkStats& a = sa.links[0];
    EXPECT_EQ(a.node, "beta");
    EXPECT_TRUE(a.connected);
    EXPECT_FALSE(a.down);
    EXPECT_NE(a.incarnation, 0u);
    EXPECT_EQ(a.incarnation, w.b->node->incarnation());
    EXPECT_EQ(a.sent, 6u);  // the lookup and 5 Pings
    EXPECT_EQ(a.acknowledged, 6u);
    EXPECT_EQ(a.in_flight, 0u);
    EXPECT_GT(a.bytes_out, 0u);
    const Snapshot sb = w.b->engine.snapshot();
    ASSERT_EQ(sb.links.size(), 1u);
    EXPECT_EQ(sb.links[0].node, "alpha");
    EXPECT_EQ(sb.links[0].delivered, a.sent);
    EXPECT_GT(sb.links[0].bytes_in, 0u);  // not equal to a.bytes_out: an ack may still be on its way
    EXPECT_LE(sb.links[0].bytes_in, a.bytes_out);

    // A stats sample carries the same, so a dashboard that folds events sees links move.
    w.step(100ms);
    const auto samples = events_of<StatsSampled>(w.a->engine);
    ASSERT_FALSE(samples.empty());
    ASSERT_EQ(samples.back().links.size(), 1u);
    EXPECT_EQ(samples.back().links[0].node, "beta");
    EXPECT_EQ(samples.back().links[0].acknowledged, 6u);
    Engine plain(EngineConfig::deterministic(std::make_shared<ManualClock>()));
    EXPECT_TRUE(plain.snapshot().links.empty());  // no router, no links
}

TEST(RemoteNode, lookup_of_a_missing_name_fails_with_no_such_actor) {
    World w;
    auto f = w.a->node->lookup("beta", "nobody");
    w.settle();
    ASSERT_TRUE(f.ready());
    std::optional<ErrorCode> code;
    f.then([&](Result<Pid> r) { if (!r.ok()) code = r.error().code; });
    EXPECT_EQ(code, ErrorCode::no_such_actor);
}

TEST(RemoteNode, a_peer_that_goes_silent_is_down_requests_fail_with_node_down_and_watches_fire) {
    World w;
    std::vector<Responder<long>> kept;  // never answered: the reply can only be node_down
    w.b->engine.spawn_fn("mute", [&](Context&, Message& m) { m.visit([&](const Add& x) { kept.push_back(m.take_responder(x)); }); });
    Pid mute = w.on_b("mute");
    std::vector<Terminated> seen;
    Pid watcher = w.a->engine.spawn_fn("watcher", [&](Context& ctx, Message& m) {
        if (m.is<Ping>()) ctx.watch(mute);
        if (auto* t = m.as<Terminated>()) seen.push_back(*t);
    });
    w.a->engine.send(watcher, Ping{});
    w.net->set_reachable(false);
    Future<long> f = w.a->engine.request(mute, Add{1, 1}, 60s);
    w.settle();
    w.net->cut();
    w.settle();
    for (int i = 0; i < 40 && !f.ready(); ++i) w.step(500ms);
    ASSERT_TRUE(f.ready());
    std::optional<ErrorCode> code;
    f.then([&](Result<long> r) { if (!r.ok()) code = r.error().code; });
    EXPECT_EQ(code, ErrorCode::node_down);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].reason, StopReason::node_down);
    EXPECT_FALSE(events_of<NodeDown>(w.a->engine).empty());
    EXPECT_FALSE(events_of<NodeDisconnected>(w.a->engine).empty());
    // While it is down, a new request fails at once, not by timeout.
    Future<long> again = w.a->engine.request(mute, Add{2, 2}, 60s);
    w.settle();
    ASSERT_TRUE(again.ready());
    // Failed connects were retried all along; once the network is back, so is the link.
    w.net->set_reachable(true);
    for (int i = 0; i < 40 && !w.a->node->links().at(0).connected; ++i) w.step(500ms);
    EXPECT_TRUE(w.a->node->links().at(0).connected);
    w.b->engine.spawn_fn("adder", [](Context&, Message& m) { m.visit([](const Add& x) { return x.a + x.b; }); });
    Future<long> back = w.a->engine.request(w.on_b("adder"), Add{2, 3});
    w.settle();
    std::optional<long> sum;
    back.then([&](Result<long> r) { if (r.ok()) sum = r.value(); });
    EXPECT_EQ(sum, 5);
}

TEST(RemoteNode, a_cut_and_reconnect_loses_nothing_and_duplicates_nothing) {
    World w;
    std::vector<int> got;
    w.b->engine.spawn_fn("count", [&](Context&, Message& m) { m.visit([&](const Ping& p) { got.push_back(p.n); }); });
    Pid count = w.on_b("count");
    int sent = 0;
    for (int round = 0; round < 5; ++round) {
        const bool cut = round % 2 == 0;
        if (cut) w.net->set_held(true);
        for (int i = 0; i < 20; ++i) w.a->engine.send(count, Ping{sent++});
        if (cut) w.net->cut();  // whatever was on the wire is lost with the connection
        w.net->set_held(false);
        w.settle();
        for (int i = 0; i < 20 && !w.a->node->links().at(0).connected; ++i) w.step(100ms);
    }
    for (int i = 0; i < 10; ++i) w.step(100ms);
    std::vector<int> expected(sent);
    for (int i = 0; i < sent; ++i) expected[i] = i;
    EXPECT_EQ(got, expected);
    EXPECT_GE(events_of<LinkReplayed>(w.a->engine).size() + events_of<NodeConnected>(w.a->engine).size(), 3u);
    // Conservation across the two engines: what alpha sent on the link is what beta delivered,
    // plus dead letters, plus what is still in flight.
    auto la = w.a->node->links().at(0).counters;
    auto lb = w.b->node->links().at(0).counters;
    EXPECT_EQ(la.in_flight(), 0u);  // acknowledged by now
    EXPECT_EQ(la.sent, lb.delivered + la.dead_lettered);
    EXPECT_EQ(la.dead_lettered, 0u);
    EXPECT_EQ(lb.sent, la.delivered + lb.dead_lettered + lb.in_flight());
    EXPECT_GT(la.replayed, 0u);
}

TEST(RemoteNode, disconnect_stops_redialling_a_peer_that_is_gone_and_connect_to_its_address_resumes_the_same_link) {
    World w;
    std::vector<int> got;
    w.b->engine.spawn_fn("count", [&](Context&, Message& m) { m.visit([&](const Ping& p) { got.push_back(p.n); }); });
    Pid count = w.on_b("count");
    const std::string url = "ws://127.0.0.1:" + std::to_string(w.port);
    int sent = 0;
    for (int i = 0; i < 10; ++i) w.a->engine.send(count, Ping{sent++});
    w.settle();
    // Not gone after all: the connection open now still serves after disconnect().
    EXPECT_TRUE(w.a->node->disconnect("beta"));
    EXPECT_FALSE(w.a->node->disconnect("gamma")) << "no link to a node never met";
    for (int i = 0; i < 10; ++i) w.a->engine.send(count, Ping{sent++});
    w.settle();
    EXPECT_EQ(got.size(), 20u);
    // Once it closes, nobody dials it: the count of connects stays where it is.
    w.net->set_held(true);
    for (int i = 0; i < 10; ++i) w.a->engine.send(count, Ping{sent++});  // on the wire when it is cut
    w.net->cut();
    w.net->set_held(false);
    const std::uint64_t dialled = w.net->connects_from("alpha");
    for (int i = 0; i < 50; ++i) w.step(100ms);  // 5 s: backoff would have redialled many times
    EXPECT_EQ(w.net->connects_from("alpha"), dialled) << "a disconnected link was redialled";
    EXPECT_FALSE(w.a->node->links().at(0).connected);
    // connect() to the address it dialled resumes that link with its sequence numbers: what was
    // cut on the wire is replayed once, nothing is dropped as a duplicate or delivered twice.
    auto again = w.a->node->connect(url);
    for (int i = 0; i < 20 && !again.ready(); ++i) w.step(100ms);
    ASSERT_TRUE(again.ready());
    for (int i = 0; i < 10; ++i) w.a->engine.send(count, Ping{sent++});
    for (int i = 0; i < 10; ++i) w.step(100ms);
    std::vector<int> expected(sent);
    for (int i = 0; i < sent; ++i) expected[i] = i;
    EXPECT_EQ(got, expected);
    EXPECT_EQ(w.a->node->links().size(), 1u) << "the same link, not a second one";
}

TEST(RemoteNode, a_disconnected_link_to_a_peer_that_died_dead_letters_its_buffer_and_stops_dialling) {
    World w;
    w.b->engine.spawn_fn("count", [](Context&, Message&) {});
    Pid count = w.on_b("count");
    w.b.reset();  // beta's process is gone
    w.a->engine.run_until_idle();
    const std::uint64_t before = w.net->connects_from("alpha");
    for (int i = 0; i < 10; ++i) w.a->engine.advance(100ms), w.a->engine.run_until_idle();
    EXPECT_GT(w.net->connects_from("alpha"), before) << "without disconnect(), the link redials";
    EXPECT_TRUE(w.a->node->disconnect("beta"));
    for (int i = 0; i < 5; ++i) w.a->engine.send(count, Ping{i});
    const std::uint64_t dialled = w.net->connects_from("alpha");
    for (int i = 0; i < 150; ++i) w.a->engine.advance(100ms), w.a->engine.run_until_idle();  // past the 10 s reconnect deadline
    EXPECT_EQ(w.net->connects_from("alpha"), dialled);
    std::size_t dead = 0;
    for (const auto& d : events_of<DeadLetter>(w.a->engine)) dead += d.reason == DeadLetterReason::remote_unreachable;
    EXPECT_EQ(dead, 5u) << "what was sent to it is a dead letter with a reason";
    EXPECT_EQ(events_of<NodeDown>(w.a->engine).size(), 1u);
}

TEST(RemoteNode, a_restarted_peer_gets_none_of_the_old_buffer_and_old_pids_no_longer_resolve) {
    World w;
    w.b->engine.spawn_fn("count", [&](Context&, Message&) {});
    Pid old_count = w.on_b("count");
    w.net->set_reachable(false);
    w.net->cut();
    w.settle();
    for (int i = 0; i < 5; ++i) w.a->engine.send(old_count, Ping{i});  // buffered for the old incarnation
    // beta restarts: a new process (engine, node, incarnation) on the same address.
    w.b.reset();
    w.b = std::make_unique<Side>("beta", w.net);
    std::vector<int> got;
    w.b->engine.spawn_fn("count", [&](Context&, Message& m) { m.visit([&](const Ping& p) { got.push_back(p.n); }); });
    ListenOptions same_address;
    same_address.port = w.port;
    w.b->node->listen(same_address);
    w.net->set_reachable(true);
    for (int i = 0; i < 40 && !(w.a->node->links().size() == 1 && w.a->node->links()[0].connected); ++i) w.step(100ms);
    ASSERT_TRUE(w.a->node->links().at(0).connected);
    w.settle();
    EXPECT_TRUE(got.empty());
    std::size_t restarted = 0;
    for (const DeadLetter& d : events_of<DeadLetter>(w.a->engine)) restarted += d.reason == DeadLetterReason::remote_restarted;
    EXPECT_EQ(restarted, 5u);
    auto connected = events_of<NodeConnected>(w.a->engine);
    ASSERT_FALSE(connected.empty());
    EXPECT_TRUE(connected.back().restarted);
    // The old Pid no longer reaches anything; the new incarnation is found by lookup.
    EXPECT_EQ(w.a->engine.send(old_count, Ping{99}), SendStatus::dead_letter);
    Pid fresh = w.on_b("count");
    EXPECT_NE(fresh.node, old_count.node);
    w.a->engine.send(fresh, Ping{7});
    w.settle();
    EXPECT_EQ(got, std::vector<int>{7});
}

}  // namespace

namespace {
// Counts the connects a Node makes (so a test can see that it stopped dialling).
struct CountingTransport final : Transport {
    explicit CountingTransport(std::shared_ptr<Transport> t) : inner(std::move(t)) {}
    std::uint16_t listen(const ListenOptions& o, std::function<std::shared_ptr<ConnectionHandler>()> accept) override {
        return inner->listen(o, std::move(accept));
    }
    void connect(const Url& url, const ConnectOptions& o, std::shared_ptr<ConnectionHandler> handler) override {
        ++connects;
        inner->connect(url, o, std::move(handler));
    }
    void shutdown() override { inner->shutdown(); }
    std::shared_ptr<Transport> inner;
    int connects = 0;
};
}  // namespace

TEST(RemoteNode, a_wrong_token_fails_connect_with_the_peers_refusal_and_the_node_stops_dialling) {
    register_types();
    auto net = actors::remote::testing::MemoryNetwork::make();
    Side b("beta", net);
    const std::uint16_t port = b.node->listen({});
    auto clock = std::make_shared<ManualClock>();
    Engine engine(EngineConfig::deterministic(clock));
    auto transport = std::make_shared<CountingTransport>(std::make_shared<actors::remote::testing::MemoryTransport>(net));
    NodeOptions o;
    o.name = "mallory";
    o.token = "not-the-secret";
    auto mallory = std::make_unique<Node>(engine, o, transport);
    auto settle = [&] {
        for (int i = 0; i < 20; ++i) {
            engine.run_until_idle();
            b.engine.run_until_idle();
        }
    };
    auto connected = mallory->connect("ws://127.0.0.1:" + std::to_string(port));
    settle();
    ASSERT_TRUE(connected.ready()) << "connect() never completed after a refusal";
    std::optional<Error> error;
    connected.then([&](Result<std::string> r) {
        if (!r.ok()) error = r.error();
    });
    ASSERT_TRUE(error.has_value()) << "connect() succeeded with a wrong token";
    EXPECT_EQ(error->code, ErrorCode::invalid_argument);
    EXPECT_NE(error->detail.find("wrong token"), std::string::npos) << error->detail;
    EXPECT_NE(error->detail.find("refused"), std::string::npos) << error->detail;
    // No retry: well past the longest backoff, still the one attempt, and beta has no link.
    for (int i = 0; i < 50; ++i) {
        engine.advance(100ms);
        b.engine.advance(100ms);
        settle();
    }
    EXPECT_EQ(transport->connects, 1);
    EXPECT_TRUE(b.node->links().empty());
    EXPECT_TRUE(mallory->links().empty());
    mallory.reset();
}

TEST(RemoteNode, a_transient_close_before_the_first_handshake_keeps_the_node_dialling) {
    register_types();
    auto net = actors::remote::testing::MemoryNetwork::make();
    Side a("alpha", net);
    auto b = std::make_unique<Side>("beta", net);
    const std::uint16_t port = b->node->listen({});
    net->set_reachable(false);  // connects fail: not a refusal
    auto connected = a.node->connect("ws://127.0.0.1:" + std::to_string(port));
    for (int i = 0; i < 20; ++i) {
        a.engine.advance(100ms);
        b->engine.advance(100ms);
        a.engine.run_until_idle();
        b->engine.run_until_idle();
    }
    EXPECT_FALSE(connected.ready());
    net->set_reachable(true);
    for (int i = 0; i < 40 && !connected.ready(); ++i) {
        a.engine.advance(100ms);
        b->engine.advance(100ms);
        a.engine.run_until_idle();
        b->engine.run_until_idle();
    }
    ASSERT_TRUE(connected.ready());
    std::optional<std::string> name;
    connected.then([&](Result<std::string> r) {
        if (r.ok()) name = r.value();
    });
    EXPECT_EQ(name, std::optional<std::string>("beta"));
}

TEST(RemoteNode, the_servers_hello_timer_is_cancelled_once_the_hello_arrives) {
    register_types();
    auto net = actors::remote::testing::MemoryNetwork::make();
    Side a("alpha", net), b("beta", net);
    CooperativeScheduler* coop = b.engine.cooperative();
    ASSERT_NE(coop, nullptr);
    const std::uint16_t port = b.node->listen({});
    b.engine.run_until_idle();
    const std::size_t before = coop->pending_timers();
    auto connected = a.node->connect("ws://127.0.0.1:" + std::to_string(port));
    for (int i = 0; i < 20; ++i) {
        a.engine.run_until_idle();
        b.engine.run_until_idle();
    }
    ASSERT_TRUE(connected.ready());
    // Beta now has one more timer than before: its link's (heartbeats, acks). The handshake
    // timeout of the accepted connection went when the Hello came, instead of lingering 5 s.
    EXPECT_EQ(coop->pending_timers(), before + 1);
}

// Spawning on another node by a kind registered there.
struct Worker final : Actor {
    explicit Worker(long base) : base_(base) {}
    void receive(Context&, Message& m) override {
        m.visit([&](const Add& x) { return base_ + x.a + x.b; });
    }
    long base_;
};

template <class T>
std::optional<Result<T>> outcome(Future<T>& f) {
    std::optional<Result<T>> out;
    if (f.ready()) f.then([&](Result<T> r) { out = std::move(r); });
    return out;
}

TEST(RemoteNode, spawn_remote_makes_an_actor_of_a_registered_kind_on_the_peer_that_answers_across) {
    World w;
    w.b->node->register_kind("worker", producer_of<Worker>(100L));
    Future<Pid> spawned = w.a->node->spawn_remote("beta", "worker", "worker-1");
    w.settle();
    auto r = outcome(spawned);
    ASSERT_TRUE(r && r->ok()) << (r ? r->error().detail : "not ready");
    const Pid worker = r->value();
    EXPECT_EQ(w.a->node->node_of(worker), std::optional<std::string>("beta"));
    EXPECT_EQ(w.b->engine.lookup("worker-1"), std::optional<Pid>(Pid{w.b->engine.node(), worker.id, worker.generation}));
    Future<long> sum = w.a->engine.request(worker, Add{1, 2});
    w.settle();
    auto s = outcome(sum);
    ASSERT_TRUE(s && s->ok());
    EXPECT_EQ(s->value(), 103);
    // Unnamed: a second one, another actor.
    Future<Pid> second = w.a->node->spawn_remote("beta", "worker");
    w.settle();
    auto r2 = outcome(second);
    ASSERT_TRUE(r2 && r2->ok());
    EXPECT_NE(r2->value(), worker);
    // On this node's own name, the kind is spawned here.
    w.a->node->register_kind("worker", producer_of<Worker>(0L));
    Future<Pid> here = w.a->node->spawn_remote("alpha", "worker");
    auto r3 = outcome(here);
    ASSERT_TRUE(r3 && r3->ok());
    EXPECT_EQ(r3->value().node, w.a->engine.node());
}

TEST(RemoteNode, spawn_remote_of_an_unknown_kind_or_node_or_a_taken_name_fails_saying_which) {
    World w;
    w.b->node->register_kind("worker", producer_of<Worker>(0L));
    Future<Pid> no_kind = w.a->node->spawn_remote("beta", "wrokre");
    Future<Pid> no_node = w.a->node->spawn_remote("gamma", "worker");
    Future<Pid> first = w.a->node->spawn_remote("beta", "worker", "only");
    w.settle();
    Future<Pid> taken = w.a->node->spawn_remote("beta", "worker", "only");
    w.settle();
    auto k = outcome(no_kind);
    ASSERT_TRUE(k && !k->ok());
    EXPECT_EQ(k->error().code, ErrorCode::invalid_argument);
    EXPECT_NE(k->error().detail.find("no kind 'wrokre'"), std::string::npos) << k->error().detail;
    EXPECT_NE(k->error().detail.find("beta"), std::string::npos) << k->error().detail;
    auto n = outcome(no_node);
    ASSERT_TRUE(n && !n->ok());
    EXPECT_EQ(n->error().code, ErrorCode::node_down);
    EXPECT_NE(n->error().detail.find("no link to node gamma"), std::string::npos) << n->error().detail;
    auto f = outcome(first);
    ASSERT_TRUE(f && f->ok());
    auto t = outcome(taken);
    ASSERT_TRUE(t && !t->ok());
    EXPECT_EQ(t->error().code, ErrorCode::invalid_argument);
    EXPECT_NE(t->error().detail.find("'only' already exists"), std::string::npos) << t->error().detail;
    EXPECT_THROW(w.b->node->register_kind("", producer_of<Worker>(0L)), std::invalid_argument);
}

TEST(RemoteNode, a_spawn_waiting_on_a_peer_that_goes_down_fails_with_node_down) {
    World w;
    w.b->node->register_kind("worker", producer_of<Worker>(0L));
    w.net->set_reachable(false);
    w.net->set_held(true);
    Future<Pid> spawned = w.a->node->spawn_remote("beta", "worker");
    w.net->cut();
    w.settle();
    for (int i = 0; i < 40 && !spawned.ready(); ++i) w.step(500ms);
    auto r = outcome(spawned);
    ASSERT_TRUE(r && !r->ok());
    EXPECT_EQ(r->error().code, ErrorCode::node_down);
}
