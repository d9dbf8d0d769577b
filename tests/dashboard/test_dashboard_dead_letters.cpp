// Dead letters: recent ones newest first, totals per target and reason that outlive the ring.
#include <gtest/gtest.h>

#include "dashboard/dead_letters.hpp"
#include "support/dashboard_script.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::pid_of;

namespace {
DeadLetter to(std::uint64_t target, const char* type, DeadLetterReason r) { return DeadLetter{pid_of(target), pid_of(99), type, r}; }
}  // namespace

TEST(DashboardDeadLetters, lists_recent_letters_newest_first_within_capacity) {
    DeadLetters d(3);
    for (std::uint64_t s = 1; s <= 5; ++s) d.add(s, std::chrono::milliseconds(s), to(s, "Ping", DeadLetterReason::actor_stopped));
    auto recent = d.recent();
    ASSERT_EQ(recent.size(), 3u);
    EXPECT_EQ(recent[0]->seq, 5u);
    EXPECT_EQ(recent[1]->seq, 4u);
    EXPECT_EQ(recent[2]->seq, 3u);
    EXPECT_EQ(recent[0]->letter.sender, pid_of(99));
    EXPECT_EQ(d.total(), 5u);
}

TEST(DashboardDeadLetters, counts_per_target_and_reason_after_the_letters_scrolled_away) {
    DeadLetters d(2);
    d.add(1, 1ms, to(7, "Ping", DeadLetterReason::actor_stopped));
    d.add(2, 2ms, to(7, "Pong", DeadLetterReason::mailbox_full));
    d.add(3, 3ms, to(8, "Ping", DeadLetterReason::no_such_actor));
    d.add(4, 4ms, to(7, "Query", DeadLetterReason::mailbox_full));
    d.add(5, 5ms, to(9, "Ping", DeadLetterReason::handler_failed));
    d.add(6, 6ms, to(9, "Ping", DeadLetterReason::handler_failed));
    const DeadLetterTarget* seven = d.target(pid_of(7, 3));  // any generation
    ASSERT_NE(seven, nullptr);
    EXPECT_EQ(seven->count, 3u);
    EXPECT_EQ(seven->by_reason[static_cast<std::size_t>(DeadLetterReason::mailbox_full)], 2u);
    EXPECT_EQ(seven->by_reason[static_cast<std::size_t>(DeadLetterReason::actor_stopped)], 1u);
    EXPECT_EQ(seven->last_message_type, "Query");
    EXPECT_EQ(seven->last_time, 4ms);
    EXPECT_EQ(d.total(DeadLetterReason::mailbox_full), 2u);
    EXPECT_EQ(d.total(DeadLetterReason::handler_failed), 2u);
    EXPECT_EQ(d.total(DeadLetterReason::engine_stopped), 0u);
    EXPECT_EQ(d.target(pid_of(10)), nullptr);

    auto top = d.top_targets(2);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(top[0].target, pid_of(7));
    EXPECT_EQ(top[1].target, pid_of(9));
    EXPECT_EQ(d.top_targets(10).size(), 3u);
    d.clear();
    EXPECT_EQ(d.total(), 0u);
    EXPECT_TRUE(d.recent().empty());
    EXPECT_TRUE(d.top_targets(10).empty());
}

TEST(DashboardDeadLetters, bounds_the_targets_it_remembers_keeping_the_heavy_ones) {
    DeadLetters d(1);
    for (int i = 0; i < 100; ++i) d.add(0, 0ms, to(1, "Ping", DeadLetterReason::actor_stopped));
    // Letters to ever new pids: far more distinct targets than the bound.
    for (std::uint64_t id = 1000; id < 1000 + 20000; ++id) d.add(0, 0ms, to(id, "Ping", DeadLetterReason::no_such_actor));
    EXPECT_EQ(d.total(), 20100u) << "forgotten targets still count in the totals";
    ASSERT_NE(d.target(pid_of(1)), nullptr);
    EXPECT_EQ(d.target(pid_of(1))->count, 100u);
    EXPECT_LE(d.top_targets(100000).size(), 4096u);
}
