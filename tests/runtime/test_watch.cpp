#include <atomic>
#include <optional>
#include <stdexcept>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::ConfiguredEngine;
using actors::testing::DeterministicEngine;

namespace {
struct Watch {
    Pid target;
};
struct Unwatch {
    Pid target;
};
struct Fail {};

using Seen = std::shared_ptr<std::vector<Terminated>>;

// An actor that watches and unwatches on request and records the Terminated it receives.
Pid spawn_watcher(Engine& engine, const Seen& seen, const std::string& name = "watcher") {
    return engine.spawn_fn(name, [seen](Context& ctx, Message& m) {
        if (auto* w = m.as<Watch>()) ctx.watch(w->target);
        else if (auto* u = m.as<Unwatch>()) ctx.unwatch(u->target);
        else if (auto* t = m.as<Terminated>()) seen->push_back(*t);
    });
}

Pid spawn_target(Engine& engine, const std::string& name = "target") {
    return engine.spawn_fn(name, [](Context& ctx, Message& m) {
        if (m.is<Fail>()) throw std::runtime_error("target broke");
        if (auto* s = m.as<std::string>(); s && *s == "quit") ctx.stop();
    });
}
}  // namespace

class WatchTest : public DeterministicEngine {
protected:
    Seen seen = std::make_shared<std::vector<Terminated>>();
};

TEST_F(WatchTest, TerminatedArrivesWhenTheWatchedActorStops) {
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    EXPECT_TRUE(seen->empty());
    engine.stop(target);
    run();
    ASSERT_EQ(seen->size(), 1u);
    const Terminated& t = (*seen)[0];
    EXPECT_EQ(t.pid, target);
    EXPECT_EQ(t.reason, StopReason::requested);
    EXPECT_TRUE(t.existed);
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(t.detail, stopped[0].detail);
    EXPECT_FALSE(t.detail.empty());
    expect_conserved();
}

TEST_F(WatchTest, TerminatedCarriesTheReasonAndDetailOfAnActorThatStoppedItself) {
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    engine.send(target, std::string("quit"));
    run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_EQ((*seen)[0].reason, StopReason::requested);
    EXPECT_EQ((*seen)[0].detail, sink.of<ActorStopped>().at(0).detail);
    expect_conserved();
}

TEST(WatchFailure, TerminatedOfAFailedActorCarriesReasonFailedAndTheError) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(), [](const Failure&) { return Directive::stop; });
    });
    auto seen = std::make_shared<std::vector<Terminated>>();
    Pid target = spawn_target(e.engine);
    Pid watcher = spawn_watcher(e.engine, seen);
    e.engine.send(watcher, Watch{target});
    e.run();
    e.engine.send(target, Fail{});
    e.run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_EQ((*seen)[0].pid, target);
    EXPECT_EQ((*seen)[0].reason, StopReason::failed);
    EXPECT_EQ((*seen)[0].detail, "target broke");
    EXPECT_TRUE((*seen)[0].existed);
    e.expect_conserved();
}

TEST_F(WatchTest, WatchingAnActorThatAlreadyStoppedGivesTerminatedAtOnce) {
    Pid target = spawn_target(engine);
    engine.stop(target);
    run();
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_TRUE((*seen)[0].pid.same_actor(target));
    EXPECT_TRUE((*seen)[0].existed);
    expect_conserved();
}

TEST_F(WatchTest, WatchingAPidThatNeverExistedGivesTerminatedWithExistedFalse) {
    Pid watcher = spawn_watcher(engine, seen);
    const Pid never{engine.node(), 987654, 0};
    const Pid foreign{engine.node() + 1000, 1, 0};
    engine.send(watcher, Watch{never});
    engine.send(watcher, Watch{foreign});
    run();
    ASSERT_EQ(seen->size(), 2u);
    EXPECT_EQ((*seen)[0].pid, never);
    EXPECT_FALSE((*seen)[0].existed);
    EXPECT_EQ((*seen)[1].pid, foreign);
    EXPECT_FALSE((*seen)[1].existed);
    expect_conserved();
}

TEST_F(WatchTest, UnwatchMeansNoTerminated) {
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    engine.send(watcher, Unwatch{target});
    run();
    engine.stop(target);
    run();
    EXPECT_TRUE(seen->empty());
    EXPECT_EQ(sink.count<DeadLetter>(), 0u);
    expect_conserved();
}

