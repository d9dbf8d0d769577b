#include <stdexcept>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::ConfiguredEngine;
using actors::testing::DeterministicEngine;

namespace {
using Log = std::shared_ptr<std::vector<std::string>>;

// Logs "name>" before next() and "<name" after it, for int messages only.
Middleware tracing(const Log& log, std::string name) {
    return [log, name](Context&, Message& m, const Next& next) {
        if (m.is<int>()) log->push_back(name + ">");
        next();
        if (m.is<int>()) log->push_back("<" + name);
    };
}

SpawnOptions with_middleware(MiddlewareChain chain) {
    SpawnOptions o;
    o.middleware = std::move(chain);
    return o;
}

ReceiveFn logging_receive(const Log& log) {
    return [log](Context&, Message& m) {
        if (auto* v = m.as<int>()) log->push_back("receive " + std::to_string(*v));
    };
}

std::string kind(const Message& m) {
    if (m.is<Initialized>()) return "Initialized";
    if (m.is<Started>()) return "Started";
    if (m.is<Stopped>()) return "Stopped";
    if (m.is<int>()) return "int";
    return m.type_name();
}
}  // namespace

using MiddlewareTest = DeterministicEngine;

TEST(MiddlewareOrder, EngineWideWrapsPerActorWhichWrapsReceive) {
    auto log = std::make_shared<std::vector<std::string>>();
    ConfiguredEngine e([log](EngineConfig& c) { c.middleware = {tracing(log, "E1"), tracing(log, "E2")}; });
    Pid p = e.engine.spawn_fn("traced", logging_receive(log), with_middleware({tracing(log, "A1"), tracing(log, "A2")}));
    e.engine.send(p, 7);
    e.run();
    EXPECT_EQ(*log, (std::vector<std::string>{"E1>", "E2>", "A1>", "A2>", "receive 7", "<A2", "<A1", "<E2", "<E1"}));
    e.expect_conserved();
}

TEST(MiddlewareOrder, EngineWideMiddlewareWrapsEveryActor) {
    auto log = std::make_shared<std::vector<std::string>>();
    ConfiguredEngine e([log](EngineConfig& c) { c.middleware = {tracing(log, "E")}; });
    Pid a = e.engine.spawn_fn("a", logging_receive(log));
    Pid b = e.engine.spawn_fn("b", logging_receive(log));
    e.engine.send(a, 1);
    e.run();
    e.engine.send(b, 2);
    e.run();
    EXPECT_EQ(*log, (std::vector<std::string>{"E>", "receive 1", "<E", "E>", "receive 2", "<E"}));
}

TEST_F(MiddlewareTest, AMiddlewareThatDoesNotCallNextShortCircuitsAndTheMessageCountsAsProcessed) {
    auto log = std::make_shared<std::vector<std::string>>();
    Middleware drop_negative = [](Context&, Message& m, const Next& next) {
        if (auto* v = m.as<int>(); v && *v < 0) return;  // filtered
        next();
    };
    Pid p = engine.spawn_fn("filtered", logging_receive(log), with_middleware({drop_negative}));
    engine.send(p, -1);
    engine.send(p, 2);
    engine.send(p, -3);
    run();
    EXPECT_EQ(*log, (std::vector<std::string>{"receive 2"}));
    auto info = engine.info(p);
    EXPECT_EQ(info->counters.processed, 3u);
    EXPECT_EQ(info->counters.dead_lettered, 0u);
    EXPECT_EQ(sink.count<DeadLetter>(), 0u);
    EXPECT_EQ(sink.count<ActorFailed>(), 0u);
    expect_conserved();
}

TEST_F(MiddlewareTest, MiddlewareSeesLifecycleNotificationsToo) {
    auto seen = std::make_shared<std::vector<std::string>>();
    Middleware record = [seen](Context&, Message& m, const Next& next) {
        seen->push_back(kind(m));
        next();
    };
    Pid p = engine.spawn_fn("observed", [](Context&, Message&) {}, with_middleware({record}));
    engine.send(p, 1);
    run();
    engine.stop(p);
    run();
    EXPECT_EQ(*seen, (std::vector<std::string>{"Initialized", "Started", "int", "Stopped"}));
}

TEST(MiddlewareLifecycle, EngineWideMiddlewareSeesLifecycleNotificationsToo) {
    auto seen = std::make_shared<std::vector<std::string>>();
    ConfiguredEngine e([seen](EngineConfig& c) {
        c.middleware = {[seen](Context&, Message& m, const Next& next) {
            seen->push_back(kind(m));
            next();
        }};
    });
    Pid p = e.engine.spawn_fn("observed", [](Context&, Message&) {});
    e.run();
    e.engine.stop(p);
    e.run();
    EXPECT_EQ(*seen, (std::vector<std::string>{"Initialized", "Started", "Stopped"}));
}

