// The actor table on its own: filter and sort for the panel, ties broken by pid.
#include <gtest/gtest.h>

#include "dashboard/actor_table.hpp"
#include "support/dashboard_script.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::pid_of;
using actors::testing::sample_of;
using actors::testing::spawned;

namespace {
// id:         1        2         3        4         5
// name:       "db"     "web/1"   "web/2"  "cache"   "web/3"
// processed:  50       10        30       10        0        (rates 50, 10, 30, 10, 0 over 1 s)
// failures:   0        1         0        0         2
// health:     -        lag       -        -         -
// state:      running  running   stopped  running   suspended
ActorTable five() {
    ActorTable t;
    const char* names[] = {"db", "web/1", "web/2", "cache", "web/3"};
    const std::uint64_t processed[] = {50, 10, 30, 10, 0};
    std::uint64_t seq = 0;
    for (std::uint64_t id = 1; id <= 5; ++id) {
        t.on_spawned(spawned(id, names[id - 1]), 0ms, ++seq);
        t.on_started(ActorStarted{pid_of(id)}, ++seq);
    }
    const std::uint64_t sample_seq = ++seq;
    for (std::uint64_t id = 1; id <= 5; ++id) t.on_sample(sample_of(id, id, processed[id - 1]), 1s, sample_seq);
    t.end_sample(sample_seq);
    t.on_failed(ActorFailed{pid_of(2), "x", ""}, ++seq);
    t.on_resumed(ActorResumed{pid_of(2), "x"}, ++seq);
    t.on_health(pid_of(2), HealthSignal::mailbox_lag, true, ++seq);
    t.on_failed(ActorFailed{pid_of(5), "y", ""}, ++seq);
    t.on_failed(ActorFailed{pid_of(5), "z", ""}, ++seq);
    t.on_stopped(ActorStopped{pid_of(3), StopReason::requested, ""}, 1s, ++seq);
    return t;
}

std::vector<std::uint64_t> ids(const ActorTable& t, const ActorQuery& q) {
    std::vector<std::size_t> rows;
    t.query(q, rows);
    std::vector<std::uint64_t> out;
    for (std::size_t i : rows) out.push_back(t.rows()[i].pid.id);
    return out;
}

ActorQuery sorted_by(ActorColumn c, bool descending = false) {
    ActorQuery q;
    q.sort = c;
    q.descending = descending;
    return q;
}
}  // namespace

TEST(DashboardActorTable, sorts_by_any_column_with_ties_in_pid_order) {
    ActorTable t = five();
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::pid)), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::pid, true)), (std::vector<std::uint64_t>{5, 4, 3, 2, 1}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::name)), (std::vector<std::uint64_t>{4, 1, 2, 3, 5}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::processed)), (std::vector<std::uint64_t>{5, 2, 4, 3, 1}));
    // Descending flips the column, not the tie-break: equal rows stay in pid order.
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::processed, true)), (std::vector<std::uint64_t>{1, 3, 2, 4, 5}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::rate, true)), (std::vector<std::uint64_t>{1, 2, 4, 3, 5}))
        << "a stopped actor's rate is 0";
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::failures, true)), (std::vector<std::uint64_t>{5, 2, 1, 3, 4}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::health, true)), (std::vector<std::uint64_t>{2, 1, 3, 4, 5}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::high_water, true)), (std::vector<std::uint64_t>{5, 4, 3, 2, 1}));
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::state)), (std::vector<std::uint64_t>{1, 2, 4, 5, 3}));
    // 1 and 4 were last touched by the same sample: a tie, so pid order.
    EXPECT_EQ(ids(t, sorted_by(ActorColumn::recent, true)), (std::vector<std::uint64_t>{3, 5, 2, 1, 4}));
}