TEST_F(WatchTest, WatchingTwiceStillGivesOneTerminated) {
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    engine.send(watcher, Watch{target});
    run();
    engine.stop(target);
    run();
    EXPECT_EQ(seen->size(), 1u);
    expect_conserved();
}

TEST_F(WatchTest, EveryWatcherIsTold) {
    Pid target = spawn_target(engine);
    auto other = std::make_shared<std::vector<Terminated>>();
    Pid w1 = spawn_watcher(engine, seen, "w1");
    Pid w2 = spawn_watcher(engine, other, "w2");
    engine.send(w1, Watch{target});
    engine.send(w2, Watch{target});
    run();
    engine.stop(target);
    run();
    EXPECT_EQ(seen->size(), 1u);
    EXPECT_EQ(other->size(), 1u);
    expect_conserved();
}

TEST_F(WatchTest, ARestartIsNotATermination) {
    // The fixture's root guardian restarts a failed top-level actor.
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    engine.send(target, Fail{});
    run();
    ASSERT_EQ(sink.count<ActorRestarted>(), 1u);
    EXPECT_TRUE(seen->empty());
    // The watch survives the restart: the eventual stop is reported.
    engine.stop(target);
    run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_TRUE((*seen)[0].pid.same_actor(target));
    EXPECT_EQ((*seen)[0].pid.generation, 1u);
    expect_conserved();
}

TEST_F(WatchTest, AWatcherThatStoppedFirstIsSentNothingWhenTheTargetStops) {
    Pid target = spawn_target(engine);
    Pid watcher = spawn_watcher(engine, seen);
    engine.send(watcher, Watch{target});
    run();
    engine.stop(watcher);
    run();
    sink.clear();
    const auto sent_before = engine.counters().sent;
    engine.stop(target);
    run();
    EXPECT_EQ(sink.count<DeadLetter>(), 0u) << "no Terminated was sent to the stopped watcher";
    EXPECT_EQ(engine.counters().sent, sent_before);
    EXPECT_TRUE(seen->empty());
    expect_conserved();
}

// Issue 12: waiting for an actor's end from outside any actor (JS has engine.watch(pid)).
TEST(EngineWatch, AFutureFromWatchCompletesWithTheStopReasonOnTheCooperativeScheduler) {
    ConfiguredEngine e;
    Pid p = e.engine.spawn_fn("target", [](Context&, Message&) {});
    e.run();
    Future<Terminated> watched = e.engine.watch(p);
    std::optional<Terminated> seen;
    watched.then([&](Result<Terminated> r) { seen = r.value(); });
    e.run();
    EXPECT_FALSE(seen) << "a live actor has not ended";
    Future<Terminated> poisoned = e.engine.poison(p);
    e.run();
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->pid.same_actor(p));
    EXPECT_EQ(seen->reason, StopReason::requested);
    EXPECT_TRUE(seen->existed);
    ASSERT_NE(poisoned.result(), nullptr);
    EXPECT_EQ(poisoned.result()->value().detail, "poisoned");
}

TEST(EngineWatch, WatchingAnActorThatIsGoneOrNeverExistedAnswersAtOnce) {
    ConfiguredEngine e;
    Pid p = e.engine.spawn_fn("short", [](Context&, Message&) {});
    e.run();
    e.engine.stop(p);
    e.run();
    Future<Terminated> gone = e.engine.watch(p);
    ASSERT_NE(gone.result(), nullptr);
    EXPECT_TRUE(gone.result()->value().existed);
    Future<Terminated> never = e.engine.watch(Pid{e.engine.node(), 9999, 0});
    ASSERT_NE(never.result(), nullptr);
    EXPECT_FALSE(never.result()->value().existed);
}

TEST(EngineWatch, ARestartIsNotTheEndAWatchWaitsFor) {
    ConfiguredEngine e;
    Pid p = e.engine.spawn_fn("flaky", [](Context&, Message& m) {
        if (m.is<Fail>()) throw std::runtime_error("boom");
    });
    e.run();
    Future<Terminated> watched = e.engine.watch(p);
    e.engine.send(p, Fail{});
    e.run();
    EXPECT_EQ(e.sink.count<ActorRestarted>(), 1u);
    EXPECT_FALSE(watched.ready());
    Future<Terminated> stopped = e.engine.stop(p);
    e.run();
    ASSERT_TRUE(watched.ready());
    EXPECT_EQ(watched.result()->value().reason, StopReason::requested);
    EXPECT_TRUE(stopped.ready());
}