TEST_F(MiddlewareTest, MiddlewareCanReadTheContext) {
    auto who = std::make_shared<std::vector<Pid>>();
    Middleware probe = [who](Context& ctx, Message& m, const Next& next) {
        if (m.is<int>()) {
            who->push_back(ctx.self());
            who->push_back(ctx.sender());
        }
        next();
    };
    Pid sender = engine.spawn_fn("sender", [](Context&, Message&) {});
    Pid p = engine.spawn_fn("target", [](Context&, Message&) {}, with_middleware({probe}));
    engine.send(p, 1, sender);
    run();
    EXPECT_EQ(*who, (std::vector<Pid>{p, sender}));
}

TEST_F(MiddlewareTest, AMiddlewareThatThrowsIsAFailureOfTheActor) {
    auto log = std::make_shared<std::vector<std::string>>();
    Middleware guard = [](Context&, Message& m, const Next& next) {
        if (auto* v = m.as<int>(); v && *v == 13) throw std::runtime_error("unlucky");
        next();
    };
    Pid p = engine.spawn_fn("guarded", logging_receive(log), with_middleware({guard}));
    engine.send(p, 13);
    run();
    auto failed = sink.of<ActorFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].pid, p);
    EXPECT_EQ(failed[0].error, "unlucky");
    EXPECT_EQ(failed[0].message_type, "int");
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    EXPECT_TRUE(log->empty()) << "receive was not reached";
    // The fixture's root guardian restarted it; a restart keeps the middleware.
    ASSERT_EQ(sink.count<ActorRestarted>(), 1u);
    engine.send(p, 13);
    engine.send(p, 1);
    run();
    EXPECT_EQ(sink.count<ActorFailed>(), 2u);
    EXPECT_EQ(*log, (std::vector<std::string>{"receive 1"}));
    expect_conserved();
}

TEST_F(MiddlewareTest, AnExceptionFromReceivePassesThroughTheMiddlewareAfterPart) {
    auto log = std::make_shared<std::vector<std::string>>();
    Middleware observe = [log](Context&, Message& m, const Next& next) {
        if (!m.is<int>()) return next();
        try {
            next();
        } catch (const std::exception& e) {
            log->push_back(std::string("saw ") + e.what());
            throw;
        }
    };
    Pid p = engine.spawn_fn("thrower", [](Context&, Message& m) {
        if (m.is<int>()) throw std::runtime_error("from receive");
    }, with_middleware({observe}));
    engine.send(p, 1);
    run();
    EXPECT_EQ(*log, (std::vector<std::string>{"saw from receive"}));
    EXPECT_EQ(sink.count<ActorFailed>(), 1u);
    expect_conserved();
}

TEST_F(MiddlewareTest, AnEmptyMiddlewareFunctionIsRejectedAtSpawn) {
    try {
        engine.spawn_fn("bad", [](Context&, Message&) {}, with_middleware({Middleware{}}));
        ADD_FAILURE() << "spawn accepted an empty middleware";
    } catch (const ActorError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
    }
    EXPECT_FALSE(engine.lookup("bad"));
    run();
    EXPECT_EQ(sink.count<ActorSpawned>(), 0u);
}

TEST_F(MiddlewareTest, AnEmptyMiddlewareFunctionIsRejectedForAChild) {
    auto code = std::make_shared<std::optional<ErrorCode>>();
    engine.spawn_fn("parent", [code](Context& ctx, Message& m) {
        if (!m.is<Started>()) return;
        try {
            ctx.spawn_fn("bad", [](Context&, Message&) {}, with_middleware({Middleware{}}));
        } catch (const ActorError& e) {
            *code = e.error().code;
        }
    });
    run();
    ASSERT_TRUE(code->has_value());
    EXPECT_EQ(**code, ErrorCode::invalid_argument);
    EXPECT_FALSE(engine.lookup("parent/bad"));
}

TEST(MiddlewareConfig, AnEmptyEngineWideMiddlewareIsRejectedWhenTheEngineIsBuilt) {
    auto config = EngineConfig::deterministic(std::make_shared<ManualClock>());
    config.middleware = {[](Context&, Message&, const Next& next) { next(); }, Middleware{}};
    EXPECT_THROW(Engine{config}, std::invalid_argument);
}
