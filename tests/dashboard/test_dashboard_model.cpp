// The dashboard's view model: a snapshot, then events folded into table, tree, counters, series
// and log; gaps in the sequence shown, not hidden.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "dashboard/model.hpp"
#include "support/dashboard_script.hpp"
#include "support/deterministic_engine.hpp"
#include "support/snapshot_window.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::EventScript;
using actors::testing::pid_of;
using actors::testing::sample_of;
using actors::testing::spawned;
using actors::testing::stats;

namespace {

// root <1.1> with children a <1.2> and b <1.3>; a fails once and restarts; b gets a dead letter,
// turns unhealthy, then fails for good. Two stats samples a second apart.
EventScript lifecycle_script() {
    EventScript s;
    s.at(0ms, spawned(1, "root"));
    s.at(0ms, ActorStarted{pid_of(1)});
    s.at(0ms, spawned(2, "root/a", 1));
    s.at(0ms, ActorStarted{pid_of(2)});
    s.at(0ms, spawned(3, "root/b", 1));
    s.at(0ms, ActorStarted{pid_of(3)});
    s.at(100ms, ActorFailed{pid_of(2), "boom", "Ping"});                                    // 7
    s.at(100ms, ActorRestarted{pid_of(2, 1), 1, 1, 0ms, 0ms, "boom"});                      // 8
    s.at(200ms, DeadLetter{pid_of(3), pid_of(2), "Ping", DeadLetterReason::handler_failed});  // 9
    s.at(200ms, ActorUnhealthy{pid_of(3), HealthSignal::mailbox_lag, 1500ms, "oldest message waiting 1500 ms"});  // 10
    s.at(1100ms, stats(40, {sample_of(2, 3, 30), sample_of(3, 7, 10)}));                   // 11
    s.at(1500ms, ActorStopped{pid_of(3), StopReason::failed, "bad"});                      // 12
    s.at(2100ms, stats(100, {sample_of(2, 1, 90, 1)}));                                    // 13
    return s;
}

std::vector<float> series(const Model& m, Series s) { return m.series().points(s); }

}  // namespace

TEST(DashboardModel, folds_a_scripted_sequence_into_rows_with_state_counters_generation_and_errors) {
    Model m;
    m.fold(lifecycle_script().events());

    const ActorRow* root = m.actors().find(pid_of(1));
    const ActorRow* a = m.actors().find(pid_of(2));
    const ActorRow* b = m.actors().find(pid_of(3));
    ASSERT_NE(root, nullptr);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(m.actors().rows().size(), 3u) << "a restart keeps the row";

    EXPECT_EQ(root->name, "root");
    EXPECT_EQ(root->state, ActorState::running);

    EXPECT_EQ(a->name, "root/a");
    EXPECT_EQ(a->parent, pid_of(1));
    EXPECT_EQ(a->state, ActorState::running);
    EXPECT_EQ(a->generation(), 1u);
    EXPECT_EQ(a->pid, pid_of(2, 1));
    EXPECT_EQ(a->failures, 1u);
    EXPECT_EQ(a->restarts, 1u);
    EXPECT_EQ(a->last_error, "boom");
    EXPECT_EQ(a->mailbox_depth, 1u);
    EXPECT_EQ(a->mailbox_high_water, 3u);
    EXPECT_EQ(a->mailbox_capacity, 1000u);
    EXPECT_EQ(a->counters.processed, 90u);
    EXPECT_DOUBLE_EQ(a->processed_per_second, 60.0);
    EXPECT_EQ(a->last_event_seq, 13u);

    EXPECT_EQ(b->state, ActorState::stopped);
    ASSERT_TRUE(b->stop_reason.has_value());
    EXPECT_EQ(*b->stop_reason, StopReason::failed);
    EXPECT_EQ(b->stop_detail, "bad");
    EXPECT_EQ(b->stopped_at, 1500ms);
    EXPECT_EQ(b->health, 0) << "a stopped actor is no longer counted unhealthy";
    EXPECT_EQ(b->mailbox_depth, 0u);
    EXPECT_EQ(b->mailbox_high_water, 7u);
    EXPECT_EQ(b->counters.processed, 10u);
}

