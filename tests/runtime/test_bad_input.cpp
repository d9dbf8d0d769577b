// Bad input everywhere a C++ user can reach: each is refused at the call, with an exception whose
// message names what to change, and the engine keeps working afterwards.
#include <cmath>
#include <functional>
#include <string>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;

using BadInput = DeterministicEngine;

namespace {

template <class E = std::invalid_argument, class F>
void expect_refused(F&& f, const std::string& mentions) {
    try {
        f();
        ADD_FAILURE() << "expected an exception mentioning '" << mentions << "'";
    } catch (const E& e) {
        EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
    }
}

void expect_config_refused(const std::function<void(EngineConfig&)>& tweak, const std::string& mentions) {
    EngineConfig c = EngineConfig::cooperative();
    tweak(c);
    expect_refused([&] { Engine e(c); }, mentions);
}

}  // namespace

TEST(BadInputConfig, AbsurdOrNegativeDurationsInTheEngineConfigAreRefused) {
    expect_config_refused([](EngineConfig& c) { c.default_request_timeout = Duration::max(); }, "default_request_timeout must be at most 100 years");
    expect_config_refused([](EngineConfig& c) { c.health.interval = Duration{-1}; }, "HealthOptions: interval must be positive");
    expect_config_refused([](EngineConfig& c) { c.health.mailbox_lag = Duration::max(); }, "at most 100 years");
    expect_config_refused([](EngineConfig& c) { c.root_supervisor.restart.delay = -1ms; }, "RestartPolicy: delay must not be negative");
    expect_config_refused([](EngineConfig& c) { c.default_supervisor.restart.max_backoff = Duration::max(); }, "max_backoff must be at most 100 years");
    expect_config_refused([](EngineConfig& c) { c.root_supervisor.restart.window = Duration::zero(); }, "window must be positive");
    expect_config_refused([](EngineConfig& c) { c.root_supervisor.restart.jitter = 2; }, "jitter must be within [0, 1]");
    expect_config_refused([](EngineConfig& c) { c.default_supervisor.restart.factor = 0.5; }, "factor must be a finite number >= 1");
    expect_config_refused([](EngineConfig& c) { c.event_ring_capacity = (std::size_t{1} << 26) + 1; }, "event_ring_capacity above");
    expect_config_refused([](EngineConfig& c) { c.middleware.push_back(Middleware{}); }, "middleware contains an empty function");
}

TEST(BadInputConfig, ThreadCountsFromZeroToAbsurd) {
    EngineConfig c;
    c.scheduler = SchedulerKind::thread_pool;
    c.worker_threads = 1025;
    expect_refused([&] { c.validate(); }, "worker_threads = 1025 is absurd; use 1..1024, or 0 for one per hardware thread");
    c.worker_threads = 0;  // documented: one per hardware thread
    EXPECT_NO_THROW(c.validate());
    c.worker_threads = 1024;
    EXPECT_NO_THROW(c.validate());
}

TEST(BadInputConfig, RestartPolicyFactoriesRefuseBadValuesAtConstruction) {
    expect_refused([] { (void)SupervisorStrategy::one_for_one(RestartPolicy::fixed(-5ms)); }, "delay must not be negative");
    expect_refused([] { (void)SupervisorStrategy::one_for_one(RestartPolicy::backoff(10ms, 1ms)); }, "max_backoff must be at least min_backoff");
    expect_refused([] { (void)SupervisorStrategy::all_for_one(RestartPolicy::backoff(1ms, 10ms, 2.0, -0.1)); }, "jitter");
    expect_refused([] { (void)SupervisorStrategy::one_for_one(RestartPolicy::immediate(3, -1s)); }, "window must be positive");
}

TEST_F(BadInput, TimersWithNegativeZeroOrAbsurdDelaysAreRefused) {
    Pid p = engine.spawn_fn("t", [](Context&, Message&) {});
    expect_refused([&] { engine.send_after(-1ms, p, 1); }, "send_after: the delay must not be negative");
    expect_refused([&] { engine.send_after(Duration::max(), p, 1); }, "send_after: the delay must be at most 100 years");
    expect_refused([&] { engine.send_repeat(Duration::zero(), p, 1); }, "send_repeat: the interval must be positive");
    expect_refused([&] { engine.send_repeat(-1ms, p, 1); }, "send_repeat: the interval must be positive");
    expect_refused([&] { engine.send_repeat(Duration::max(), p, 1); }, "send_repeat: the interval must be at most 100 years");
    EXPECT_TRUE(engine.send_after(Duration::zero(), p, 1).active()) << "zero: as soon as possible";
    run();
    expect_conserved();
}

