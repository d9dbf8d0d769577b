// The dashboard's demo scenarios, on the deterministic engine: each produces the events the
// dashboard is there to show, the controls (spawn, crash, storm, stop) and the inspector's
// actions work on them, and a run repeats exactly for a seed.
#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

#include "scenarios/inspector.hpp"
#include "scenarios/scenario.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;
using actors::testing::RecordingSink;
using actors::testing::TestEngine;

namespace {

std::unique_ptr<scenarios::Scenario> started(Engine& engine, std::string_view name) {
    auto s = scenarios::make(name);
    s->start(engine);
    return s;
}

Pid at(const Engine& engine, const std::string& path) {
    auto pid = engine.lookup(path);
    if (!pid) throw std::runtime_error("no actor at " + path);
    return *pid;
}

std::uint64_t processed(const Engine& engine, Pid pid) { return engine.info(pid)->counters.processed; }

// Full names of the actors spawned so far, by Pid id.
std::map<std::uint64_t, std::string> names(const RecordingSink& sink) {
    std::map<std::uint64_t, std::string> out;
    for (const auto& s : sink.of<ActorSpawned>()) out[s.pid.id] = s.name;
    return out;
}

std::size_t dead_letters(const RecordingSink& sink, DeadLetterReason reason) {
    auto all = sink.of<DeadLetter>();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const DeadLetter& d) { return d.reason == reason; }));
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

using Scenarios = DeterministicEngine;

TEST(ScenarioCatalog, ListsTheFiveScenariosInAStableOrder) {
    auto all = scenarios::list();
    std::vector<std::string> got;
    for (const auto& info : all) {
        got.push_back(info.name);
        EXPECT_FALSE(info.title.empty());
        EXPECT_FALSE(info.description.empty());
        EXPECT_EQ(scenarios::make(info.name)->info().name, info.name);
    }
    EXPECT_EQ(got, (std::vector<std::string>{"worker-pool", "ping-pong", "dead-letters", "slow-consumer", "chat-room"}));
}

TEST(ScenarioCatalog, AnUnknownNameIsRefusedWithTheValidNames) {
    try {
        (void)scenarios::make("nope");
        FAIL() << "make(\"nope\") returned";
    } catch (const ActorError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
        const std::string what = e.what();
        EXPECT_TRUE(contains(what, "'nope'")) << what;
        for (const auto& info : scenarios::list()) EXPECT_TRUE(contains(what, info.name)) << what;
    }
}

TEST_F(Scenarios, WorkerPoolCrashesWorkersAndRestartsThemWithGrowingBackoff) {
    auto s = started(engine, "worker-pool");
    advance(30s);
    const auto spawned = names(sink);
    auto failed = sink.of<ActorFailed>();
    ASSERT_FALSE(failed.empty());
    EXPECT_TRUE(contains(spawned.at(failed.front().pid.id), "worker-pool/pool/worker-")) << spawned.at(failed.front().pid.id);
    EXPECT_TRUE(contains(failed.front().error, "corrupt record")) << failed.front().error;

    std::map<std::uint64_t, std::vector<ActorRestarted>> restarts;
    for (const auto& r : sink.of<ActorRestarted>()) restarts[r.pid.id].push_back(r);
    ASSERT_FALSE(restarts.empty());
    bool grew = false;
    for (const auto& [id, rs] : restarts)
        for (std::size_t i = 1; i < rs.size(); ++i)
            if (rs[i].restarts == rs[i - 1].restarts + 1) {
                EXPECT_GT(rs[i].delay, rs[i - 1].delay) << spawned.at(id) << " restart " << rs[i].restarts;
                EXPECT_GT(rs[i].next_delay, rs[i - 1].next_delay);
                grew = true;
            }
    EXPECT_TRUE(grew) << "some worker restarted twice within the window";
    EXPECT_GE(restarts.begin()->second.front().delay, 160ms) << "backoff starts at 200 ms +/- 20 %";
}

