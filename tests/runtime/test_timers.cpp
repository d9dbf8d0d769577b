#include <stdexcept>

#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;

namespace {
struct Tick {
    int n = 0;
};
struct Fail {};

// One delivery as a receiver saw it.
struct Delivery {
    int n;
    TimePoint at;
    Pid sender;
};
using Deliveries = std::shared_ptr<std::vector<Delivery>>;

// Arms a timer when told to, from inside its handler.
struct Arm {
    std::function<TimerHandle(Context&)> fn;
};
}  // namespace

class Timers : public DeterministicEngine {
protected:
    // Records each Tick with the time it arrived and its sender.
    Pid spawn_receiver(const std::string& name = "receiver") {
        return engine.spawn_fn(name, [got = got](Context& ctx, Message& m) {
            if (auto* t = m.as<Tick>()) got->push_back({t->n, ctx.now(), m.sender()});
        });
    }
    // Arms timers on request (Arm), records Ticks too, and fails on Fail.
    Pid spawn_owner(const std::string& name = "owner") {
        return engine.spawn_fn(name, [got = got, handle = handle](Context& ctx, Message& m) {
            if (auto* a = m.as<Arm>()) *handle = a->fn(ctx);
            else if (auto* t = m.as<Tick>()) got->push_back({t->n, ctx.now(), m.sender()});
            else if (m.is<Fail>()) throw std::runtime_error("owner broke");
        });
    }
    std::vector<TimePoint> times() const {
        std::vector<TimePoint> out;
        for (const auto& d : *got) out.push_back(d.at);
        return out;
    }

    Deliveries got = std::make_shared<std::vector<Delivery>>();
    std::shared_ptr<TimerHandle> handle = std::make_shared<TimerHandle>();
};

TEST_F(Timers, SendAfterFiresOnceAtExactlyTheDelay) {
    Pid owner = spawn_owner();
    advance(1s);
    const TimePoint armed_at = clock->now();
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_after(30ms, ctx.self(), Tick{1}); }});
    run();
    EXPECT_TRUE(handle->active());
    advance(30ms - 1ns);
    EXPECT_TRUE(got->empty());
    advance(1ns);
    ASSERT_EQ(got->size(), 1u);
    EXPECT_EQ((*got)[0].at, armed_at + 30ms);
    EXPECT_FALSE(handle->active()) << "a one-shot that fired is no longer active";
    advance(1s);
    EXPECT_EQ(got->size(), 1u) << "fires once";
    expect_conserved();
}

TEST_F(Timers, SendRepeatFiresAtEveryMultipleOfTheInterval) {
    Pid owner = spawn_owner();
    advance(1s);
    const TimePoint armed_at = clock->now();
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_repeat(25ms, ctx.self(), Tick{2}); }});
    run();
    advance(100ms);
    EXPECT_EQ(times(), (std::vector<TimePoint>{armed_at + 25ms, armed_at + 50ms, armed_at + 75ms, armed_at + 100ms}));
    advance(25ms - 1ns);
    EXPECT_EQ(got->size(), 4u);
    advance(1ns);
    ASSERT_EQ(got->size(), 5u);
    EXPECT_EQ(got->back().at, armed_at + 125ms);
    EXPECT_TRUE(handle->active());
    handle->cancel();
    expect_conserved();
}

TEST_F(Timers, CancelStopsARepeatingTimerAndReturnsTrueOnlyOnce) {
    Pid owner = spawn_owner();
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_repeat(10ms, ctx.self(), Tick{3}); }});
    run();
    advance(20ms);
    ASSERT_EQ(got->size(), 2u);
    EXPECT_TRUE(handle->active());
    EXPECT_TRUE(handle->cancel());
    EXPECT_FALSE(handle->active());
    EXPECT_FALSE(handle->cancel()) << "already cancelled";
    advance(100ms);
    EXPECT_EQ(got->size(), 2u);
    expect_conserved();
}

TEST_F(Timers, CancelBeforeAOneShotFiresPreventsItAndAfterwardsReturnsFalse) {
    Pid owner = spawn_owner();
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_after(50ms, ctx.self(), Tick{4}); }});
    run();
    advance(49ms);
    EXPECT_TRUE(handle->cancel());
    advance(10ms);
    EXPECT_TRUE(got->empty());

    // A one-shot that already fired cannot be cancelled any more.
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_after(5ms, ctx.self(), Tick{5}); }});
    run();
    advance(5ms);
    ASSERT_EQ(got->size(), 1u);
    EXPECT_FALSE(handle->active());
    EXPECT_FALSE(handle->cancel());
    expect_conserved();
}

TEST_F(Timers, ADefaultHandleIsInactiveAndCancelsNothing) {
    TimerHandle h;
    EXPECT_FALSE(h.active());
    EXPECT_FALSE(h.cancel());
}

TEST_F(Timers, CopiesOfAHandleShareOneTimer) {
    Pid owner = spawn_owner();
    engine.send(owner, Arm{[](Context& ctx) { return ctx.send_repeat(10ms, ctx.self(), Tick{6}); }});
    run();
    TimerHandle copy = *handle;
    EXPECT_TRUE(copy.cancel());
    EXPECT_FALSE(handle->active());
    EXPECT_FALSE(handle->cancel());
    advance(50ms);
    EXPECT_TRUE(got->empty());
}