TEST(DashboardModel, folds_a_scripted_sequence_into_a_tree_that_keeps_stopped_children_while_their_row_exists) {
    Model m;
    m.fold(lifecycle_script().events());
    EXPECT_EQ(m.actors().roots(), (std::vector<Pid>{pid_of(1)}));
    const ActorRow* root = m.actors().find(pid_of(1));
    ASSERT_NE(root, nullptr);
    ASSERT_EQ(root->children.size(), 2u);
    EXPECT_TRUE(root->children[0].same_actor(pid_of(2)));
    EXPECT_TRUE(root->children[1].same_actor(pid_of(3)));
    EXPECT_TRUE(m.actors().find(root->children[1])->stopped());
}

TEST(DashboardModel, folds_a_scripted_sequence_into_overview_counters) {
    Model m;
    m.fold(lifecycle_script().events());
    const Overview& o = m.overview();
    EXPECT_EQ(o.live_actors, 2u);
    EXPECT_EQ(o.unhealthy_actors, 0u);
    EXPECT_EQ(o.spawned, 3u);
    EXPECT_EQ(o.stopped, 1u);
    EXPECT_EQ(o.failures, 1u);
    EXPECT_EQ(o.restarts, 1u);
    EXPECT_EQ(o.dead_letters, 1u);
    EXPECT_EQ(o.engine.processed, 100u);
    EXPECT_EQ(o.events_folded, 13u);
    EXPECT_EQ(o.missed_events, 0u);
    EXPECT_EQ(o.last_seq, 13u);
    EXPECT_EQ(o.last_time, 2100ms);
    EXPECT_EQ(m.dead_letters().total(), 1u);
    EXPECT_EQ(m.dead_letters().total(DeadLetterReason::handler_failed), 1u);
}

TEST(DashboardModel, folds_a_scripted_sequence_into_one_point_per_closed_second) {
    Model m;
    m.fold(lifecycle_script().events());
    m.advance_to(3s);  // closes [2s, 3s)
    EXPECT_EQ(series(m, Series::spawns), (std::vector<float>{3, 0, 0}));
    EXPECT_EQ(series(m, Series::restarts), (std::vector<float>{1, 0, 0}));
    EXPECT_EQ(series(m, Series::dead_letters), (std::vector<float>{1, 0, 0}));
    EXPECT_EQ(series(m, Series::stops), (std::vector<float>{0, 1, 0}));
    // Processed deltas between samples: 40 (from 0, the stream began at #1), then 60.
    EXPECT_EQ(series(m, Series::messages), (std::vector<float>{0, 40, 60}));
    // A level: b was unhealthy at the end of the first second, stopped by the end of the second.
    EXPECT_EQ(series(m, Series::unhealthy), (std::vector<float>{1, 0, 0}));
    EXPECT_FLOAT_EQ(m.series().latest(Series::messages), 60);
    EXPECT_FLOAT_EQ(m.series().peak(Series::spawns), 3);
}

TEST(DashboardModel, folds_a_scripted_sequence_into_the_log_in_sequence_order) {
    Model m;
    m.fold(lifecycle_script().events());
    ASSERT_EQ(m.log().size(), 13u);
    for (std::size_t i = 0; i < 13; ++i) EXPECT_EQ(m.log().entry(i).event.seq, i + 1);
    std::vector<std::size_t> rows;
    LogFilter failures;
    failures.kinds = 1u << EventBody(ActorFailed{}).index() | 1u << EventBody(ActorRestarted{}).index();
    m.log().query(failures, rows);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(m.log().entry(rows[0]).event.seq, 7u);
    EXPECT_EQ(m.log().entry(rows[1]).event.seq, 8u);

    LogFilter about_b;
    about_b.actor = 3;
    m.log().query(about_b, rows);
    std::vector<std::uint64_t> seqs;
    for (std::size_t i : rows) seqs.push_back(m.log().entry(i).event.seq);
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{5, 6, 9, 10, 12})) << "spawn, start, dead letter, unhealthy, stop";
}