TEST_F(Scenarios, PingPongPlayersBothKeepPlaying) {
    auto s = started(engine, "ping-pong");
    advance(1s);
    for (int pair = 1; pair <= 3; ++pair) {
        const Pid ping = at(engine, "ping-pong/ping-" + std::to_string(pair));
        const Pid pong = at(engine, "ping-pong/pong-" + std::to_string(pair));
        const auto ping_before = processed(engine, ping), pong_before = processed(engine, pong);
        advance(3s);
        EXPECT_GT(processed(engine, ping), ping_before) << "pair " << pair;
        EXPECT_GT(processed(engine, pong), pong_before) << "pair " << pair;
    }
    // Throttled by swings, not a CPU burner: the fastest pair (100 ms) hits about 10 times a second.
    EXPECT_LT(processed(engine, at(engine, "ping-pong/pong-1")), 120u);
}

TEST_F(Scenarios, PingPongServesANewBallWhenThePartnerLosesIt) {
    auto s = started(engine, "ping-pong");
    advance(1s);
    const Pid ping = at(engine, "ping-pong/ping-3");
    const Pid pong = at(engine, "ping-pong/pong-3");
    // The returner dies holding the ball (its pending swing is cancelled by the restart).
    advance(360ms);
    ASSERT_EQ(s->crash(engine, pong), pong);
    advance(3s);
    const auto before = processed(engine, pong);
    advance(3s);
    EXPECT_GT(processed(engine, pong), before) << "the rally went on after the crash";
    EXPECT_TRUE(engine.alive(ping));
}

TEST_F(Scenarios, DeadLettersGeneratesBothReasons) {
    auto s = started(engine, "dead-letters");
    advance(3s);
    EXPECT_GT(dead_letters(sink, DeadLetterReason::actor_stopped), 10u);
    EXPECT_GT(dead_letters(sink, DeadLetterReason::no_such_actor), 10u);
    std::size_t targets_stopped = 0;
    const auto spawned = names(sink);
    for (const auto& st : sink.of<ActorStopped>())
        if (contains(spawned.at(st.pid.id), "/target-")) ++targets_stopped;
    EXPECT_GE(targets_stopped, 5u) << "targets keep being spawned and stopped";
    expect_conserved();
}

TEST_F(Scenarios, SlowConsumerOverflowsAndTurnsUnhealthyThenRecovers) {
    auto s = started(engine, "slow-consumer");
    advance(4s);
    const Pid consumer = at(engine, "slow-consumer/consumer");
    EXPECT_EQ(sink.count<ActorUnhealthy>(), 0u) << "keeping up until the first stall";
    EXPECT_EQ(sink.count<MailboxOverflow>(), 0u);
    advance(1300ms);  // inside the 1.5 s stall
    EXPECT_EQ(engine.info(consumer)->state, ActorState::restarting);
    EXPECT_EQ(engine.info(consumer)->mailbox_depth, 32u) << "the mailbox is full";

    auto overflow = sink.of<MailboxOverflow>();
    ASSERT_FALSE(overflow.empty());
    EXPECT_TRUE(overflow.front().pid.same_actor(consumer));
    EXPECT_EQ(overflow.front().capacity, 32u);
    EXPECT_EQ(overflow.front().policy, OverflowPolicy::drop_newest);
    EXPECT_EQ(dead_letters(sink, DeadLetterReason::mailbox_full), overflow.size());

    auto unhealthy = sink.of<ActorUnhealthy>();
    ASSERT_EQ(unhealthy.size(), 1u);
    EXPECT_TRUE(unhealthy[0].pid.same_actor(consumer));
    EXPECT_EQ(unhealthy[0].signal, HealthSignal::mailbox_lag);
    EXPECT_GT(unhealthy[0].measured, engine.config().health.mailbox_lag);

    advance(1s);  // restarted, drained, sampled
    auto healthy = sink.of<ActorHealthy>();
    ASSERT_EQ(healthy.size(), 1u);
    EXPECT_TRUE(healthy[0].pid.same_actor(consumer));
    EXPECT_EQ(healthy[0].signal, HealthSignal::mailbox_lag);
    EXPECT_EQ(engine.info(consumer)->health, 0u);
    expect_conserved();
}

