#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;
using actors::testing::Recorder;

using SendOrder = DeterministicEngine;

namespace {
struct Tagged {
    int sender;
    int seq;
};
}  // namespace

TEST_F(SendOrder, MessagesFromOneSenderArriveInTheOrderSent) {
    Recorder rec;
    Pid p = engine.spawn_fn("sink", rec.fn());
    std::vector<int> expected;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(engine.send(p, i), SendStatus::delivered);
        expected.push_back(i);
    }
    run();
    EXPECT_EQ(*rec.seen, expected);
}

TEST_F(SendOrder, MessagesSentBeforeStartArriveAfterStarted) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn_fn("late-starter", [log](Context&, Message& m) {
        if (m.is<Started>()) log->push_back("started");
        if (auto* v = m.as<int>()) log->push_back(std::to_string(*v));
    });
    engine.send(p, 1);
    engine.send(p, 2);
    run();
    EXPECT_EQ(*log, (std::vector<std::string>{"started", "1", "2"}));
}

TEST_F(SendOrder, EachActorSenderKeepsItsOwnOrderWhenInterleaved) {
    auto seen = std::make_shared<std::vector<Tagged>>();
    Pid sink_pid = engine.spawn_fn("sink", [seen](Context&, Message& m) {
        if (auto* t = m.as<Tagged>()) seen->push_back(*t);
    });
    // Three producer actors each send a numbered burst when poked.
    std::vector<Pid> producers;
    for (int s = 0; s < 3; ++s) {
        producers.push_back(engine.spawn_fn("producer-" + std::to_string(s), [s, sink_pid](Context& ctx, Message& m) {
            if (m.is<std::string>())
                for (int i = 0; i < 200; ++i) ctx.send(sink_pid, Tagged{s, i});
        }));
    }
    for (int round = 0; round < 3; ++round)
        for (Pid p : producers) engine.send(p, std::string("go"));
    run();
    ASSERT_EQ(seen->size(), 3u * 3u * 200u);
    std::vector<int> next(3, 0);
    for (const Tagged& t : *seen) {
        EXPECT_EQ(t.seq, next[static_cast<std::size_t>(t.sender)] % 200) << "sender " << t.sender;
        ++next[static_cast<std::size_t>(t.sender)];
    }
}

TEST_F(SendOrder, SenderIsVisibleToTheReceiver) {
    auto from = std::make_shared<Pid>();
    Pid echo = engine.spawn_fn("echo", [from](Context& ctx, Message& m) {
        if (m.is<int>()) *from = ctx.sender();
    });
    Pid asker = engine.spawn_fn("asker", [echo](Context& ctx, Message& m) {
        if (m.is<std::string>()) ctx.send(echo, 1);
    });
    engine.send(asker, std::string("go"));
    run();
    EXPECT_EQ(*from, asker);
    engine.send(echo, 2, Pid{});  // from outside: no sender
    run();
    EXPECT_FALSE(from->valid());
}

TEST_F(SendOrder, ThroughputBudgetLetsOtherActorsRunBetweenTurns) {
    // Two flooded actors share one thread; with a budget of 64 per turn their work interleaves.
    auto order = std::make_shared<std::vector<char>>();
    Pid a = engine.spawn_fn("a", [order](Context&, Message& m) { if (m.is<int>()) order->push_back('a'); });
    Pid b = engine.spawn_fn("b", [order](Context&, Message& m) { if (m.is<int>()) order->push_back('b'); });
    run();
    for (int i = 0; i < 300; ++i) {
        engine.send(a, i);
        engine.send(b, i);
    }
    run();
    ASSERT_EQ(order->size(), 600u);
    // a's first turn handles 64 messages, then b gets the thread.
    EXPECT_EQ((*order)[63], 'a');
    EXPECT_EQ((*order)[64], 'b');
}

TEST_F(SendOrder, CountsSentByAnActor) {
    Recorder rec;
    Pid sink_pid = engine.spawn_fn("sink", rec.fn());
    Pid sender = engine.spawn_fn("sender", [sink_pid](Context& ctx, Message& m) {
        if (m.is<std::string>()) for (int i = 0; i < 5; ++i) ctx.send(sink_pid, i);
    });
    engine.send(sender, std::string("go"));
    run();
    auto info = engine.info(sender);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->counters.sent, 5u);
    auto sink_info = engine.info(sink_pid);
    EXPECT_EQ(sink_info->counters.received, 5u);
    EXPECT_EQ(sink_info->counters.processed, 5u);
    expect_conserved();
}