TEST(DashboardModel, lists_unhealthy_actors_longest_first_with_what_was_measured) {
    EventScript s;
    s.at(0ms, spawned(1, "x"));
    s.at(0ms, spawned(2, "y"));
    s.at(50ms, ActorUnhealthy{pid_of(2), HealthSignal::check_failed, 0ms, "not ready"});
    s.at(100ms, ActorUnhealthy{pid_of(1), HealthSignal::mailbox_lag, 1200ms, "oldest message waiting 1200 ms"});
    s.at(150ms, ActorUnhealthy{pid_of(2), HealthSignal::mailbox_lag, 1100ms, "oldest message waiting 1100 ms"});
    Model m;
    m.fold(s.events());
    auto list = m.unhealthy();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].pid, pid_of(2));
    EXPECT_EQ(list[0].name, "y");
    EXPECT_EQ(list[0].since, 50ms) << "since the first signal, not the latest";
    EXPECT_EQ(list[0].signals, static_cast<std::uint8_t>(HealthSignal::check_failed) | static_cast<std::uint8_t>(HealthSignal::mailbox_lag));
    EXPECT_EQ(list[0].measured, 1100ms);
    EXPECT_EQ(list[0].detail, "oldest message waiting 1100 ms");
    EXPECT_EQ(list[1].pid, pid_of(1));
    EXPECT_EQ(m.overview().unhealthy_actors, 2u);
}

TEST(DashboardModel, clears_health_one_signal_at_a_time) {
    EventScript s;
    s.at(0ms, spawned(1, "x"));
    s.at(10ms, ActorUnhealthy{pid_of(1), HealthSignal::check_failed, 0ms, "no"});
    s.at(20ms, ActorUnhealthy{pid_of(1), HealthSignal::mailbox_lag, 1500ms, "lag"});
    s.at(30ms, ActorHealthy{pid_of(1), HealthSignal::mailbox_lag, 10ms});
    Model m;
    m.fold(s.events());
    EXPECT_EQ(m.actors().find(pid_of(1))->health, static_cast<std::uint8_t>(HealthSignal::check_failed));
    EXPECT_EQ(m.actors().unhealthy(), 1u);
    ASSERT_EQ(m.unhealthy().size(), 1u);

    s.at(40ms, ActorHealthy{pid_of(1), HealthSignal::check_failed, 0ms});
    m.fold(s.events().back());
    EXPECT_EQ(m.actors().find(pid_of(1))->health, 0);
    EXPECT_EQ(m.actors().unhealthy(), 0u);
    EXPECT_TRUE(m.unhealthy().empty());
    EXPECT_EQ(m.overview().unhealthy_actors, 0u);
}

TEST(DashboardModel, drops_the_rate_of_an_actor_the_next_sample_leaves_out) {
    // A sample lists only actors that moved: one left out processed nothing in that interval.
    EventScript s;
    s.at(0ms, spawned(1, "busy"));
    s.at(0ms, spawned(2, "quiet"));
    s.at(250ms, stats(30, {sample_of(1, 0, 20), sample_of(2, 0, 10)}, 250ms));
    s.at(500ms, stats(50, {sample_of(1, 0, 40)}, 250ms));
    Model m;
    m.fold(s.events());
    EXPECT_DOUBLE_EQ(m.actors().find(pid_of(1))->processed_per_second, 80.0);
    EXPECT_DOUBLE_EQ(m.actors().find(pid_of(2))->processed_per_second, 0.0);
    EXPECT_EQ(m.actors().find(pid_of(2))->counters.processed, 10u) << "its last sample still stands";
}