TEST_F(BadInput, TimersFromInsideAnActorAreCheckedTheSameWay) {
    auto errors = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn_fn("t", [errors](Context& ctx, Message& m) {
        if (!m.is<int>()) return;
        for (Duration d : {Duration{-1}, Duration::max()}) {
            try {
                ctx.send_after(d, ctx.self(), std::string("x"));
            } catch (const std::invalid_argument& e) {
                errors->push_back(e.what());
            }
            try {
                ctx.send_repeat(d, ctx.self(), std::string("x"));
            } catch (const std::invalid_argument& e) {
                errors->push_back(e.what());
            }
        }
        try {
            ctx.enable_health_check(Duration::zero(), [](Context&) { return true; });
        } catch (const std::invalid_argument& e) {
            errors->push_back(e.what());
        }
    });
    engine.send(p, 1);
    run();
    ASSERT_EQ(errors->size(), 5u);
    EXPECT_NE((*errors)[4].find("health check interval must be positive"), std::string::npos);
    EXPECT_EQ(engine.counters().failures, 0u) << "a refused call is an exception the handler caught, not a failure";
    expect_conserved();
}

TEST_F(BadInput, RequestTimeoutsMustBePositiveAndFinite) {
    struct Ask {
        using Response = int;
    };
    Pid p = engine.spawn_fn("r", [](Context& ctx, Message& m) {
        if (auto* a = m.as<Ask>()) ctx.respond(*a, 1);
    });
    expect_refused([&] { (void)engine.request(p, Ask{}, Duration::zero()); }, "request timeout must be positive");
    expect_refused([&] { (void)engine.request(p, Ask{}, -1s); }, "request timeout must be positive");
    expect_refused([&] { (void)engine.request(p, Ask{}, Duration::max()); }, "request timeout must be at most 100 years");
    auto ok = engine.request(p, Ask{});
    run();
    EXPECT_EQ(ok.result()->value(), 1);
    expect_conserved();
}

TEST_F(BadInput, VirtualTimeCannotGoBackwardsOrPastTheEndOfTheClock) {
    expect_refused([&] { advance(-1ms); }, "cannot move time backwards");
    expect_refused([&] { advance(Duration::max()); }, "more than 100 years");
    EXPECT_NO_THROW(advance(1s));
}

TEST_F(BadInput, SpawnRefusesEmptyFunctionsSlashesAndBadPoolSizes) {
    expect_refused<ActorError>([&] { engine.spawn("a/b", Producer([] { return std::unique_ptr<Actor>(); })); }, "contains '/'");
    expect_refused<ActorError>([&] { engine.spawn("p", Producer{}); }, "was given no producer");
    expect_refused<ActorError>([&] { engine.spawn_fn("f", ReceiveFn{}); }, "was given an empty function");
    SpawnOptions so;
    so.middleware.push_back(Middleware{});
    expect_refused<ActorError>([&] { engine.spawn_fn("m", [](Context&, Message&) {}, so); }, "empty middleware function");
    SpawnOptions bad_strategy;
    bad_strategy.supervisor = SupervisorStrategy{};
    bad_strategy.supervisor->restart.factor = std::nan("");
    expect_refused([&] { engine.spawn_fn("s", [](Context&, Message&) {}, bad_strategy); }, "factor must be a finite number");

    PoolOptions po;
    expect_refused([&] { spawn_pool(engine, "pool", po); }, "no worker producer");
    po.worker = [] { return std::unique_ptr<Actor>(); };
    po.size = 100001;
    expect_refused([&] { spawn_pool(engine, "pool", po); }, "size 100001 is absurd");
    po.size = 2;
    po.routing = Routing::consistent_hash;
    expect_refused([&] { spawn_pool(engine, "pool", po); }, "consistent_hash routing needs a hash_key");
    EXPECT_EQ(engine.snapshot().actors.size(), 0u) << "nothing half-made was left behind";
    Pid ok = engine.spawn_fn("ok", [](Context&, Message&) {});
    EXPECT_EQ(engine.send(ok, 1), SendStatus::delivered);
    expect_conserved();
}

