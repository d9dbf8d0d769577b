#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "actors/actors.hpp"
#include "actors/log.hpp"

using namespace actors;

TEST(EventLoggerTest, TurnsEngineEventsIntoLogLinesAtMatchingLevels) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    auto log = std::make_shared<spdlog::logger>("test-events", sink);
    log->set_pattern("%l %v");
    log->set_level(spdlog::level::debug);

    Engine engine(EngineConfig::cooperative());
    {
        EventLogger logger(engine.events(), log);
        Pid p = engine.spawn_fn("logged", [](Context&, Message&) {});
        engine.run_until_idle();
        engine.stop(p);
        engine.run_until_idle();
        engine.send(p, 1);  // dead letter
    }
    engine.send(Pid{engine.node(), 9999, 0}, 2);  // after the logger is gone: not logged
    const std::string text = out.str();
    EXPECT_NE(text.find("debug #1 spawned"), std::string::npos) << text;
    EXPECT_NE(text.find("name=logged"), std::string::npos) << text;
    EXPECT_NE(text.find("info #3 stopped"), std::string::npos) << text;
    EXPECT_NE(text.find("warning #4 dead_letter"), std::string::npos) << text;
    EXPECT_EQ(text.find("#5"), std::string::npos) << text;
}

TEST(EventLoggerTest, FailuresLogAsErrors) {
    EXPECT_EQ(EventLogger::level_of(ActorFailed{}), spdlog::level::err);
    EXPECT_EQ(EventLogger::level_of(DeadLetter{}), spdlog::level::warn);
    EXPECT_EQ(EventLogger::level_of(ActorSpawned{}), spdlog::level::debug);
}

TEST(EventLoggerTest, LibraryLoggerIsNamedActors) { EXPECT_EQ(logger()->name(), "actors"); }
