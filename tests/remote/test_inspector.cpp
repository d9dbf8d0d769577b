// The inspector protocol (remote/inspector.hpp) between a real engine (cooperative, virtual time)
// and a dashboard model on the other end of an in-memory pipe: what the model folds through the
// wire is what the engine holds; a slow client gets counted gaps, never a silent hole; a
// reconnect resumes; commands run once; tokens have roles; bad frames close with a reason.
#include <gtest/gtest.h>

#include <remote/event_codec.hpp>
#include <remote/inspector.hpp>

#include <actors/actors.hpp>
#include <dashboard/model.hpp>

#include <deque>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

struct EngineSource final : InspectorSource {
    explicit EngineSource(Engine& e) : engine(e) {}
    std::string name() const override { return "game-server"; }
    std::uint64_t incarnation() const override { return inc; }
    Snapshot snapshot() override { return engine.snapshot(); }
    EventBatch read_since(std::uint64_t cursor, std::size_t max) override { return engine.events().read_since(cursor, max); }
    CommandResult execute(const InspectorCommand& c) override {
        executed.push_back(c);
        if (c.kind == CommandKind::stop) {
            engine.stop(c.pid);
            return {true, "stopping " + c.pid.to_string()};
        }
        return {false, std::string(to_string(c.kind)) + " is not supported by this source"};
    }
    Engine& engine;
    std::uint64_t inc = 0x1234;
    std::vector<InspectorCommand> executed;
};

// The dashboard side: the model folds what the client hands it.
struct Watcher final : InspectorClientEvents {
    void on_welcome(const std::string& engine, InspectorRole r, bool snapshot_follows) override {
        name = engine;
        role = r;
        welcomes++;
        if (snapshot_follows) model.clear();
    }
    void on_snapshot(const Snapshot& s) override {
        model.load(s);
        snapshots++;
    }
    void on_events(std::span<const Event> events) override {
        model.fold(events);
        folded += events.size();
    }
    void on_gap(std::uint64_t first, std::uint64_t count) override {
        model.fold(Event{0, TimePoint{}, EventsMissed{first, count}});
        gaps += count;
    }
    void on_result(const InspectorCommand& c, const CommandResult& r) override { results.emplace_back(c, r); }
    dashboard::Model model;
    std::string name;
    std::optional<InspectorRole> role;
    int welcomes = 0, snapshots = 0;
    std::uint64_t folded = 0, gaps = 0;
    std::vector<std::pair<InspectorCommand, CommandResult>> results;
};

InspectorOptions server_options() {
    InspectorOptions o;
    o.control_token = "ctl";
    o.watch_token = "look";
    o.window = 64;
    o.batch = 16;
    return o;
}

struct Pipe {
    explicit Pipe(const std::string& token = "ctl", std::size_t ring = 4096, InspectorOptions so = server_options(),
                  bool ack_when_folded = false)
        : clock(std::make_shared<ManualClock>()), engine(config(clock, ring)), source(engine), options(std::move(so)) {
        InspectorClientOptions co;
        co.token = token;
        co.client_id = 77;
        co.ack_every = 8;
        co.ack_when_folded = ack_when_folded;
        client = std::make_unique<InspectorClient>(co, watcher);
        connect();
    }
    static EngineConfig config(std::shared_ptr<ManualClock> c, std::size_t ring) {
        EngineConfig e = EngineConfig::deterministic(std::move(c));
        e.event_ring_capacity = ring;
        return e;
    }
    void connect() {
        server = std::make_unique<InspectorServer>(options, source, ledger);
        client->open(engine.now());
        closed.reset();
    }
    void cut() {
        client->connection_lost();
        server.reset();
    }
    // Moves frames both ways until quiet (or a close), at most `rounds` exchanges.
    void pump(int rounds = 1000) {
        for (int i = 0; i < rounds && !closed; ++i) {
            bool moved = false;
            while (auto f = client->next_frame(engine.now())) {
                moved = true;
                if ((closed = server->on_frame(*f))) return;
            }
            while (auto f = server->next_frame()) {
                moved = true;
                if ((closed = client->on_frame(*f, engine.now()))) return;
            }
            if (!moved) return;
        }
    }
    std::shared_ptr<ManualClock> clock;
    Engine engine;
    EngineSource source;
    InspectorOptions options;
    CommandLedger ledger;
    Watcher watcher;
    std::unique_ptr<InspectorClient> client;
    std::unique_ptr<InspectorServer> server;
    std::optional<std::string> closed;
};

void spawn_some(Engine& e, int n, const std::string& prefix = "w") {
    for (int i = 0; i < n; ++i) e.spawn_fn(prefix + std::to_string(i), [](Context&, Message&) {});
    e.run_until_idle();
}

