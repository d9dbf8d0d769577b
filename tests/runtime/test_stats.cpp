// Stats sampling: the periodic StatsSampled event that gives observers rates and mailbox depths.
#include <stdexcept>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::ConfiguredEngine;

namespace {
void stats_every(EngineConfig& c, Duration interval) {
    c.stats.enabled = true;
    c.stats.interval = interval;
}

const ActorSample* find(const StatsSampled& s, Pid pid) {
    for (const ActorSample& a : s.actors)
        if (a.pid.same_actor(pid)) return &a;
    return nullptr;
}
}  // namespace

TEST(Stats, are_off_by_default_so_no_sample_is_published) {
    ConfiguredEngine t;
    t.engine.spawn_fn("a", [](Context&, Message&) {});
    t.advance(5s);
    EXPECT_EQ(t.sink.count<StatsSampled>(), 0u);
}

TEST(Stats, publish_one_sample_per_interval_with_the_engine_counters) {
    ConfiguredEngine t([](EngineConfig& c) { stats_every(c, 100ms); });
    Pid a = t.engine.spawn_fn("a", [](Context&, Message&) {});
    for (int i = 0; i < 7; ++i) t.engine.send(a, i);
    t.advance(1s);
    auto samples = t.sink.of<StatsSampled>();
    ASSERT_EQ(samples.size(), 10u);
    EXPECT_EQ(samples.back().interval, 100ms);
    EXPECT_EQ(samples.back().counters.sent, 7u);
    EXPECT_EQ(samples.back().counters.processed, 7u);
    EXPECT_EQ(samples.back().counters.live_actors, 1u);
}

TEST(Stats, list_only_the_actors_that_moved_since_the_previous_sample) {
    ConfiguredEngine t([](EngineConfig& c) { stats_every(c, 100ms); });
    Pid busy = t.engine.spawn_fn("busy", [](Context&, Message&) {});
    Pid idle = t.engine.spawn_fn("idle", [](Context&, Message&) {});
    t.advance(100ms);  // first sample: both are new
    auto first = t.sink.of<StatsSampled>();
    ASSERT_EQ(first.size(), 1u);
    EXPECT_NE(find(first[0], busy), nullptr);
    EXPECT_NE(find(first[0], idle), nullptr);

    t.engine.send(busy, 1);
    t.engine.send(busy, 2);
    t.advance(100ms);
    auto second = t.sink.of<StatsSampled>().back();
    const ActorSample* b = find(second, busy);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->counters.processed, 2u);
    EXPECT_EQ(b->counters.received, 2u);
    EXPECT_EQ(find(second, idle), nullptr) << "an idle actor must not be re-listed";
}

TEST(Stats, show_the_mailbox_depth_of_a_backed_up_actor) {
    ConfiguredEngine t([](EngineConfig& c) { stats_every(c, 100ms); });
    // The backlog is built between samples: messages are queued, then time reaches the sample
    // before the actor gets a turn.
    Pid a = t.engine.spawn_fn("a", [](Context&, Message&) {});
    t.run();
    for (int i = 0; i < 5; ++i) t.engine.send(a, i);
    t.clock->advance(100ms);  // time moves, nothing runs yet
    t.engine.run_until_idle();
    auto samples = t.sink.of<StatsSampled>();
    ASSERT_FALSE(samples.empty());
    // Timers fire before queued actors on a turn, so the sample saw the five waiting.
    const ActorSample* s = find(samples.front(), a);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->mailbox_depth, 5u);
}

TEST(Stats, stop_with_the_engine) {
    ConfiguredEngine t([](EngineConfig& c) { stats_every(c, 100ms); });
    t.advance(300ms);
    const auto before = t.sink.count<StatsSampled>();
    t.engine.shutdown();
    t.advance(1s);
    EXPECT_EQ(t.sink.count<StatsSampled>(), before);
}

TEST(Stats, refuse_a_non_positive_interval_with_a_message_that_says_what_to_do) {
    EngineConfig c = EngineConfig::cooperative();
    c.stats.enabled = true;
    c.stats.interval = 0ms;
    try {
        c.validate();
        FAIL() << "expected invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("interval must be positive"), std::string::npos) << e.what();
    }
}

TEST(Stats, describe_a_sample_in_one_line) {
    ConfiguredEngine t([](EngineConfig& c) { stats_every(c, 100ms); });
    t.engine.spawn_fn("a", [](Context&, Message&) {});
    t.advance(100ms);
    for (const Event& e : t.sink.events())
        if (e.is<StatsSampled>()) {
            EXPECT_NE(describe(e).find("stats live=1"), std::string::npos) << describe(e);
            return;
        }
    FAIL() << "no sample";
}