TEST(DashboardModel, shows_a_jump_in_the_sequence_as_a_gap_entry_and_counts_it) {
    EventScript s;
    s.at(0ms, spawned(1, "a"));
    s.at(0ms, ActorStarted{pid_of(1)});
    s.skip(2);  // #3 and #4 never arrive
    s.at(10ms, CustomEvent{pid_of(1), "topic", "data"});  // #5
    Model m;
    m.fold(s.events());
    EXPECT_EQ(m.overview().missed_events, 2u);
    EXPECT_EQ(m.overview().events_folded, 3u);
    ASSERT_EQ(m.log().size(), 4u);
    const LogEntry& gap = m.log().entry(2);
    EXPECT_EQ(kind_of(gap), kGapKind);
    EXPECT_EQ(gap.missed, 2u);
    EXPECT_EQ(gap.event.seq, 3u);
    EXPECT_NE(describe(gap).find("2 events missed (#3..#4)"), std::string::npos) << describe(gap);
    EXPECT_EQ(m.log().entry(3).event.seq, 5u);
    EXPECT_EQ(m.log().count_of(kGapKind), 1u);
}

TEST(DashboardModel, shows_events_missed_as_a_gap_entry_without_counting_the_same_events_twice) {
    Model m;
    EventScript s;
    s.at(0ms, spawned(1, "a"));
    m.fold(s.events());
    // What a lagging subscriber is told (seq 0: outside the sequence), then the next event.
    m.fold(Event{0, 5ms, EventsMissed{2, 4}});
    m.fold(Event{6, 6ms, ActorStarted{pid_of(1)}});
    EXPECT_EQ(m.overview().missed_events, 4u) << "the jump from #1 to #6 is the same gap";
    EXPECT_EQ(m.overview().last_seq, 6u);
    ASSERT_EQ(m.log().size(), 3u);
    EXPECT_EQ(kind_of(m.log().entry(1)), kGapKind);
    EXPECT_EQ(m.log().entry(1).missed, 4u);
    EXPECT_EQ(m.actors().find(pid_of(1))->state, ActorState::running);

    // A range partly folded already counts only its unseen part (#7..#8 here).
    m.fold(Event{0, 7ms, EventsMissed{5, 4}});
    EXPECT_EQ(m.overview().missed_events, 6u);
    EXPECT_EQ(m.log().entry(m.log().size() - 1).missed, 2u);
    EXPECT_EQ(m.log().entry(m.log().size() - 1).event.seq, 7u);
}