TEST(DashboardActorTable, filters_by_text_state_health_and_failures) {
    ActorTable t = five();
    ActorQuery q;
    q.text = "WEB";
    EXPECT_EQ(ids(t, q), (std::vector<std::uint64_t>{2, 3, 5}));
    q.include_stopped = false;
    EXPECT_EQ(ids(t, q), (std::vector<std::uint64_t>{2, 5}));
    q = {};
    q.text = "<1.4.";  // the printed pid
    EXPECT_EQ(ids(t, q), (std::vector<std::uint64_t>{4}));
    q = {};
    q.only_unhealthy = true;
    EXPECT_EQ(ids(t, q), (std::vector<std::uint64_t>{2}));
    q = {};
    q.only_failing = true;
    EXPECT_EQ(ids(t, q), (std::vector<std::uint64_t>{2, 5}));
}

TEST(DashboardActorTable, keeps_live_and_unhealthy_counts_through_every_transition) {
    ActorTable t = five();
    EXPECT_EQ(t.live(), 4u);
    EXPECT_EQ(t.unhealthy(), 1u);
    EXPECT_EQ(t.find(pid_of(5))->state, ActorState::suspended);
    t.on_health(pid_of(2), HealthSignal::mailbox_lag, true, 100);  // raised twice: still one
    EXPECT_EQ(t.unhealthy(), 1u);
    t.on_stopped(ActorStopped{pid_of(2), StopReason::failed, "x"}, 2s, 101);
    EXPECT_EQ(t.unhealthy(), 0u);
    EXPECT_EQ(t.live(), 3u);
    t.on_stopped(ActorStopped{pid_of(2), StopReason::failed, "x"}, 2s, 102);  // told twice
    EXPECT_EQ(t.live(), 3u);
    t.on_started(ActorStarted{pid_of(2)}, 103);
    EXPECT_TRUE(t.find(pid_of(2))->stopped()) << "nothing brings a stopped actor back";
    t.clear();
    EXPECT_EQ(t.live(), 0u);
    EXPECT_TRUE(t.rows().empty());
}

TEST(DashboardActorTable, finds_a_row_by_any_generation_and_follows_the_newest) {
    ActorTable t;
    t.on_spawned(spawned(1, "w"), 0ms, 1);
    t.on_restarted(ActorRestarted{pid_of(1, 1), 1, 1, 0ms, 0ms, "a"}, 2);
    // A restart whose new instance failed to start reports a failure with the next generation.
    t.on_failed(ActorFailed{pid_of(1, 2), "again", ""}, 3);
    t.on_restarted(ActorRestarted{pid_of(1, 3), 2, 3, 0ms, 0ms, "again"}, 4);
    ASSERT_NE(t.find(pid_of(1, 0)), nullptr);
    EXPECT_EQ(t.find(pid_of(1, 0)), t.find(pid_of(1, 7)));
    EXPECT_EQ(t.find(pid_of(1))->generation(), 3u);
    EXPECT_EQ(t.find(pid_of(1))->restarts, 3u) << "the engine's total, which counts the one without an event";
    EXPECT_EQ(t.rows().size(), 1u);
}

TEST(DashboardActorTable, loads_a_stopped_actor_as_a_stopped_row_subject_to_eviction) {
    ActorInfo info;
    info.pid = pid_of(1);
    info.name = "gone";
    info.state = ActorState::stopped;
    info.health = static_cast<std::uint8_t>(HealthSignal::check_failed);
    ActorTable keep(5);
    keep.load(info, 1s);
    ASSERT_NE(keep.find(pid_of(1)), nullptr);
    EXPECT_TRUE(keep.find(pid_of(1))->stopped());
    EXPECT_EQ(keep.find(pid_of(1))->stopped_at, 1s);
    EXPECT_EQ(keep.live(), 0u);
    EXPECT_EQ(keep.unhealthy(), 0u);
    ActorTable keep_none(0);
    keep_none.load(info, 1s);
    EXPECT_EQ(keep_none.find(pid_of(1)), nullptr);
    EXPECT_TRUE(keep_none.rows().empty());
}
