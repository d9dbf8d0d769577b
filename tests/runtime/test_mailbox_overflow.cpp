#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;
using actors::testing::ConfiguredEngine;
using actors::testing::Recorder;

using MailboxOverflowTest = DeterministicEngine;

namespace {
SpawnOptions bounded(std::size_t capacity, OverflowPolicy policy) {
    SpawnOptions o;
    o.mailbox = MailboxOptions{capacity, policy};
    return o;
}
struct Ping {
    using Response = int;
};
}  // namespace

TEST_F(MailboxOverflowTest, DropNewestKeepsTheFirstMessagesAndDropsTheRest) {
    Recorder rec;
    Pid p = engine.spawn_fn("small", rec.fn(), bounded(3, OverflowPolicy::drop_newest));
    run();
    std::vector<SendStatus> st;
    for (int i = 1; i <= 5; ++i) st.push_back(engine.send(p, i));
    EXPECT_EQ(st, (std::vector<SendStatus>{SendStatus::delivered, SendStatus::delivered, SendStatus::delivered,
                                           SendStatus::dropped, SendStatus::dropped}));
    run();
    EXPECT_EQ(*rec.seen, (std::vector<int>{1, 2, 3}));
    auto of = sink.of<MailboxOverflow>();
    ASSERT_EQ(of.size(), 2u);
    EXPECT_EQ(of[0].capacity, 3u);
    EXPECT_EQ(of[0].policy, OverflowPolicy::drop_newest);
    EXPECT_EQ(of[0].message_type, "int");
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 2u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::mailbox_full);
    EXPECT_EQ(engine.info(p)->counters.dropped, 2u);
    expect_conserved();
}

TEST_F(MailboxOverflowTest, DropOldestKeepsTheNewestMessages) {
    Recorder rec;
    Pid p = engine.spawn_fn("small", rec.fn(), bounded(3, OverflowPolicy::drop_oldest));
    run();
    for (int i = 1; i <= 7; ++i) EXPECT_EQ(engine.send(p, i), SendStatus::delivered);
    run();
    EXPECT_EQ(*rec.seen, (std::vector<int>{5, 6, 7}));
    auto of = sink.of<MailboxOverflow>();
    ASSERT_EQ(of.size(), 4u);
    EXPECT_EQ(of[0].policy, OverflowPolicy::drop_oldest);
    EXPECT_EQ(engine.info(p)->counters.dropped, 4u);
    EXPECT_EQ(engine.info(p)->counters.processed, 3u);
    expect_conserved();
}

TEST_F(MailboxOverflowTest, DropOldestFailsAnEvictedRequest) {
    Pid p = engine.spawn_fn("small", [](Context&, Message& m) { m.visit([](const Ping&) { return 1; }); },
                            bounded(1, OverflowPolicy::drop_oldest));
    run();
    auto first = engine.request(p, Ping{});
    auto second = engine.request(p, Ping{});
    run();
    EXPECT_EQ(first.result()->error().code, ErrorCode::mailbox_full);
    EXPECT_EQ(second.result()->value(), 1);
}

TEST_F(MailboxOverflowTest, RejectSenderRefusesAndTellsTheSendingActor) {
    Recorder rec;
    Pid small = engine.spawn_fn("small", rec.fn(), bounded(2, OverflowPolicy::reject_sender));
    run();
    auto told = std::make_shared<std::vector<MailboxFull>>();
    auto statuses = std::make_shared<std::vector<SendStatus>>();
    Pid sender = engine.spawn_fn("sender", [small, told, statuses](Context& ctx, Message& m) {
        if (m.is<std::string>())
            for (int i = 0; i < 4; ++i) statuses->push_back(ctx.send(small, i));
        if (auto* full = m.as<MailboxFull>()) told->push_back(*full);
    });
    run();
    engine.send(sender, std::string("go"));
    run();
    EXPECT_EQ(*statuses, (std::vector<SendStatus>{SendStatus::delivered, SendStatus::delivered, SendStatus::rejected,
                                                  SendStatus::rejected}));
    ASSERT_EQ(told->size(), 2u);
    EXPECT_EQ((*told)[0].target, small);
    EXPECT_EQ((*told)[0].message_type, "int");
    EXPECT_EQ(*rec.seen, (std::vector<int>{0, 1}));
    expect_conserved();
}