TEST(DashboardModel, starts_from_a_snapshot_and_ignores_the_events_it_already_holds) {
    Snapshot snap;
    snap.last_seq = 10;
    snap.time = 5s;
    snap.counters.spawned = 2;
    snap.counters.stopped = 0;
    snap.counters.failures = 3;
    snap.counters.restarts = 2;
    snap.counters.dead_lettered = 4;
    snap.counters.dropped = 1;
    snap.counters.processed = 500;
    // Counted with last_seq: the worker's spawn is #11, after it (see below).
    snap.published.spawned = 1;
    snap.published.failures = 3;
    snap.published.restarts = 2;
    snap.published.dead_letters = 5;
    snap.published.overflows = 1;
    ActorInfo root;
    root.pid = pid_of(1);
    root.name = "root";
    root.state = ActorState::running;
    root.children = {pid_of(2, 2)};
    ActorInfo child;
    child.pid = pid_of(2, 2);
    child.name = "root/worker";
    child.parent = pid_of(1);
    child.state = ActorState::running;
    child.mailbox_depth = 6;
    child.mailbox_capacity = 64;
    child.counters.processed = 500;
    child.restarts = 2;
    child.failures = 3;
    child.health = static_cast<std::uint8_t>(HealthSignal::mailbox_lag);
    child.last_error = "timeout";
    snap.actors = {root, child};

    Model m;
    m.fold(Event{1, 0ms, spawned(99, "from before the load")});
    m.load(snap);
    EXPECT_EQ(m.actors().find(pid_of(99)), nullptr) << "load starts over";
    const ActorRow* w = m.actors().find(pid_of(2));
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->generation(), 2u);
    EXPECT_EQ(w->mailbox_depth, 6u);
    EXPECT_EQ(w->mailbox_high_water, 6u);
    EXPECT_EQ(w->restarts, 2u);
    EXPECT_EQ(w->failures, 3u);
    EXPECT_EQ(w->last_error, "timeout");
    EXPECT_EQ(m.overview().spawned, 1u) << "the published totals: the worker's spawn is #11, after last_seq";
    EXPECT_EQ(m.overview().failures, 3u);
    EXPECT_EQ(m.overview().restarts, 2u);
    EXPECT_EQ(m.overview().dead_letters, 5u) << "dead lettered + dropped (each drop is a dead letter too)";
    EXPECT_EQ(m.overview().engine.processed, 500u);
    EXPECT_EQ(m.overview().live_actors, 2u);
    EXPECT_EQ(m.overview().unhealthy_actors, 1u);
    ASSERT_EQ(m.unhealthy().size(), 1u);
    EXPECT_EQ(m.unhealthy()[0].since, 5s);
    EXPECT_EQ(m.actors().roots(), (std::vector<Pid>{pid_of(1)}));

    // Events up to #10 are in the snapshot; #11 raced it (the snapshot already shows that actor,
    // but its published totals stop at #10, so the spawn counts once, here).
    m.fold(Event{9, 4s, ActorFailed{pid_of(2, 2), "old", ""}});
    m.fold(Event{10, 4s, ActorRestarted{pid_of(2, 2), 1, 2, 0ms, 0ms, "old"}});
    m.fold(Event{11, 5s, ActorSpawned{pid_of(2, 2), pid_of(1), "root/worker", 64}});
    m.fold(Event{12, 5s, spawned(3, "root/other", 1)});
    EXPECT_EQ(m.actors().find(pid_of(2))->failures, 3u);  // rows may have moved: find again
    EXPECT_EQ(m.overview().spawned, 3u) << "root (in the totals), the raced worker, the new actor";
    EXPECT_EQ(m.overview().events_folded, 2u);
    EXPECT_EQ(m.overview().missed_events, 0u);
    const ActorRow* root_row = m.actors().find(pid_of(1));
    ASSERT_EQ(root_row->children.size(), 2u);
    EXPECT_TRUE(root_row->children[1].same_actor(pid_of(3)));
    EXPECT_EQ(m.actors().find(pid_of(2))->state, ActorState::running) << "the duplicate spawn did not reset it";

    // The next sample's message rate is measured from the snapshot's processed count.
    m.fold(Event{13, 5500ms, stats(800, {})});
    m.advance_to(6s);
    EXPECT_EQ(m.series().points(Series::messages), (std::vector<float>{300}));
}

TEST(DashboardModel, shows_a_gap_between_the_snapshot_and_the_first_event_after_it) {
    Snapshot snap;
    snap.last_seq = 10;
    Model m;
    m.load(snap);
    m.fold(Event{15, 1s, spawned(1, "late")});
    EXPECT_EQ(m.overview().missed_events, 4u);
    ASSERT_EQ(m.log().size(), 2u);
    EXPECT_EQ(m.log().entry(0).event.seq, 11u);
    EXPECT_EQ(m.log().entry(0).missed, 4u);
}

