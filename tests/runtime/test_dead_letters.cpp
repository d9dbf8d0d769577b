#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;
using actors::testing::Recorder;

using DeadLetters = DeterministicEngine;

namespace {
struct Note {
    std::string text;
};
}  // namespace

TEST_F(DeadLetters, MessageToAnUnknownActorIsADeadLetterWithNoSuchActor) {
    Pid ghost{engine.node(), 12345, 0};
    EXPECT_EQ(engine.send(ghost, Note{"hi"}), SendStatus::dead_letter);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].target, ghost);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::no_such_actor);
    EXPECT_NE(dl[0].message_type.find("Note"), std::string::npos) << dl[0].message_type;
    expect_conserved();
}

TEST_F(DeadLetters, InvalidPidIsNoSuchActor) {
    EXPECT_EQ(engine.send(Pid{}, 1), SendStatus::dead_letter);
    EXPECT_EQ(sink.of<DeadLetter>().at(0).reason, DeadLetterReason::no_such_actor);
}

TEST_F(DeadLetters, MessageToAStoppedActorIsADeadLetterWithActorStopped) {
    Recorder rec;
    Pid p = engine.spawn_fn("gone", rec.fn());
    engine.stop(p);
    run();
    EXPECT_EQ(engine.send(p, 1), SendStatus::dead_letter);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::actor_stopped);
    expect_conserved();
}

TEST_F(DeadLetters, DeadLetterCarriesTheSender) {
    Pid ghost{engine.node(), 777, 0};
    Pid sender = engine.spawn_fn("sender", [ghost](Context& ctx, Message& m) {
        if (m.is<Started>()) ctx.send(ghost, 1);
    });
    run();
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].sender, sender);
}

TEST_F(DeadLetters, MailboxFullIsADeadLetterToo) {
    Recorder rec;
    SpawnOptions o;
    o.mailbox = {1, OverflowPolicy::drop_newest};
    Pid p = engine.spawn_fn("full", rec.fn(), o);
    engine.send(p, 1);
    engine.send(p, 2);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::mailbox_full);
}

TEST_F(DeadLetters, MessagesAfterShutdownAreDeadLettersWithEngineStopped) {
    Recorder rec;
    Pid p = engine.spawn_fn("r", rec.fn());
    run();
    engine.shutdown();
    EXPECT_EQ(engine.send(p, 1), SendStatus::dead_letter);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::engine_stopped);
    auto c = engine.counters();
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
}

TEST_F(DeadLetters, FailingHandlersMessageIsADeadLetterWithHandlerFailed) {
    Pid p = engine.spawn_fn("thrower", [](Context&, Message& m) {
        if (m.is<Note>()) throw std::runtime_error("no");
    });
    engine.send(p, Note{"x"});
    run();
    auto dl = sink.of<DeadLetter>();
    ASSERT_GE(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    expect_conserved();
}

TEST_F(DeadLetters, EveryDeadLetterIsCounted) {
    Recorder rec;
    Pid p = engine.spawn_fn("r", rec.fn());
    run();
    engine.send(Pid{engine.node(), 99999, 0}, 1);
    engine.stop(p);
    run();
    engine.send(p, 2);
    engine.send(p, 3);
    auto c = engine.counters();
    EXPECT_EQ(c.dead_lettered, 3u);
    EXPECT_EQ(sink.count<DeadLetter>(), 3u);
    expect_conserved();
}