TEST_F(MailboxOverflowTest, RequestToAFullMailboxFailsAtOnce) {
    Pid p = engine.spawn_fn("small", [](Context&, Message& m) { m.visit([](const Ping&) { return 1; }); },
                            bounded(1, OverflowPolicy::reject_sender));
    run();
    auto a = engine.request(p, Ping{});
    auto b = engine.request(p, Ping{});
    ASSERT_TRUE(b.ready());
    EXPECT_EQ(b.result()->error().code, ErrorCode::mailbox_full);
    run();
    EXPECT_EQ(a.result()->value(), 1);
}

TEST_F(MailboxOverflowTest, SystemMessagesAreNeverRefused) {
    // Capacity 1 and not yet started: the pending start must not occupy the user slot, and a
    // stop must get through a full mailbox.
    Recorder rec;
    Pid p = engine.spawn_fn("tiny", rec.fn(), bounded(1, OverflowPolicy::drop_newest));
    EXPECT_EQ(engine.send(p, 1), SendStatus::delivered);
    EXPECT_EQ(engine.send(p, 2), SendStatus::dropped);
    engine.stop(p);
    run();
    EXPECT_FALSE(engine.alive(p));
    expect_conserved();
}

TEST_F(MailboxOverflowTest, PoisonGetsThroughAFullMailbox) {
    Recorder rec;
    Pid p = engine.spawn_fn("tiny", rec.fn(), bounded(1, OverflowPolicy::drop_newest));
    run();
    engine.send(p, 1);
    engine.poison(p);
    run();
    EXPECT_EQ(*rec.seen, std::vector<int>{1});
    EXPECT_FALSE(engine.alive(p));
}

TEST_F(MailboxOverflowTest, MailboxDepthIsVisibleInTheSnapshot) {
    Recorder rec;
    Pid p = engine.spawn_fn("deep", rec.fn(), bounded(10, OverflowPolicy::drop_newest));
    run();
    for (int i = 0; i < 4; ++i) engine.send(p, i);
    auto info = engine.info(p);
    EXPECT_EQ(info->mailbox_depth, 4u);
    EXPECT_EQ(info->mailbox_capacity, 10u);
    EXPECT_EQ(info->overflow, OverflowPolicy::drop_newest);
    run();
    EXPECT_EQ(engine.info(p)->mailbox_depth, 0u);
}

TEST_F(MailboxOverflowTest, EngineDefaultCapacityAppliesWhenNoneIsGiven) {
    auto clock2 = std::make_shared<ManualClock>();
    EngineConfig cfg = EngineConfig::deterministic(clock2);
    cfg.default_mailbox_capacity = 2;
    Engine small_engine(cfg);
    Recorder rec;
    Pid p = small_engine.spawn_fn("defaulted", rec.fn());
    EXPECT_EQ(small_engine.send(p, 1), SendStatus::delivered);
    EXPECT_EQ(small_engine.send(p, 2), SendStatus::delivered);
    EXPECT_EQ(small_engine.send(p, 3), SendStatus::dropped);
}

// Found by fuzz/mailbox_overflow_fuzzer: while a restart delay was pending, the stash of waiting
// messages was not counted by drop_oldest, so it grew past the capacity and the restarted actor
// saw older messages instead of the newest `capacity`.
TEST_F(MailboxOverflowTest, DropOldestKeepsTheNewestMessagesWhileARestartDelayIsPending) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(std::chrono::milliseconds(10)));
    });
    auto seen = std::make_shared<std::vector<int>>();
    Pid p = e.engine.spawn_fn("small", [seen](Context&, Message& m) {
        if (auto* v = m.as<int>()) {
            seen->push_back(*v);
            if (*v < 0) throw std::runtime_error("fail");
        }
    }, bounded(3, OverflowPolicy::drop_oldest));
    e.engine.send(p, -1);
    e.run();  // fails: the restart waits 10 ms
    for (int i = 1; i <= 4; ++i) e.engine.send(p, i);
    e.run();  // 1 evicted, 2..4 stashed
    for (int i = 5; i <= 8; ++i) e.engine.send(p, i);
    e.run();
    EXPECT_LE(e.engine.info(p)->mailbox_depth, 3u);
    e.advance(std::chrono::milliseconds(10));
    EXPECT_EQ(*seen, (std::vector<int>{-1, 6, 7, 8}));
    EXPECT_EQ(e.engine.counters().dropped, 5u);
    e.expect_conserved();
}