TEST(DashboardModel, makes_placeholder_rows_for_live_actors_it_never_saw_spawn_and_ignores_unknown_stops) {
    // As after a late start or a gap: events about actors the model has no row for.
    EventScript s;
    s.at(0ms, ActorFailed{pid_of(7, 1), "boom", "Ping"});            // a placeholder, suspended
    s.at(0ms, stats(10, {sample_of(8, 2, 10)}));                      // a placeholder, running
    s.at(0ms, ActorStopped{pid_of(9), StopReason::requested, ""});    // nothing to show
    s.at(0ms, ActorHealthy{pid_of(10), HealthSignal::mailbox_lag, 0ms});  // nothing to show
    Model m;
    m.fold(s.events());
    EXPECT_EQ(m.actors().rows().size(), 2u);
    const ActorRow* seven = m.actors().find(pid_of(7));
    ASSERT_NE(seven, nullptr);
    EXPECT_TRUE(seven->placeholder);
    EXPECT_EQ(seven->name, "?");
    EXPECT_EQ(seven->state, ActorState::suspended);
    EXPECT_EQ(seven->generation(), 1u);
    EXPECT_EQ(seven->failures, 1u);
    const ActorRow* eight = m.actors().find(pid_of(8));
    ASSERT_NE(eight, nullptr);
    EXPECT_EQ(eight->state, ActorState::running);
    EXPECT_EQ(eight->counters.processed, 10u);
    EXPECT_DOUBLE_EQ(eight->processed_per_second, 0.0) << "no earlier counters to measure from";
    EXPECT_EQ(m.actors().find(pid_of(9)), nullptr);
    EXPECT_EQ(m.actors().find(pid_of(10)), nullptr);
    EXPECT_EQ(m.overview().stopped, 1u) << "the stop still counts";
    EXPECT_EQ(m.overview().live_actors, 2u);

    // Its spawn arriving late fills the placeholder in.
    m.fold(Event{5, 1ms, ActorSpawned{pid_of(7), pid_of(8), "eight/seven", 16}});
    seven = m.actors().find(pid_of(7));
    EXPECT_FALSE(seven->placeholder);
    EXPECT_EQ(seven->name, "eight/seven");
    EXPECT_EQ(seven->generation(), 1u) << "the older generation in the spawn does not go back";
    EXPECT_EQ(seven->state, ActorState::suspended);
    EXPECT_EQ(m.actors().find(pid_of(8))->children, (std::vector<Pid>{pid_of(7, 1)}));
    EXPECT_EQ(m.actors().roots(), (std::vector<Pid>{pid_of(8)}));
}

TEST(DashboardModel, evicts_the_oldest_stopped_rows_beyond_the_limit) {
    ModelOptions o;
    o.stopped_rows_kept = 2;
    Model m(o);
    EventScript s;
    s.at(0ms, spawned(1, "root"));
    for (std::uint64_t id = 2; id <= 6; ++id) s.at(0ms, spawned(id, "root/child", 1));
    for (std::uint64_t id = 2; id <= 5; ++id) s.at(1ms, ActorStopped{pid_of(id), StopReason::requested, ""});
    m.fold(s.events());
    EXPECT_EQ(m.actors().find(pid_of(2)), nullptr);
    EXPECT_EQ(m.actors().find(pid_of(3)), nullptr);
    ASSERT_NE(m.actors().find(pid_of(4)), nullptr);
    ASSERT_NE(m.actors().find(pid_of(5)), nullptr);
    EXPECT_TRUE(m.actors().find(pid_of(4))->stopped());
    EXPECT_EQ(m.actors().rows().size(), 4u);
    EXPECT_EQ(m.actors().find(pid_of(1))->children, (std::vector<Pid>{pid_of(4), pid_of(5), pid_of(6)}));
    EXPECT_EQ(m.actors().live(), 2u);
    EXPECT_EQ(m.overview().stopped, 4u);
}

TEST(DashboardModel, makes_children_of_an_evicted_parent_roots) {
    ModelOptions o;
    o.stopped_rows_kept = 0;
    Model m(o);
    EventScript s;
    s.at(0ms, spawned(1, "parent"));
    s.at(0ms, spawned(2, "parent/child", 1));
    s.at(1ms, ActorStopped{pid_of(1), StopReason::requested, ""});
    m.fold(s.events());
    EXPECT_EQ(m.actors().find(pid_of(1)), nullptr);
    EXPECT_EQ(m.actors().roots(), (std::vector<Pid>{pid_of(2)}));
}

TEST(DashboardModel, keeps_the_log_bounded) {
    ModelOptions o;
    o.event_log_capacity = 4;
    Model m(o);
    EventScript s;
    for (int i = 0; i < 10; ++i) s.at(0ms, CustomEvent{pid_of(1), "t", std::to_string(i)});
    m.fold(s.events());
    EXPECT_EQ(m.log().size(), 4u);
    EXPECT_EQ(m.log().capacity(), 4u);
    EXPECT_EQ(m.log().appended(), 10u);
    EXPECT_EQ(m.log().entry(0).event.seq, 7u);
    EXPECT_EQ(m.log().entry(3).event.seq, 10u);
}

