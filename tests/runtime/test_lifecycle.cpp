#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;

namespace {
using Log = std::shared_ptr<std::vector<std::string>>;

struct Traced : Actor {
    explicit Traced(Log l) : log(std::move(l)) { log->push_back("construct"); }
    ~Traced() override { log->push_back("destroy"); }
    void started(Context&) override { log->push_back("started()"); }
    void stopped(Context&) override { log->push_back("stopped()"); }
    void receive(Context&, Message& m) override {
        if (m.is<Initialized>()) log->push_back("Initialized");
        else if (m.is<Started>()) log->push_back("Started");
        else if (m.is<Stopped>()) log->push_back("Stopped");
        else if (auto* v = m.as<int>()) log->push_back("msg " + std::to_string(*v));
    }
    Log log;
};
}  // namespace

using Lifecycle = DeterministicEngine;

TEST_F(Lifecycle, HooksAndNotificationsRunInDocumentedOrder) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn<Traced>("traced", {}, log);
    engine.send(p, 1);
    run();
    engine.stop(p);
    run();
    EXPECT_EQ(*log, (std::vector<std::string>{"construct", "Initialized", "started()", "Started", "msg 1", "Stopped",
                                              "stopped()", "destroy"}));
}

TEST_F(Lifecycle, PoisonHandlesQueuedMessagesBeforeStopping) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn<Traced>("traced", {}, log);
    engine.send(p, 1);
    engine.send(p, 2);
    engine.poison(p);
    engine.send(p, 3);  // behind the poison: a dead letter
    run();
    EXPECT_EQ(std::count(log->begin(), log->end(), "msg 1"), 1);
    EXPECT_EQ(std::count(log->begin(), log->end(), "msg 2"), 1);
    EXPECT_EQ(std::count(log->begin(), log->end(), "msg 3"), 0);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::actor_stopped);
    expect_conserved();
}

TEST_F(Lifecycle, StopDeadLettersQueuedMessages) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn<Traced>("traced", {}, log);
    run();
    engine.send(p, 1);
    engine.send(p, 2);
    engine.stop(p);  // system queue: overtakes the queued messages
    run();
    EXPECT_EQ(std::count(log->begin(), log->end(), "msg 1"), 0);
    EXPECT_EQ(sink.count<DeadLetter>(), 2u);
    auto info = engine.counters();
    EXPECT_EQ(info.dead_lettered, 2u);
    expect_conserved();
}

TEST_F(Lifecycle, EventsFollowSpawnedStartedStopped) {
    Pid p = engine.spawn_fn("plain", [](Context&, Message&) {});
    run();
    engine.stop(p);
    run();
    ASSERT_EQ(sink.events().size(), 3u);
    EXPECT_TRUE(sink.events()[0].is<ActorSpawned>());
    EXPECT_TRUE(sink.events()[1].is<ActorStarted>());
    auto* stopped = sink.events()[2].as<ActorStopped>();
    ASSERT_NE(stopped, nullptr);
    EXPECT_EQ(stopped->pid, p);
    EXPECT_EQ(stopped->reason, StopReason::requested);
}

TEST_F(Lifecycle, ActorCanStopItself) {
    auto log = std::make_shared<std::vector<int>>();
    Pid p = engine.spawn_fn("quitter", [log](Context& ctx, Message& m) {
        if (auto* v = m.as<int>()) {
            log->push_back(*v);
            if (*v == 2) ctx.stop();
        }
    });
    for (int i = 1; i <= 4; ++i) engine.send(p, i);
    run();
    EXPECT_EQ(*log, (std::vector<int>{1, 2}));
    EXPECT_FALSE(engine.alive(p));
    EXPECT_EQ(sink.count<DeadLetter>(), 2u);
    expect_conserved();
}

TEST_F(Lifecycle, HandlerThatThrowsIsAFailureAndItsMessageADeadLetter) {
    Pid p = engine.spawn_fn("fragile", [](Context&, Message& m) {
        if (m.is<int>()) throw std::runtime_error("bad input");
    });
    engine.send(p, 1);
    run();
    auto failed = sink.of<ActorFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].error, "bad input");
    EXPECT_EQ(failed[0].message_type, "int");
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    // The root guardian's default is to restart it: same id, next generation.
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_TRUE(restarted[0].pid.same_actor(p));
    EXPECT_EQ(restarted[0].pid.generation, 1u);
    EXPECT_TRUE(engine.alive(p));
    EXPECT_EQ(engine.info(p)->last_error, "bad input");
    expect_conserved();
}

TEST_F(Lifecycle, StartedHookThatAlwaysThrowsStopsAfterTheRestartLimit) {
    struct BadStart : Actor {
        void started(Context&) override { throw std::runtime_error("cannot start"); }
        void receive(Context&, Message&) override {}
    };
    Pid p = engine.spawn<BadStart>("bad-start");
    run();
    EXPECT_FALSE(engine.alive(p));
    EXPECT_EQ(sink.count<ActorStarted>(), 0u);
    const unsigned limit = engine.config().root_supervisor.restart.max_restarts;
    EXPECT_EQ(sink.count<ActorFailed>(), limit + 1);
    EXPECT_EQ(sink.count<MaxRestartsExceeded>(), 1u);
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(stopped[0].reason, StopReason::failed);
}

TEST_F(Lifecycle, MessageAccessorThrowsInsideAHook) {
    auto threw = std::make_shared<bool>(false);
    struct Probe : Actor {
        explicit Probe(std::shared_ptr<bool> t) : threw_(std::move(t)) {}
        void started(Context& ctx) override {
            try {
                (void)ctx.message();
            } catch (const std::logic_error&) {
                *threw_ = true;
            }
        }
        void receive(Context&, Message&) override {}
        std::shared_ptr<bool> threw_;
    };
    engine.spawn<Probe>("probe", {}, threw);
    run();
    EXPECT_TRUE(*threw);
}

TEST_F(Lifecycle, StoppingTwiceIsHarmless) {
    Pid p = engine.spawn_fn("twice", [](Context&, Message&) {});
    engine.stop(p);
    engine.stop(p);
    run();
    engine.stop(p);
    run();
    EXPECT_EQ(sink.count<ActorStopped>(), 1u);
}
