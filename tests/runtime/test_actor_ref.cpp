// ActorRef: a Pid resolved once. Every send through a ref must end exactly as the same send to
// the Pid would: delivered in order, or the same dead letter with the same reason.
#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;
using actors::testing::Recorder;

using ActorRefs = DeterministicEngine;

TEST_F(ActorRefs, SendsThroughARefArriveInOrderInterleavedWithSendsToThePid) {
    Recorder rec;
    Pid p = engine.spawn_fn("sink", rec.fn());
    ActorRef ref = engine.resolve(p);
    EXPECT_TRUE(ref.resolved());
    EXPECT_EQ(ref.pid(), p);
    std::vector<int> expected;
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(i % 2 ? engine.send(ref, i) : engine.send(p, i), SendStatus::delivered);
        expected.push_back(i);
    }
    run();
    EXPECT_EQ(*rec.seen, expected);
    expect_conserved();
}

TEST_F(ActorRefs, AnActorSendsThroughARefWithItselfAsTheSenderAndCountsTheSend) {
    auto senders = std::make_shared<std::vector<Pid>>();
    Pid echo = engine.spawn_fn("echo", [senders](Context&, Message& m) {
        if (m.is<int>()) senders->push_back(m.sender());
    });
    Pid probe = engine.spawn_fn("probe", [](Context& ctx, Message& m) {
        if (auto* target = m.as<Pid>()) ctx.send(ctx.resolve(*target), 7);
    });
    engine.send(probe, echo);
    run();
    ASSERT_EQ(senders->size(), 1u);
    EXPECT_EQ((*senders)[0], probe);
    EXPECT_EQ(engine.info(probe)->counters.sent, 1u);
    expect_conserved();
}

TEST_F(ActorRefs, ARefToAStoppedActorGivesTheSameDeadLetterAsThePid) {
    Recorder rec;
    Pid p = engine.spawn_fn("gone", rec.fn());
    run();
    ActorRef ref = engine.resolve(p);
    engine.stop(p);
    run();
    EXPECT_EQ(engine.send(ref, 1), SendStatus::dead_letter);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::actor_stopped);
    EXPECT_EQ(dl[0].target, p);
    EXPECT_TRUE(rec.seen->empty());
    expect_conserved();
}

TEST_F(ActorRefs, ARefToAnUnknownPidIsUnresolvedAndItsSendsAreNoSuchActor) {
    Pid ghost{engine.node(), 4242, 0};
    ActorRef ref = engine.resolve(ghost);
    EXPECT_FALSE(ref.resolved());
    EXPECT_EQ(engine.send(ref, 1), SendStatus::dead_letter);
    EXPECT_EQ(engine.send(ActorRef{}, 2), SendStatus::dead_letter);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 2u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::no_such_actor);
    EXPECT_EQ(dl[1].reason, DeadLetterReason::no_such_actor);
    expect_conserved();
}

TEST_F(ActorRefs, ARestartedActorStillGetsWhatIsSentThroughAnOlderRef) {
    Recorder rec;
    auto fail_once = std::make_shared<bool>(true);
    Pid p = engine.spawn_fn("phoenix", [rec, fail_once](Context& ctx, Message& m) mutable {
        if (m.is<std::string>() && std::exchange(*fail_once, false)) throw std::runtime_error("once");
        rec.fn()(ctx, m);
    });
    ActorRef ref = engine.resolve(p);
    engine.send(ref, std::string("boom"));
    run();
    EXPECT_EQ(engine.send(ref, 5), SendStatus::delivered);
    run();
    ASSERT_FALSE(rec.seen->empty());
    EXPECT_EQ(rec.seen->back(), 5);
}

TEST(ActorRefLifetime, ARefMayOutliveItsActorAndItsEngine) {
    ActorRef ref;
    {
        Engine engine(EngineConfig::cooperative());
        Pid p = engine.spawn_fn("short-lived", [](Context&, Message&) {});
        engine.run_until_idle();
        ref = engine.resolve(p);
    }
    // The engine is gone; the ref still names the actor, and copies of it are released last
    // (AddressSanitizer checks that the actor's memory and its engine's outlive them).
    EXPECT_TRUE(ref.pid().valid());
    ActorRef copy = ref;
    EXPECT_EQ(copy, ref);
    ref = ActorRef{};
    EXPECT_TRUE(copy.resolved());
}