TEST_F(Scenarios, ChatRoomUsersComeAndGoAndTheRoomHearsOfIt) {
    auto s = started(engine, "chat-room");
    advance(30s);
    const auto spawned = names(sink);
    std::size_t users_spawned = 0, users_left = 0;
    for (const auto& [id, name] : spawned)
        if (contains(name, "chat-room/user-")) ++users_spawned;
    for (const auto& st : sink.of<ActorStopped>())
        if (contains(spawned.at(st.pid.id), "chat-room/user-") && st.reason == StopReason::requested) ++users_left;
    EXPECT_GT(users_spawned, 5u) << "new users joined";
    EXPECT_GT(users_left, 0u) << "users left";

    std::size_t lines = 0, joins = 0, leaves = 0;
    for (const auto& c : sink.of<CustomEvent>()) {
        EXPECT_EQ(c.topic, "chat");
        if (contains(c.data, " left (")) ++leaves;  // the room's death watch on a user
        else if (contains(c.data, " joined")) ++joins;
        else ++lines;
    }
    EXPECT_EQ(leaves, users_left) << "the room announced every user who left";
    EXPECT_EQ(joins, users_spawned);
    EXPECT_GT(lines, 30u);
}

TEST_F(Scenarios, ChatUsersLeaveWhenTheirRoomStopsAndTheLobbyOpensAnother) {
    auto s = started(engine, "chat-room");
    advance(1s);
    std::vector<Pid> users;
    const auto lobby = engine.info(at(engine, "chat-room"));
    for (const auto& child : lobby->children)
        if (contains(engine.info(child)->name, "/user-")) users.push_back(child);
    ASSERT_EQ(users.size(), 5u);
    scenarios::stop_actor(engine, at(engine, "chat-room/room-1"));
    run();
    for (const Pid& u : users) EXPECT_FALSE(engine.alive(u)) << "users watch the room and leave with it";
    EXPECT_TRUE(engine.lookup("chat-room/room-2"));
    advance(5s);
    EXPECT_FALSE(sink.of<CustomEvent>().empty());
}

TEST_F(Scenarios, RunsRepeatExactlyForASeed) {
    // Each engine has its own node number: compare Pids by id and generation only.
    auto trace = [](std::uint64_t seed) {
        TestEngine e([seed](EngineConfig& c) { c.random_seed = seed; });
        auto s = started(e.engine, "worker-pool");
        e.advance(10s);
        (void)s->crash(e.engine);
        (void)s->storm(e.engine, 50);
        e.advance(2s);
        const std::string node = "<" + std::to_string(e.engine.node()) + ".";
        std::string out;
        for (const auto& ev : e.sink.events()) {
            std::string line = describe(ev) + "\n";
            for (auto at = line.find(node); at != std::string::npos; at = line.find(node, at + 1)) line.replace(at, node.size(), "<");
            out += line;
        }
        return out;
    };
    const std::string a = trace(7);
    EXPECT_GT(a.size(), 1000u);
    const std::string b = trace(7);
    EXPECT_TRUE(a == b) << "same seed, same run";
    EXPECT_FALSE(a == trace(8)) << "another seed, other crashes";
}

TEST_F(Scenarios, ControlsRefuseAScenarioThatIsNotRunning) {
    auto s = scenarios::make("ping-pong");
    EXPECT_THROW((void)s->spawn(engine), std::logic_error);
    EXPECT_THROW((void)s->crash(engine), std::logic_error);
    EXPECT_THROW((void)s->storm(engine, 1), std::logic_error);
    s->start(engine);
    EXPECT_THROW(s->start(engine), std::logic_error);
    s->stop(engine);
    run();
    EXPECT_NO_THROW(s->start(engine)) << "a stopped scenario starts again";
}

// The dashboard's buttons, on every scenario.
class ScenarioControls : public ::testing::TestWithParam<std::string>, protected TestEngine {};

