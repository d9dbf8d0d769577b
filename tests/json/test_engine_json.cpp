#include <gtest/gtest.h>

#include "actors/bridge/engine_json.hpp"
#include "actors/bridge/native_registry.hpp"

using namespace actors;

TEST(EngineJson, ParsesPidsAndRejectsAnythingElse) {
    EXPECT_EQ(js::parse_pid("<1.42.3>"), (Pid{1, 42, 3}));
    for (const char* bad : {"", "<1.2>", "1.2.3", "<1.2.3", "<a.b.c>", "<1..3>", "<1.2.3.4>", "<-1.2.3>", "<99999999999.1.0>"})
        EXPECT_THROW((void)js::parse_pid(bad), std::invalid_argument) << bad;
    EXPECT_EQ(json::dump(js::pid_json(Pid{2, 7, 0})), "\"<2.7.0>\"");
    EXPECT_TRUE(js::pid_json(Pid{}).is_null());
}

TEST(EngineJson, ReadsEngineOptions) {
    EngineConfig c = js::engine_config_from(json::parse(
        R"({"mailboxCapacity": 10, "requestTimeoutMs": 250, "health": {"enabled": false}, "seed": 9})"));
    EXPECT_EQ(c.scheduler, SchedulerKind::cooperative);
    EXPECT_EQ(c.default_mailbox_capacity, 10u);
    EXPECT_EQ(c.default_request_timeout, std::chrono::milliseconds(250));
    EXPECT_FALSE(c.health.enabled);
    EXPECT_EQ(c.random_seed, 9u);
}

TEST(EngineJson, BadOptionsNameTheField) {
    auto message = [](const char* text) {
        try {
            (void)js::engine_config_from(json::parse(text));
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message(R"({"mailboxCapacity": 0})").find("mailboxCapacity"), std::string::npos);
    EXPECT_NE(message(R"({"mailboxCapacity": "big"})").find("mailboxCapacity"), std::string::npos);
    EXPECT_NE(message(R"({"bogus": 1})").find("unknown option 'bogus'"), std::string::npos);
    EXPECT_NE(message(R"({"health": {"intervalMs": -1}})").find("intervalMs"), std::string::npos);
    EXPECT_NE(message(R"([1])").find("must be an object"), std::string::npos);
}

TEST(EngineJson, ReadsSpawnOptionsWithASupervisor) {
    SpawnOptions so = js::spawn_options_from(json::parse(
        R"({"mailboxCapacity": 8, "overflow": "drop_oldest", "supervisor": {"strategy": "all_for_one", "directive": "stop", "restart": "backoff", "minMs": 10, "maxMs": 100, "maxRestarts": 3}})"));
    EXPECT_EQ(so.mailbox.capacity, 8u);
    EXPECT_EQ(so.mailbox.overflow, OverflowPolicy::drop_oldest);
    ASSERT_TRUE(so.supervisor);
    EXPECT_EQ(so.supervisor->kind, SupervisorStrategy::Kind::all_for_one);
    EXPECT_EQ(so.supervisor->decide(Failure{}), Directive::stop);
    EXPECT_EQ(so.supervisor->restart.kind, RestartPolicy::Kind::exponential_backoff);
    EXPECT_EQ(so.supervisor->restart.max_restarts, 3u);
    EXPECT_THROW((void)js::spawn_options_from(json::parse(R"({"overflow": "explode"})")), std::invalid_argument);
    EXPECT_THROW((void)js::spawn_options_from(json::parse(R"({"supervisor": {"minMs": 50, "maxMs": 10, "restart": "backoff"}})")),
                 std::invalid_argument);
}

TEST(EngineJson, EventsCarrySequenceTimeKindAndFields) {
    Event e{7, std::chrono::milliseconds(3), DeadLetter{Pid{1, 2, 0}, Pid{}, "Ping", DeadLetterReason::actor_stopped}};
    EXPECT_EQ(json::dump(js::event_json(e)),
              R"({"seq":7,"timeMs":3,"kind":"dead_letter","target":"<1.2.0>","sender":null,"messageType":"Ping","reason":"actor_stopped"})");
}

TEST(EngineJson, NativeKindsIncludeTheBuiltInsAndUnknownKindsListThem) {
    auto kinds = js::native_actor_kinds();
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "counter"), kinds.end());
    try {
        (void)js::native_actor("nope");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("counter"), std::string::npos);
    }
    EXPECT_THROW(js::register_native_actor("echo", [] { return std::unique_ptr<Actor>(); }), std::invalid_argument);
}