TEST(Inspector, the_model_on_the_far_side_matches_the_engine) {
    Pipe p;
    spawn_some(p.engine, 3, "before-");
    p.pump();
    ASSERT_FALSE(p.closed) << *p.closed;
    EXPECT_EQ(p.watcher.name, "game-server");
    EXPECT_EQ(p.watcher.role, InspectorRole::control);
    EXPECT_EQ(p.watcher.snapshots, 1);
    EXPECT_EQ(p.watcher.model.actors().live(), 3u);
    spawn_some(p.engine, 40, "after-");
    Pid victim = *p.engine.lookup("after-7");
    p.engine.stop(victim);
    p.engine.run_until_idle();
    p.pump();
    EXPECT_EQ(p.watcher.model.actors().live(), p.engine.snapshot().counters.live_actors);
    EXPECT_EQ(p.watcher.model.overview().last_seq, p.engine.events().last_seq());
    EXPECT_EQ(p.watcher.model.overview().missed_events, 0u);
    EXPECT_EQ(p.server->acked(), p.engine.events().last_seq()) << "the client acknowledged what it folded";
}

TEST(Inspector, the_server_sends_no_more_than_the_window_ahead_of_the_acks) {
    Pipe p;
    p.pump();
    spawn_some(p.engine, 100);
    // Take frames from the server without letting the client answer.
    std::uint64_t sent = 0;
    while (auto f = p.server->next_frame()) {
        ASSERT_FALSE(p.client->on_frame(*f, p.engine.now()));
        sent = p.server->cursor() - p.server->acked();
    }
    EXPECT_EQ(sent, p.options.window);
    p.pump();  // acks flow, the rest follows
    EXPECT_EQ(p.server->cursor(), p.engine.events().last_seq());
    EXPECT_EQ(p.watcher.gaps, 0u);
}

TEST(Inspector, a_client_that_acknowledges_what_it_folded_holds_the_server_to_its_window) {
    Pipe p("ctl", 4096, server_options(), /*ack_when_folded=*/true);
    p.pump();
    ASSERT_EQ(p.watcher.snapshots, 1);
    spawn_some(p.engine, 100);  // 200 events
    p.pump();
    ASSERT_FALSE(p.closed) << *p.closed;
    EXPECT_EQ(p.server->cursor() - p.server->acked(), p.options.window) << "received is not folded: no ack, no more events";
    EXPECT_EQ(p.watcher.folded, p.options.window);
    // The owner folds, a window at a time: each time the acks let the next window through.
    for (int i = 0; i < 10 && p.server->cursor() < p.engine.events().last_seq(); ++i) {
        p.client->folded(p.client->last_seq());
        p.pump();
    }
    EXPECT_EQ(p.server->cursor(), p.engine.events().last_seq());
    p.client->folded(p.client->last_seq());
    p.clock->advance(std::chrono::milliseconds(50));  // the ack interval: the tail is acknowledged too
    p.pump();
    EXPECT_EQ(p.server->acked(), p.engine.events().last_seq());
    EXPECT_EQ(p.watcher.gaps, 0u);
}

TEST(Inspector, a_client_behind_the_ring_gets_a_gap_naming_exactly_what_it_missed) {
    Pipe p("ctl", 64);
    p.pump();
    const std::uint64_t before = p.engine.events().last_seq();
    spawn_some(p.engine, 100);  // 200 events (spawned + started) into a ring of 64
    p.pump();
    ASSERT_FALSE(p.closed) << *p.closed;
    const std::uint64_t published = p.engine.events().last_seq() - before;
    EXPECT_EQ(p.watcher.gaps + p.watcher.folded, published);
    EXPECT_EQ(p.watcher.gaps, published - 64);
    EXPECT_EQ(p.watcher.model.overview().missed_events, p.watcher.gaps);
    EXPECT_EQ(p.server->gaps_sent(), p.watcher.gaps);
}

TEST(Inspector, a_reconnect_resumes_from_the_last_event_without_a_new_snapshot) {
    Pipe p;
    spawn_some(p.engine, 5);
    p.pump();
    p.cut();
    spawn_some(p.engine, 5, "while-away-");
    p.connect();
    p.pump();
    EXPECT_EQ(p.watcher.welcomes, 2);
    EXPECT_EQ(p.watcher.snapshots, 1);
    EXPECT_EQ(p.watcher.model.actors().live(), 10u);
    EXPECT_EQ(p.watcher.gaps, 0u);

    // Away so long the ring moved on: the gap is counted, and shown.
    Pipe q("ctl", 32);
    spawn_some(q.engine, 1, "first-");
    q.pump();
    q.cut();
    spawn_some(q.engine, 50);
    q.connect();
    q.pump();
    EXPECT_GT(q.watcher.gaps, 0u);
    EXPECT_EQ(q.watcher.model.overview().missed_events, q.watcher.gaps);
    EXPECT_EQ(q.watcher.model.overview().last_seq, q.engine.events().last_seq());
}