TEST(DashboardModel, lets_rates_fall_to_zero_when_time_passes_without_events) {
    Model m;
    EventScript s;
    s.at(0ms, spawned(1, "a"));
    s.at(0ms, spawned(2, "b"));
    m.fold(s.events());
    m.advance_to(4s);
    EXPECT_EQ(m.series().points(Series::spawns), (std::vector<float>{2, 0, 0, 0}));
    EXPECT_FLOAT_EQ(m.series().latest(Series::spawns), 0);
}

TEST(DashboardModel, refuses_options_that_can_not_work_naming_the_field) {
    ModelOptions o;
    o.event_log_capacity = 0;
    try {
        Model m(o);
        FAIL() << "expected invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("event_log_capacity"), std::string::npos) << e.what();
    }
    o = {};
    o.bucket = 0ms;
    EXPECT_THROW(o.validate(), std::invalid_argument);
    o = {};
    o.series_points = 0;
    EXPECT_THROW(o.validate(), std::invalid_argument);
    o = {};
    o.dead_letter_capacity = 0;
    EXPECT_THROW(o.validate(), std::invalid_argument);
}

TEST(DashboardModel, clear_forgets_everything) {
    Model m;
    m.fold(lifecycle_script().events());
    m.clear();
    EXPECT_TRUE(m.actors().rows().empty());
    EXPECT_EQ(m.log().size(), 0u);
    EXPECT_EQ(m.dead_letters().total(), 0u);
    EXPECT_EQ(m.overview().events_folded, 0u);
    m.fold(lifecycle_script().events());
    EXPECT_EQ(m.overview().events_folded, 13u) << "the same sequence folds again after clear";
}

// A failure that raced the snapshot: its counters and the actor's info already show it, but it
// comes after last_seq. The totals start from the published counts and the row takes the
// event's total_failures, so it counts once.
TEST(DashboardModel, counts_a_failure_that_raced_the_snapshot_once) {
    Snapshot snap;
    snap.last_seq = 10;
    snap.counters.failures = 1;  // read after last_seq
    snap.published.spawned = 1;
    ActorInfo a;
    a.pid = pid_of(1);
    a.name = "flaky";
    a.state = ActorState::suspended;
    a.failures = 1;
    a.last_error = "boom";
    snap.actors = {a};
    Model m;
    m.load(snap);
    m.fold(Event{11, 1s, ActorFailed{pid_of(1), "boom", "Ping", 1}});
    EXPECT_EQ(m.overview().failures, 1u);
    EXPECT_EQ(m.actors().find(pid_of(1))->failures, 1u);
    m.fold(Event{12, 2s, ActorFailed{pid_of(1), "again", "Ping", 2}});
    EXPECT_EQ(m.overview().failures, 2u);
    EXPECT_EQ(m.actors().find(pid_of(1))->failures, 2u);
    m.fold(Event{13, 3s, ActorFailed{pid_of(1), "unnumbered", "Ping"}});  // total 0: not known, add one
    EXPECT_EQ(m.actors().find(pid_of(1))->failures, 3u);
}

// The same against a real engine: a failure (with its restart and a spawn) published while the
// snapshot is taken, reproduced with the engine's clock (support/snapshot_window.hpp).
TEST(DashboardModel, a_model_loaded_from_a_snapshot_taken_during_a_failure_counts_it_once) {
    actors::testing::SnapshotWindow w;
    const Snapshot snap = w.snapshot_with_a_failure_inside();
    Model m;
    m.load(snap);
    m.fold(w.engine.events().read_since(snap.last_seq).events);
    const EngineCounters now = w.engine.counters();
    ASSERT_EQ(now.failures, 1u);
    EXPECT_EQ(m.overview().failures, now.failures);
    EXPECT_EQ(m.overview().restarts, now.restarts);
    EXPECT_EQ(m.overview().spawned, now.spawned);
    EXPECT_EQ(m.overview().dead_letters, now.dead_lettered + now.dropped);
    const ActorRow* row = m.actors().find(w.flaky);
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->failures, 1u);
    EXPECT_EQ(row->restarts, 1u);
    EXPECT_EQ(m.overview().live_actors, 2u);
}

