#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;
using actors::testing::Recorder;

using Shutdown = DeterministicEngine;

TEST_F(Shutdown, QueuedMessagesAreProcessedBeforeActorsStop) {
    Recorder rec;
    Pid p = engine.spawn_fn("worker", rec.fn());
    for (int i = 0; i < 100; ++i) engine.send(p, i);
    engine.shutdown();
    EXPECT_EQ(rec.seen->size(), 100u);
    auto c = engine.counters();
    EXPECT_EQ(c.processed, 100u);
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
    EXPECT_FALSE(engine.running());
}

TEST_F(Shutdown, StopsTopLevelActorsNewestFirstAndChildrenBeforeParents) {
    Pid first = engine.spawn_fn("first", [](Context& ctx, Message& m) {
        if (m.is<Started>()) ctx.spawn_fn("kid", [](Context&, Message&) {});
    });
    Pid second = engine.spawn_fn("second", [](Context&, Message&) {});
    run();
    Pid kid = *engine.lookup("first/kid");
    engine.shutdown();
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 3u);
    EXPECT_EQ(stopped[0].pid, second);
    EXPECT_EQ(stopped[1].pid, kid);
    EXPECT_EQ(stopped[2].pid, first);
    EXPECT_EQ(stopped[0].reason, StopReason::engine_shutdown);
    EXPECT_EQ(stopped[1].reason, StopReason::parent_stopped);
    EXPECT_EQ(stopped[2].reason, StopReason::engine_shutdown);
    EXPECT_EQ(engine.snapshot().actors.size(), 0u);
}

TEST_F(Shutdown, IsIdempotent) {
    engine.spawn_fn("x", [](Context&, Message&) {});
    engine.shutdown();
    engine.shutdown();
    EXPECT_EQ(sink.count<ActorStopped>(), 1u);
}

TEST_F(Shutdown, MessagesSentDuringShutdownByStoppingActorsAreAccountedFor) {
    // An actor that, while stopping, messages an actor that may already be gone.
    Recorder rec;
    Pid target = engine.spawn_fn("target", rec.fn());
    struct Noisy : Actor {
        explicit Noisy(Pid t) : target(t) {}
        void stopped(Context& ctx) override { ctx.send(target, 42); }
        void receive(Context&, Message&) override {}
        Pid target;
    };
    engine.spawn<Noisy>("noisy", {}, target);
    engine.shutdown();
    auto c = engine.counters();
    EXPECT_EQ(c.sent, 1u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
    EXPECT_EQ(c.in_flight, 0u);
}

TEST_F(Shutdown, PendingRequestsFailInsteadOfHanging) {
    struct Never {
        using Response = int;
    };
    auto keep = std::make_shared<std::vector<Responder<int>>>();
    Pid p = engine.spawn_fn("never", [keep](Context&, Message& m) {
        if (auto* n = m.as<Never>()) keep->push_back(m.take_responder(*n));
    });
    auto f = engine.request(p, Never{});
    run();
    engine.shutdown();
    EXPECT_FALSE(f.ready());  // the responder is still held by user code
    keep->clear();            // dropping it answers no_reply
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::no_reply);
}

TEST_F(Shutdown, ShutdownFromInsideAnActorIsRefused) {
    auto threw = std::make_shared<bool>(false);
    Engine* e = &engine;
    Pid p = engine.spawn_fn("rogue", [threw, e](Context&, Message& m) {
        if (m.is<int>()) {
            try {
                e->shutdown();
            } catch (const std::logic_error&) {
                *threw = true;
            }
        }
    });
    engine.send(p, 1);
    run();
    EXPECT_TRUE(*threw);
    EXPECT_TRUE(engine.running());
}

// Issue 12, bug 4: every poison went out at once, so trees stopped interleaved.
TEST_F(Shutdown, StopsOneTopLevelTreeAtATimeNewestFirst) {
    auto with_kid = [](Context& ctx, Message& m) {
        if (m.is<Started>()) ctx.spawn_fn("kid", [](Context&, Message&) {});
    };
    Pid first = engine.spawn_fn("first", with_kid);
    Pid second = engine.spawn_fn("second", with_kid);
    run();
    Pid first_kid = *engine.lookup("first/kid");
    Pid second_kid = *engine.lookup("second/kid");
    engine.shutdown();
    std::vector<Pid> order;
    for (const auto& s : sink.of<ActorStopped>()) order.push_back(s.pid);
    EXPECT_EQ(order, (std::vector<Pid>{second_kid, second, first_kid, first}));
}

TEST_F(Shutdown, WhatANewerActorSendsAnOlderOneFromStoppedIsStillHandled) {
    Recorder rec;
    Pid older = engine.spawn_fn("older", rec.fn());
    struct Farewell : Actor {
        explicit Farewell(Pid t) : target(t) {}
        void stopped(Context& ctx) override { ctx.send(target, 7); }
        void receive(Context&, Message&) override {}
        Pid target;
    };
    engine.spawn<Farewell>("newer", {}, older);
    engine.shutdown();
    EXPECT_EQ(*rec.seen, std::vector<int>{7});
    EXPECT_EQ(sink.count<DeadLetter>(), 0u);
}
