#include <stdexcept>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::ConfiguredEngine;
using actors::testing::DeterministicEngine;
using actors::testing::RecordingSink;

namespace {
constexpr auto kCheckFailed = static_cast<std::uint8_t>(HealthSignal::check_failed);
constexpr auto kMailboxLag = static_cast<std::uint8_t>(HealthSignal::mailbox_lag);

struct Fail {};

template <class T>
std::vector<T> with_signal(const RecordingSink& sink, HealthSignal s) {
    std::vector<T> out;
    for (const T& e : sink.of<T>())
        if (e.signal == s) out.push_back(e);
    return out;
}

std::uint8_t snapshot_health(const Engine& engine, Pid pid) {
    for (const auto& a : engine.snapshot().actors)
        if (a.pid.same_actor(pid)) return a.health;
    ADD_FAILURE() << "no actor " << pid << " in the snapshot";
    return 0xff;
}

// What the predicate does on its next call.
enum class Verdict { healthy, unhealthy, throws };
}  // namespace

class Health : public DeterministicEngine {
protected:
    // An actor that enables a 10 ms health check in started(); the predicate follows *verdict
    // and counts its calls.
    Pid spawn_checked(const std::string& name = "checked") {
        struct Checked : Actor {
            Checked(std::shared_ptr<Verdict> v, std::shared_ptr<int> c) : verdict(std::move(v)), calls(std::move(c)) {}
            void started(Context& ctx) override {
                ctx.enable_health_check(10ms, [v = verdict, c = calls](Context&) {
                    ++*c;
                    if (*v == Verdict::throws) throw std::runtime_error("probe down");
                    return *v == Verdict::healthy;
                });
            }
            void receive(Context& ctx, Message& m) override {
                if (auto* s = m.as<std::string>(); s && *s == "disable") ctx.disable_health_check();
                if (m.is<Fail>()) throw std::runtime_error("broke");
            }
            std::shared_ptr<Verdict> verdict;
            std::shared_ptr<int> calls;
        };
        return engine.spawn<Checked>(name, {}, verdict, calls);
    }

    std::shared_ptr<Verdict> verdict = std::make_shared<Verdict>(Verdict::healthy);
    std::shared_ptr<int> calls = std::make_shared<int>(0);
};

TEST_F(Health, ACheckThatTurnsFalseAndTrueAgainReportsEachTransitionOnce) {
    Pid p = spawn_checked();
    run();
    advance(50ms);
    EXPECT_EQ(*calls, 5) << "checked every 10 ms";
    EXPECT_EQ(sink.count<ActorUnhealthy>(), 0u);
    EXPECT_EQ(sink.count<ActorHealthy>(), 0u);

    *verdict = Verdict::unhealthy;
    advance(10ms);
    auto bad = sink.of<ActorUnhealthy>();
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].pid, p);
    EXPECT_EQ(bad[0].signal, HealthSignal::check_failed);
    EXPECT_EQ(bad[0].measured, Duration::zero());
    EXPECT_EQ(engine.info(p)->health, kCheckFailed);
    EXPECT_EQ(snapshot_health(engine, p), kCheckFailed);

    advance(50ms);
    EXPECT_EQ(sink.count<ActorUnhealthy>(), 1u) << "only transitions are reported";
    EXPECT_EQ(*calls, 11);

    *verdict = Verdict::healthy;
    advance(10ms);
    auto good = sink.of<ActorHealthy>();
    ASSERT_EQ(good.size(), 1u);
    EXPECT_EQ(good[0].pid, p);
    EXPECT_EQ(good[0].signal, HealthSignal::check_failed);
    EXPECT_EQ(engine.info(p)->health, 0u);
    EXPECT_EQ(snapshot_health(engine, p), 0u);

    advance(50ms);
    EXPECT_EQ(sink.count<ActorHealthy>(), 1u);
    EXPECT_EQ(sink.count<ActorUnhealthy>(), 1u);
}

TEST_F(Health, APredicateThatThrowsCountsAsUnhealthy) {
    Pid p = spawn_checked();
    run();
    *verdict = Verdict::throws;
    advance(10ms);
    auto bad = sink.of<ActorUnhealthy>();
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].signal, HealthSignal::check_failed);
    EXPECT_NE(bad[0].detail.find("probe down"), std::string::npos) << bad[0].detail;
    EXPECT_EQ(sink.count<ActorFailed>(), 0u) << "a throwing check is not a failure of the actor";
    EXPECT_TRUE(engine.alive(p));
    EXPECT_EQ(engine.info(p)->health, kCheckFailed);

    *verdict = Verdict::healthy;
    advance(10ms);
    EXPECT_EQ(sink.count<ActorHealthy>(), 1u);
    EXPECT_EQ(engine.info(p)->health, 0u);
}

TEST_F(Health, DisabledChecksStopRunning) {
    Pid p = spawn_checked();
    run();
    advance(30ms);
    EXPECT_EQ(*calls, 3);
    engine.send(p, std::string("disable"));
    run();
    *verdict = Verdict::unhealthy;
    advance(100ms);
    EXPECT_EQ(*calls, 3);
    EXPECT_EQ(sink.count<ActorUnhealthy>(), 0u);
}

TEST_F(Health, AStoppedActorIsNoLongerChecked) {
    Pid p = spawn_checked();
    run();
    advance(20ms);
    engine.stop(p);
    run();
    const int before = *calls;
    advance(100ms);
    EXPECT_EQ(*calls, before);
}