TEST(Inspector, another_engine_behind_the_same_address_starts_over_from_its_snapshot) {
    Pipe p;
    spawn_some(p.engine, 5);
    p.pump();
    p.cut();
    p.source.inc = 0x9999;  // the server process restarted: another engine
    p.connect();
    p.pump();
    EXPECT_EQ(p.watcher.snapshots, 2);
}

TEST(Inspector, a_command_resent_after_a_reconnect_runs_once) {
    Pipe p;
    spawn_some(p.engine, 2);
    p.pump();
    const Pid victim = *p.engine.lookup("w0");
    p.client->command(CommandKind::stop, victim);
    auto f = p.client->next_frame(p.engine.now());
    ASSERT_TRUE(f);
    ASSERT_FALSE(p.server->on_frame(*f));  // executed, but the answer is lost with the connection
    p.cut();
    EXPECT_EQ(p.client->commands_waiting(), 1u);
    p.connect();
    p.pump();
    EXPECT_EQ(p.source.executed.size(), 1u) << "ran once";
    ASSERT_EQ(p.watcher.results.size(), 1u);
    EXPECT_TRUE(p.watcher.results[0].second.ok);
    EXPECT_EQ(p.client->commands_waiting(), 0u);
    p.engine.run_until_idle();
    p.pump();
    EXPECT_EQ(p.watcher.model.actors().live(), 1u);
}

TEST(Inspector, a_watch_token_reads_but_its_commands_are_refused_saying_why) {
    Pipe p("look");
    spawn_some(p.engine, 2);
    p.pump();
    EXPECT_EQ(p.watcher.role, InspectorRole::watch);
    EXPECT_EQ(p.watcher.model.actors().live(), 2u);
    p.client->command(CommandKind::stop, *p.engine.lookup("w0"));
    p.pump();
    ASSERT_EQ(p.watcher.results.size(), 1u);
    EXPECT_FALSE(p.watcher.results[0].second.ok);
    EXPECT_NE(p.watcher.results[0].second.detail.find("watch"), std::string::npos);
    EXPECT_TRUE(p.source.executed.empty());
}

TEST(Inspector, a_wrong_token_or_version_is_refused_with_a_reason) {
    Pipe p("nope");
    p.pump();
    ASSERT_TRUE(p.closed);
    EXPECT_EQ(*p.closed, "wrong token");
    EXPECT_FALSE(p.watcher.role);

    Pipe q;
    q.cut();
    q.server = std::make_unique<InspectorServer>(q.options, q.source, q.ledger);
    // Attach of version 9: [1, 9, client, token, seen, last]
    const Bytes v9{0x96, 0x01, 0x09, 0x4d, 0xa3, 'c', 't', 'l', 0x00, 0x00};
    const auto why = q.server->on_frame(v9);
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("version 9"), std::string::npos) << *why;
    EXPECT_NE(why->find("speaks 1"), std::string::npos) << *why;
}

TEST(Inspector, pause_stops_the_stream_and_resume_continues_it) {
    Pipe p;
    p.pump();
    p.client->command(CommandKind::pause);
    p.pump();
    const std::uint64_t folded = p.watcher.folded;
    spawn_some(p.engine, 5);
    p.pump();
    EXPECT_EQ(p.watcher.folded, folded);
    p.client->command(CommandKind::resume);
    p.pump();
    EXPECT_EQ(p.watcher.folded, folded + 10);
    EXPECT_EQ(p.watcher.results.size(), 2u);
}

TEST(Inspector, bad_frames_close_the_connection_with_a_reason) {
    Pipe p;
    p.pump();
    EXPECT_NE(p.server->on_frame(Bytes{0xc1})->find("malformed"), std::string::npos);
    EXPECT_NE(p.server->on_frame(Bytes{0x92, 0x06, 0xcd, 0x27, 0x10})->find("ack for event 10000"), std::string::npos);
    EXPECT_NE(p.server->on_frame(Bytes{0x91, 0x63})->find("kind 99"), std::string::npos);
    Bytes big(p.options.max_frame_bytes + 1, 0);
    EXPECT_NE(p.server->on_frame(big)->find("over the limit"), std::string::npos);
    // A text over the command limit is refused as a result, not executed.
    InspectorOptions o = server_options();
    o.max_command_text = 4;
    Pipe q("ctl", 4096, o);
    q.pump();
    spawn_some(q.engine, 1);
    q.client->command(CommandKind::send, *q.engine.lookup("w0"), "too long");
    q.pump();
    ASSERT_EQ(q.watcher.results.size(), 1u);
    EXPECT_NE(q.watcher.results[0].second.detail.find("over the limit"), std::string::npos);
    EXPECT_TRUE(q.source.executed.empty());
}

TEST(Inspector, options_are_checked) {
    InspectorOptions o;
    EXPECT_THROW(o.validate(), std::invalid_argument);  // no token, and require_token
    o.require_token = false;
    EXPECT_NO_THROW(o.validate());
    o.control_token = o.watch_token = "same";
    EXPECT_THROW(o.validate(), std::invalid_argument);
}

}  // namespace