TEST_F(Timers, TimersOfAStoppedActorAreCancelled) {
    const std::size_t baseline = engine.cooperative()->pending_timers();  // the health monitor's
    Pid receiver = spawn_receiver();
    Pid owner = spawn_owner();
    auto self_timer = std::make_shared<TimerHandle>();
    engine.send(owner, Arm{[receiver, self_timer](Context& ctx) {
        *self_timer = ctx.send_after(1s, ctx.self(), Tick{-1});  // would be a dead letter after the stop
        return ctx.send_repeat(10ms, receiver, Tick{7});
    }});
    run();
    advance(10ms);
    ASSERT_EQ(got->size(), 1u);
    engine.stop(owner);
    run();
    EXPECT_FALSE(handle->active());
    EXPECT_FALSE(self_timer->active());
    EXPECT_EQ(engine.cooperative()->pending_timers(), baseline);
    advance(2s);
    EXPECT_EQ(got->size(), 1u) << "no delivery after the owner stopped";
    EXPECT_EQ(sink.count<DeadLetter>(), 0u);
    expect_conserved();
}

TEST_F(Timers, TimersOfARestartedActorAreCancelled) {
    // The fixture's root guardian restarts the owner at once; the new instance arms nothing.
    Pid receiver = spawn_receiver();
    Pid owner = spawn_owner();
    engine.send(owner, Arm{[receiver](Context& ctx) { return ctx.send_repeat(10ms, receiver, Tick{8}); }});
    run();
    advance(10ms);
    ASSERT_EQ(got->size(), 1u);
    engine.send(owner, Fail{});
    run();
    ASSERT_EQ(sink.count<ActorRestarted>(), 1u);
    EXPECT_FALSE(handle->active());
    advance(100ms);
    EXPECT_EQ(got->size(), 1u) << "no delivery after the owner restarted";
    expect_conserved();
}

TEST_F(Timers, EngineTimersFromOutsideHaveNoSender) {
    Pid receiver = spawn_receiver();
    run();
    const TimePoint t0 = clock->now();
    TimerHandle once = engine.send_after(40ms, receiver, Tick{9});
    TimerHandle every = engine.send_repeat(15ms, receiver, Tick{10});
    advance(45ms);
    ASSERT_EQ(got->size(), 4u);
    EXPECT_EQ((*got)[0].n, 10);
    EXPECT_EQ((*got)[0].at, t0 + 15ms);
    EXPECT_EQ((*got)[1].at, t0 + 30ms);
    EXPECT_EQ((*got)[2].n, 9);
    EXPECT_EQ((*got)[2].at, t0 + 40ms);
    EXPECT_EQ((*got)[3].at, t0 + 45ms);
    for (const auto& d : *got) EXPECT_FALSE(d.sender.valid());
    EXPECT_FALSE(once.active());
    EXPECT_TRUE(every.cancel());
    advance(100ms);
    EXPECT_EQ(got->size(), 4u);
    expect_conserved();
}

TEST_F(Timers, NegativeDelaysAndNonPositiveIntervalsAreRejected) {
    Pid receiver = spawn_receiver();
    run();
    const std::size_t baseline = engine.cooperative()->pending_timers();
    EXPECT_THROW(engine.send_after(-1ns, receiver, Tick{}), std::invalid_argument);
    EXPECT_THROW(engine.send_repeat(Duration::zero(), receiver, Tick{}), std::invalid_argument);
    EXPECT_THROW(engine.send_repeat(-5ms, receiver, Tick{}), std::invalid_argument);

    auto rejected = std::make_shared<int>(0);
    Pid owner = engine.spawn_fn("owner", [receiver, rejected](Context& ctx, Message& m) {
        if (!m.is<std::string>()) return;
        try {
            (void)ctx.send_after(-1ms, receiver, Tick{});
        } catch (const std::invalid_argument&) {
            ++*rejected;
        }
        try {
            (void)ctx.send_repeat(Duration::zero(), receiver, Tick{});
        } catch (const std::invalid_argument&) {
            ++*rejected;
        }
        try {
            (void)ctx.send_repeat(-1ms, receiver, Tick{});
        } catch (const std::invalid_argument&) {
            ++*rejected;
        }
    });
    engine.send(owner, std::string("go"));
    run();
    EXPECT_EQ(*rejected, 3);
    EXPECT_EQ(engine.cooperative()->pending_timers(), baseline);
    EXPECT_EQ(sink.count<ActorFailed>(), 0u);
    advance(1s);
    EXPECT_TRUE(got->empty());
}

TEST_F(Timers, AZeroDelayFiresWithoutTimePassing) {
    Pid receiver = spawn_receiver();
    run();
    const TimePoint t0 = clock->now();
    engine.send_after(Duration::zero(), receiver, Tick{11});
    run();
    ASSERT_EQ(got->size(), 1u);
    EXPECT_EQ((*got)[0].at, t0);
}

TEST_F(Timers, ATimerMessagesSenderIsTheActorThatSetIt) {
    Pid receiver = spawn_receiver();
    Pid owner = spawn_owner();
    auto second = std::make_shared<TimerHandle>();
    engine.send(owner, Arm{[receiver, second](Context& ctx) {
        *second = ctx.send_repeat(20ms, receiver, Tick{13});
        return ctx.send_after(10ms, receiver, Tick{12});
    }});
    run();
    advance(40ms);
    second->cancel();
    ASSERT_EQ(got->size(), 3u);
    for (const auto& d : *got) EXPECT_EQ(d.sender, owner);
    expect_conserved();
}

TEST_F(Timers, EachFiringDeliversAFreshCopyOfTheMessage) {
    auto sizes = std::make_shared<std::vector<std::size_t>>();
    Pid p = engine.spawn_fn("mutator", [sizes](Context&, Message& m) {
        if (auto* v = m.as<std::vector<int>>()) {
            sizes->push_back(v->size());
            v->push_back(0);  // must not leak into the next firing
        }
    });
    run();
    TimerHandle h = engine.send_repeat(10ms, p, std::vector<int>{1, 2});
    advance(30ms);
    h.cancel();
    EXPECT_EQ(*sizes, (std::vector<std::size_t>{2, 2, 2}));
}