TEST_P(ScenarioControls, SpawnCrashStormAndStop) {
    auto s = started(engine, GetParam());
    advance(2s);
    const std::string root = GetParam();

    auto spawned = s->spawn(engine);
    run();
    ASSERT_TRUE(spawned.ready());
    ASSERT_TRUE(spawned.result()->ok()) << spawned.result()->error().message();
    const Pid fresh = spawned.result()->value();
    EXPECT_TRUE(engine.alive(fresh));
    EXPECT_TRUE(contains(engine.info(fresh)->name, root + "/")) << "inside the scenario's tree: " << engine.info(fresh)->name;

    const auto failures = sink.count<ActorFailed>();
    auto crashed = s->crash(engine);
    ASSERT_TRUE(crashed.has_value());
    run();
    auto failed = sink.of<ActorFailed>();
    ASSERT_GT(failed.size(), failures);
    EXPECT_TRUE(std::any_of(failed.begin() + static_cast<std::ptrdiff_t>(failures), failed.end(),
                            [&](const ActorFailed& f) { return f.pid.same_actor(*crashed) && f.error == "crash button"; }));
    EXPECT_EQ(s->crash(engine, fresh), fresh) << "a chosen target";

    const auto sent = engine.counters().sent;
    EXPECT_EQ(s->storm(engine, 200), 200u);
    EXPECT_GE(engine.counters().sent, sent + 200);
    advance(2s);

    s->stop(engine);
    run();
    EXPECT_EQ(engine.counters().live_actors, 0u) << "stop() leaves no scenario actor alive";
    for (const auto& sp : sink.of<ActorSpawned>()) EXPECT_FALSE(engine.alive(sp.pid)) << sp.name;
    const auto events = sink.events().size();
    advance(5s);
    EXPECT_EQ(sink.events().size(), events) << "no load left behind (timers died with their actors)";
    expect_conserved();
}

INSTANTIATE_TEST_SUITE_P(EveryScenario, ScenarioControls,
                         ::testing::Values("worker-pool", "ping-pong", "dead-letters", "slow-consumer", "chat-room"),
                         [](const auto& param_info) {
                             std::string n = param_info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST_F(Scenarios, StormsReachTheirTargets) {
    auto s = started(engine, "dead-letters");
    advance(1s);
    const auto stopped = dead_letters(sink, DeadLetterReason::actor_stopped);
    const auto unknown = dead_letters(sink, DeadLetterReason::no_such_actor);
    EXPECT_EQ(s->storm(engine, 100), 100u);
    run();
    EXPECT_EQ(dead_letters(sink, DeadLetterReason::actor_stopped), stopped + 50) << "half to a target stopped first";
    EXPECT_EQ(dead_letters(sink, DeadLetterReason::no_such_actor), unknown + 50) << "half to Pids nobody had";
}

TEST_F(Scenarios, TheInspectorActsOnAnyDemoActor) {
    auto s = started(engine, "chat-room");
    advance(1s);
    const Pid user = at(engine, "chat-room/user-2");

    const auto before = processed(engine, user);
    EXPECT_EQ(scenarios::poke(engine, user, "hello"), SendStatus::delivered);
    run();
    EXPECT_EQ(processed(engine, user), before + 1);

    auto child = scenarios::spawn_child(engine, user);
    run();
    ASSERT_TRUE(child.ready() && child.result()->ok());
    EXPECT_EQ(engine.info(child.result()->value())->name, "chat-room/user-2/child-1");
    auto grandchild = scenarios::spawn_child(engine, child.result()->value());
    run();
    ASSERT_TRUE(grandchild.result() && grandchild.result()->ok()) << "a demo child is a demo actor too";

    EXPECT_EQ(scenarios::inject_failure(engine, user, "inspected"), SendStatus::delivered);
    run();
    auto failed = sink.of<ActorFailed>();
    ASSERT_FALSE(failed.empty());
    EXPECT_TRUE(failed.back().pid.same_actor(user));
    EXPECT_EQ(failed.back().error, "inspected");
    EXPECT_FALSE(engine.alive(child.result()->value())) << "a restart stops the old instance's children";
    EXPECT_TRUE(engine.alive(user));
    EXPECT_GT(engine.info(user)->pid.generation, user.generation);

    scenarios::stop_actor(engine, user);
    run();
    EXPECT_FALSE(engine.alive(user));
    EXPECT_EQ(scenarios::poke(engine, user), SendStatus::dead_letter);
}

TEST_F(Scenarios, TheInspectorsSpawnChildOnANonDemoActorFailsWithNoReply) {
    Pid plain = engine.spawn_fn("plain", [](Context&, Message&) {});
    auto child = scenarios::spawn_child(engine, plain);
    run();
    ASSERT_TRUE(child.ready());
    EXPECT_EQ(child.result()->error().code, ErrorCode::no_reply);
}