// End to end: a real engine on virtual time, its event stream folded, the table compared with
// the engine's own snapshot.
TEST(DashboardModel, matches_the_engine_snapshot_after_folding_its_event_stream) {
    actors::testing::TestEngine t([](EngineConfig& c) {
        c.stats.enabled = true;
        c.stats.interval = 100ms;
    });
    Engine& engine = t.engine;
    Pid sink = engine.spawn_fn("sink", [](Context&, Message&) {});
    Pid flaky = engine.spawn_fn("flaky", [](Context&, Message& m) {
        if (const int* v = m.as<int>(); v && *v < 0) throw std::runtime_error("negative");
    });
    Pid parent = engine.spawn_fn("parent", [](Context& ctx, Message& m) {
        if (m.as<int>()) ctx.spawn_fn("worker", [](Context&, Message&) {});
    });
    Pid doomed = engine.spawn_fn("doomed", [](Context&, Message&) {});
    t.run();
    engine.send(parent, 1);
    engine.send(parent, 2);
    for (int i = 0; i < 10; ++i) engine.send(sink, i);
    engine.send(flaky, 1);
    engine.send(flaky, -1);
    engine.send(flaky, 2);
    engine.stop(doomed);
    t.run();
    engine.send(doomed, 42);  // a dead letter: it has stopped
    t.advance(100ms);         // a sample
    // A backlog the next sample sees before the sink gets a turn.
    for (int i = 0; i < 5; ++i) engine.send(sink, i);
    t.clock->advance(100ms);
    t.run();
    t.advance(100ms);  // a sample after everything settled
    t.expect_conserved();

    Model m;
    const EventBatch batch = engine.events().read_since(0);
    ASSERT_EQ(batch.missed, 0u);
    m.fold(batch.events);
    const Snapshot snap = engine.snapshot();

    EXPECT_EQ(m.overview().missed_events, 0u);
    EXPECT_EQ(m.overview().live_actors, snap.actors.size());
    EXPECT_EQ(m.overview().engine.processed, snap.counters.processed);
    EXPECT_GE(m.dead_letters().total(DeadLetterReason::actor_stopped), 1u);
    ASSERT_NE(m.dead_letters().target(doomed), nullptr);
    EXPECT_GE(m.actors().find(flaky)->restarts, 1u);
    EXPECT_EQ(m.actors().find(sink)->mailbox_high_water, 5u);
    ASSERT_TRUE(m.actors().find(doomed)->stopped());
    for (const ActorInfo& info : snap.actors) {
        SCOPED_TRACE(info.name);
        const ActorRow* row = m.actors().find(info.pid);
        ASSERT_NE(row, nullptr);
        EXPECT_FALSE(row->placeholder);
        EXPECT_EQ(row->pid, info.pid) << "generation";
        EXPECT_EQ(row->name, info.name);
        EXPECT_EQ(row->parent, info.parent);
        EXPECT_EQ(row->state, info.state);
        EXPECT_EQ(row->mailbox_depth, info.mailbox_depth);
        EXPECT_EQ(row->counters.processed, info.counters.processed);
        EXPECT_EQ(row->counters.received, info.counters.received);
        EXPECT_EQ(row->restarts, info.restarts);
        EXPECT_EQ(row->failures, info.failures);
        EXPECT_EQ(row->health, info.health);
        EXPECT_EQ(row->last_error, info.last_error);
        std::vector<Pid> live_children;
        for (const Pid& c : row->children)
            if (const ActorRow* r = m.actors().find(c); r && !r->stopped()) live_children.push_back(r->pid);
        EXPECT_EQ(live_children, info.children);
    }

    // A second model started from the snapshot and the same stream agrees with the first.
    Model late;
    late.load(snap);
    late.fold(engine.events().read_since(snap.last_seq).events);
    EXPECT_EQ(late.actors().live(), m.actors().live());
    EXPECT_EQ(late.overview().missed_events, 0u);
    EXPECT_EQ(late.overview().events_folded, 0u);
}