TEST_F(Health, HealthChecksAreNotUserTraffic) {
    // Health checks are not user traffic: conservation holds and nothing is counted as processed.
    Pid p = spawn_checked();
    run();
    advance(100ms);
    EXPECT_EQ(engine.info(p)->counters.processed, 0u);
    expect_conserved();
}

TEST(HealthMailboxLag, AnActorWaitingOutARestartDelayBecomesLaggingThenRecovers) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.health.interval = 10ms;
        c.health.mailbox_lag = 50ms;
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(200ms));
    });
    auto handled = std::make_shared<std::vector<int>>();
    Pid p = e.engine.spawn_fn("slow-restart", [handled](Context&, Message& m) {
        if (m.is<Fail>()) throw std::runtime_error("broke");
        if (auto* v = m.as<int>()) handled->push_back(*v);
    });
    e.run();
    const TimePoint t0 = e.clock->now();
    e.engine.send(p, Fail{});
    e.engine.send(p, 1);
    e.engine.send(p, 2);
    e.run();
    ASSERT_EQ(e.engine.info(p)->state, ActorState::restarting);

    e.advance(50ms);  // waited exactly mailbox_lag: not yet "longer than"
    EXPECT_EQ(e.sink.count<ActorUnhealthy>(), 0u);
    e.advance(10ms);  // the next sample sees 60 ms
    auto lag = with_signal<ActorUnhealthy>(e.sink, HealthSignal::mailbox_lag);
    ASSERT_EQ(lag.size(), 1u) << "queued messages waiting out the restart delay are lagging";
    EXPECT_EQ(lag[0].pid.id, p.id);
    EXPECT_GT(lag[0].measured, 50ms);
    EXPECT_LE(lag[0].measured, 50ms + 10ms) << "measured to within one interval";
    EXPECT_EQ(e.engine.info(p)->health & kMailboxLag, kMailboxLag);
    EXPECT_EQ(snapshot_health(e.engine, p) & kMailboxLag, kMailboxLag);

    e.advance(100ms);  // still waiting: no second event
    EXPECT_EQ(with_signal<ActorUnhealthy>(e.sink, HealthSignal::mailbox_lag).size(), 1u);
    EXPECT_TRUE(handled->empty());

    // Restart at t0 + 200 ms, the queue drains, and the next sample clears the signal.
    e.advance(t0 + 200ms - e.clock->now());
    EXPECT_EQ(*handled, (std::vector<int>{1, 2}));
    e.advance(10ms);
    auto healthy = with_signal<ActorHealthy>(e.sink, HealthSignal::mailbox_lag);
    ASSERT_EQ(healthy.size(), 1u);
    EXPECT_EQ(healthy[0].pid.id, p.id);
    EXPECT_EQ(e.engine.info(p)->health, 0u);
    EXPECT_EQ(snapshot_health(e.engine, p), 0u);
    e.expect_conserved();
}

TEST(HealthMailboxLag, MessagesLeftWaitingByALateHostTickAreReportedThenCleared) {
    // A cooperative host that drives the engine late (a throttled browser tab): time moved on
    // 60 ms with messages queued. The monitor sample that is due first sees the lag.
    // (Relies on due timers being run before actor turns when the engine is driven.)
    ConfiguredEngine e([](EngineConfig& c) {
        c.health.interval = 10ms;
        c.health.mailbox_lag = 50ms;
    });
    auto handled = std::make_shared<std::vector<int>>();
    Pid p = e.engine.spawn_fn("late", [handled](Context&, Message& m) {
        if (auto* v = m.as<int>()) handled->push_back(*v);
    });
    e.run();
    e.engine.send(p, 1);
    e.engine.send(p, 2);
    e.clock->advance(60ms);  // time passes without the engine being driven
    e.run();
    auto lag = with_signal<ActorUnhealthy>(e.sink, HealthSignal::mailbox_lag);
    ASSERT_EQ(lag.size(), 1u);
    EXPECT_EQ(lag[0].pid, p);
    EXPECT_GT(lag[0].measured, 50ms);
    EXPECT_EQ(*handled, (std::vector<int>{1, 2}));
    e.advance(10ms);
    auto healthy = with_signal<ActorHealthy>(e.sink, HealthSignal::mailbox_lag);
    ASSERT_EQ(healthy.size(), 1u);
    EXPECT_EQ(healthy[0].pid, p);
    EXPECT_EQ(e.engine.info(p)->health, 0u);
}

TEST(HealthMailboxLag, AnActorThatKeepsUpIsNeverLagging) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.health.interval = 10ms;
        c.health.mailbox_lag = 50ms;
    });
    Pid p = e.engine.spawn_fn("busy", [](Context&, Message&) {});
    for (int i = 0; i < 20; ++i) {
        e.engine.send(p, i);
        e.advance(10ms);
    }
    EXPECT_EQ(e.sink.count<ActorUnhealthy>(), 0u);
    EXPECT_EQ(e.engine.info(p)->health, 0u);
}

TEST(HealthMailboxLag, DisabledHealthOptionsMeanNoMonitor) {
    // The late-tick scenario above, with the monitor turned off.
    ConfiguredEngine e([](EngineConfig& c) {
        c.health.enabled = false;
        c.health.interval = 10ms;
        c.health.mailbox_lag = 50ms;
    });
    Pid p = e.engine.spawn_fn("unwatched", [](Context&, Message&) {});
    e.run();
    e.engine.send(p, 1);
    e.clock->advance(60ms);
    e.run();
    e.advance(100ms);
    EXPECT_EQ(e.sink.count<ActorUnhealthy>(), 0u);
    EXPECT_EQ(e.engine.info(p)->health, 0u);
}