namespace {
// One place to catch "the library refused my argument": ActorError, with the invalid_argument
// code; and the same exception is a std::invalid_argument and (unambiguously) a std::exception.
template <class F>
void expect_invalid_argument(F&& f, const std::string& mentions) {
    try {
        f();
        ADD_FAILURE() << "expected an InvalidArgument mentioning '" << mentions << "'";
        return;
    } catch (const ActorError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::invalid_argument) << e.what();
        EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
        EXPECT_NE(e.error().detail.find(mentions), std::string::npos) << e.error().detail;
        EXPECT_NE(dynamic_cast<const InvalidArgument*>(&e), nullptr);
    }
    try {
        f();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
    } catch (...) {
        ADD_FAILURE() << "not a std::invalid_argument: '" << mentions << "'";
    }
    try {
        f();
    } catch (const std::exception&) {
    } catch (...) {
        ADD_FAILURE() << "not catchable as std::exception: '" << mentions << "'";
    }
}
}  // namespace

TEST_F(BadInput, EveryRefusedArgumentIsAnInvalidArgumentThatIsAlsoAnActorErrorAndAStdInvalidArgument) {
    engine.spawn_fn("taken", [](Context&, Message&) {});
    expect_invalid_argument([&] { engine.spawn_fn("taken", [](Context&, Message&) {}); }, "already exists");
    expect_invalid_argument([&] { engine.spawn_fn("a/b", [](Context&, Message&) {}); }, "contains '/'");
    expect_invalid_argument([&] { engine.spawn("p", Producer{}); }, "was given no producer");
    expect_invalid_argument([&] { engine.spawn_fn("f", ReceiveFn{}); }, "was given an empty function");
    expect_invalid_argument([] {
        EngineConfig c = EngineConfig::cooperative();
        c.event_ring_capacity = 0;
        Engine e(c);
    }, "EngineConfig");
    expect_invalid_argument([] { (void)SupervisorStrategy::one_for_one(RestartPolicy::fixed(-5ms)); }, "delay must not be negative");
    expect_invalid_argument([] {
        HealthOptions h;
        h.interval = Duration::zero();
        h.validate();
    }, "HealthOptions: interval must be positive");
    Pid p = engine.spawn_fn("t", [](Context&, Message&) {});
    expect_invalid_argument([&] { engine.send_after(-1ms, p, 1); }, "send_after: the delay must not be negative");
    expect_invalid_argument([&] { engine.send_repeat(Duration::zero(), p, 1); }, "send_repeat: the interval must be positive");
    struct Ask {
        using Response = int;
    };
    expect_invalid_argument([&] { (void)engine.request(p, Ask{}, Duration::zero()); }, "request timeout must be positive");
    expect_invalid_argument([&] { advance(-1ms); }, "cannot move time backwards");
    expect_invalid_argument([] { ManualClock().set(Duration{-1}); }, "ManualClock cannot go backwards");
    expect_invalid_argument([] { EventStream(0, std::make_shared<ManualClock>()); }, "event ring capacity");
    expect_invalid_argument([&] { engine.events().subscribe(EventStream::Callback{}); }, "empty callback");
    PoolOptions po;
    expect_invalid_argument([&] { spawn_pool(engine, "pool", po); }, "no worker producer");
    expect_invalid_argument([] { (void)Resize{100001}; }, "absurd");
    run();
    expect_conserved();
}

TEST_F(BadInput, ARefusalForTheEnginesStateIsARuntimeErrorThatIsAlsoAnActorError) {
    Pid gone = engine.spawn_fn("gone", [](Context&, Message&) {});
    run();
    engine.stop(gone);
    run();
    try {
        engine.subscribe(gone);
        ADD_FAILURE() << "subscribing a stopped actor was accepted";
    } catch (const ActorError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::no_such_actor);
        EXPECT_NE(dynamic_cast<const std::runtime_error*>(&e), nullptr);
        EXPECT_EQ(dynamic_cast<const std::invalid_argument*>(&e), nullptr) << "not an argument refusal";
    }
    engine.shutdown();
    try {
        engine.spawn_fn("late", [](Context&, Message&) {});
        ADD_FAILURE() << "spawning on a shut-down engine was accepted";
    } catch (const std::exception& e) {
        auto* actor_error = dynamic_cast<const ActorError*>(&e);
        ASSERT_NE(actor_error, nullptr) << e.what();
        EXPECT_EQ(actor_error->error().code, ErrorCode::engine_stopped);
    }
}
