#include <chrono>

#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;

using Cooperative = DeterministicEngine;

TEST_F(Cooperative, NothingRunsUntilTheHostDrivesIt) {
    auto count = std::make_shared<int>(0);
    Pid p = engine.spawn_fn("lazy", [count](Context&, Message& m) { if (m.is<int>()) ++*count; });
    engine.send(p, 1);
    EXPECT_EQ(*count, 0);
    EXPECT_TRUE(engine.cooperative()->has_ready_work());
    run();
    EXPECT_EQ(*count, 1);
    EXPECT_FALSE(engine.cooperative()->has_ready_work());
}

TEST_F(Cooperative, RunForReturnsWhenTheBudgetIsSpentEvenIfWorkRemains) {
    // An actor that keeps messaging itself never lets the engine go idle.
    Pid spinner = engine.spawn_fn("spinner", [](Context& ctx, Message& m) {
        if (m.is<int>()) ctx.send(ctx.self(), 0);
    });
    engine.send(spinner, 0);
    std::size_t ran = engine.run_for(2ms);
    EXPECT_GT(ran, 0u);
    EXPECT_TRUE(engine.cooperative()->has_ready_work());
    engine.stop(spinner);
    run();
    EXPECT_FALSE(engine.alive(spinner));
}

TEST_F(Cooperative, RunForLooksAtTheClockAfterATurnThatOutlastsTheBudget) {
    // run_for reads the clock only every few turns while turns are short; a turn longer than the
    // whole budget must still be the last one, however short the turns before it were.
    auto handled = std::make_shared<int>(0);
    auto slow = std::make_shared<bool>(false);
    std::vector<Pid> workers;
    for (int i = 0; i < 200; ++i)
        workers.push_back(engine.spawn_fn("", [handled, slow](Context&, Message& m) {
            if (!m.is<int>()) return;
            ++*handled;
            if (!*slow) return;
            const auto until = std::chrono::steady_clock::now() + 3ms;
            while (std::chrono::steady_clock::now() < until) {
            }
        }));
    run();
    for (Pid p : workers) engine.send(p, 0);
    engine.run_for(1s);  // short turns: the stride grows
    EXPECT_EQ(*handled, 200);
    *slow = true;
    for (Pid p : workers) engine.send(p, 0);
    engine.run_for(2ms);
    EXPECT_EQ(*handled, 201);
    run();
    EXPECT_EQ(*handled, 400);
}

TEST_F(Cooperative, AdvanceFiresEachTimerAtItsOwnDueTime) {
    auto& sched = *engine.cooperative();
    std::vector<std::pair<int, TimePoint>> fired;
    sched.call_after(30ms, [&] { fired.emplace_back(3, clock->now()); });
    sched.call_after(10ms, [&] { fired.emplace_back(1, clock->now()); });
    sched.call_after(20ms, [&] { fired.emplace_back(2, clock->now()); });
    EXPECT_EQ(sched.next_timer_due(), TimePoint{10ms});
    advance(25ms);
    ASSERT_EQ(fired.size(), 2u);
    EXPECT_EQ(fired[0], std::make_pair(1, TimePoint{10ms}));
    EXPECT_EQ(fired[1], std::make_pair(2, TimePoint{20ms}));
    EXPECT_EQ(clock->now(), TimePoint{25ms});
    advance(5ms);
    ASSERT_EQ(fired.size(), 3u);
    EXPECT_EQ(fired[2], std::make_pair(3, TimePoint{30ms}));
}

TEST_F(Cooperative, TimersWithTheSameDueTimeFireInCreationOrder) {
    auto& sched = *engine.cooperative();
    std::vector<int> order;
    for (int i = 0; i < 5; ++i) sched.call_after(1ms, [&order, i] { order.push_back(i); });
    advance(1ms);
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(Cooperative, CancelledTimersNeverFire) {
    auto& sched = *engine.cooperative();
    bool fired = false;
    TimerId id = sched.call_after(5ms, [&] { fired = true; });
    EXPECT_TRUE(sched.cancel(id));
    EXPECT_FALSE(sched.cancel(id));
    advance(10ms);
    EXPECT_FALSE(fired);
}

TEST_F(Cooperative, MessagesCausedByATimerRunBeforeTimeMovesOn) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn_fn("logger", [log, this](Context&, Message& m) {
        if (auto* s = m.as<std::string>()) log->push_back(*s + "@" + std::to_string(clock->now().count() / 1000000));
    });
    run();
    auto& sched = *engine.cooperative();
    Engine* e = &engine;
    sched.call_after(10ms, [e, p] { e->send(p, std::string("first")); });
    sched.call_after(20ms, [e, p] { e->send(p, std::string("second")); });
    advance(50ms);
    EXPECT_EQ(*log, (std::vector<std::string>{"first@10", "second@20"}));
}

TEST_F(Cooperative, NegativeAdvanceIsRefused) { EXPECT_THROW(advance(-1ms), std::invalid_argument); }

TEST_F(Cooperative, AdvanceFromInsideAnActorIsRefused) {
    auto refused = std::make_shared<bool>(false);
    Engine* e = &engine;
    Pid p = engine.spawn_fn("impatient", [e, refused](Context&, Message& m) {
        if (m.is<int>()) {
            try {
                e->advance(1ms);
            } catch (const std::logic_error&) {
                *refused = true;
            }
        }
    });
    engine.send(p, 1);
    run();
    EXPECT_TRUE(*refused);
}

TEST_F(Cooperative, RunUntilIdleFromInsideAHandlerRunsNothing) {
    auto inner = std::make_shared<std::size_t>(99);
    Engine* e = &engine;
    Pid p = engine.spawn_fn("reentrant", [e, inner](Context&, Message& m) {
        if (m.is<int>()) *inner = e->run_until_idle();
    });
    engine.send(p, 1);
    run();
    EXPECT_EQ(*inner, 0u);
}
