#include <gtest/gtest.h>

#include "actors/actors.hpp"

using namespace actors;

namespace {
void expect_rejected(EngineConfig cfg, const std::string& mentions) {
    try {
        Engine e(cfg);
        FAIL() << "expected std::invalid_argument mentioning " << mentions;
    } catch (const std::invalid_argument& ex) {
        EXPECT_NE(std::string(ex.what()).find(mentions), std::string::npos) << ex.what();
    }
}
}  // namespace

TEST(EngineConfigTest, ZeroMailboxCapacityIsRejected) {
    EngineConfig c = EngineConfig::cooperative();
    c.default_mailbox_capacity = 0;
    expect_rejected(c, "default_mailbox_capacity");
}

TEST(EngineConfigTest, ZeroEventRingIsRejected) {
    EngineConfig c = EngineConfig::cooperative();
    c.event_ring_capacity = 0;
    expect_rejected(c, "event_ring_capacity");
}

TEST(EngineConfigTest, AbsurdWorkerCountIsRejected) {
    EngineConfig c;
    c.scheduler = SchedulerKind::thread_pool;  // validated before any thread starts, so this runs everywhere
    c.worker_threads = 100000;
    expect_rejected(c, "worker_threads");
}

TEST(EngineConfigTest, ZeroThroughputIsRejected) {
    EngineConfig c = EngineConfig::cooperative();
    c.throughput = 0;
    expect_rejected(c, "throughput");
}

TEST(EngineConfigTest, NonPositiveRequestTimeoutIsRejected) {
    EngineConfig c = EngineConfig::cooperative();
    c.default_request_timeout = Duration{-1};
    expect_rejected(c, "default_request_timeout");
}

TEST(EngineConfigTest, ManualClockWithAThreadPoolIsRejected) {
    EngineConfig c;
    c.scheduler = SchedulerKind::thread_pool;
    c.clock = std::make_shared<ManualClock>();
    expect_rejected(c, "ManualClock");
}

TEST(EngineConfigTest, AdvanceNeedsAManualClock) {
    Engine e(EngineConfig::cooperative());
    EXPECT_THROW(e.advance(Duration{1}), std::logic_error);
}

TEST(EngineConfigTest, ManualClockRefusesToGoBackwards) {
    ManualClock clock;
    clock.set(TimePoint{100});
    EXPECT_THROW(clock.set(TimePoint{50}), std::invalid_argument);
    EXPECT_EQ(clock.now(), TimePoint{100});
}

TEST(EngineConfigTest, EnginesGetDistinctNodeIds) {
    Engine a(EngineConfig::cooperative());
    Engine b(EngineConfig::cooperative());
    EXPECT_NE(a.node(), b.node());
}

TEST(EngineConfigTest, TheDefaultSchedulerIsWhatThisBuildCanRun) {
    EXPECT_EQ(EngineConfig{}.scheduler, default_scheduler_kind());
}
