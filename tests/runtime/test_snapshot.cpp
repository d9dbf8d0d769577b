// The engine snapshot and the event stream agree: an event published while the snapshot is taken
// is either counted in its published totals or comes after its last_seq, never both, so an
// observer that loads the snapshot and folds from last_seq counts it once.
#include <gtest/gtest.h>

#include "actors/actors.hpp"
#include "support/snapshot_window.hpp"

using namespace actors;
using actors::testing::SnapshotWindow;

namespace {
template <class T>
std::vector<T> after(Engine& engine, std::uint64_t seq) {
    std::vector<T> out;
    for (const Event& e : engine.events().read_since(seq).events)
        if (const T* x = e.as<T>()) out.push_back(*x);
    return out;
}
}  // namespace

// Regression: snapshot() read last_seq before the actors and the counters, so an ActorFailed
// published in between was both in snap.counters.failures and after snap.last_seq.
TEST(Snapshot, an_event_published_while_it_is_taken_is_counted_once_by_totals_plus_later_events) {
    SnapshotWindow w;
    const Snapshot snap = w.snapshot_with_a_failure_inside();
    const EngineCounters now = w.engine.counters();
    ASSERT_EQ(now.failures, 1u);
    ASSERT_EQ(now.restarts, 1u);
    EXPECT_EQ(snap.counters.failures, 1u) << "the counters are read after last_seq: they show the failure";
    EXPECT_EQ(snap.published.failures + after<ActorFailed>(w.engine, snap.last_seq).size(), now.failures);
    EXPECT_EQ(snap.published.restarts + after<ActorRestarted>(w.engine, snap.last_seq).size(), now.restarts);
    EXPECT_EQ(snap.published.spawned + after<ActorSpawned>(w.engine, snap.last_seq).size(), now.spawned);
    EXPECT_EQ(snap.published.stopped + after<ActorStopped>(w.engine, snap.last_seq).size(), now.stopped);

    // The actor's info already shows the failure; the event after last_seq says which one it was.
    const auto failed = after<ActorFailed>(w.engine, snap.last_seq);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].total_failures, 1u);
    for (const ActorInfo& a : snap.actors)
        if (a.pid.same_actor(w.flaky)) {
            EXPECT_EQ(a.failures, failed[0].total_failures);
        }
}

TEST(Snapshot, published_totals_count_each_kind_up_to_last_seq) {
    SnapshotWindow w;
    w.engine.run_until_idle();
    w.engine.send(w.flaky, -1);
    w.engine.send(Pid{w.flaky.node, 999, 0}, 1);  // a dead letter: no such actor
    w.engine.run_until_idle();
    const Snapshot snap = w.engine.snapshot();
    EXPECT_EQ(snap.last_seq, w.engine.events().last_seq());
    EXPECT_EQ(snap.published.spawned, 1u);
    EXPECT_EQ(snap.published.failures, 1u);
    EXPECT_EQ(snap.published.restarts, 1u);
    EXPECT_EQ(snap.published.dead_letters, 2u) << "the message whose handler threw, and the one to no actor";
    EXPECT_EQ(snap.published.stopped, 0u);
    EXPECT_EQ(snap.published.overflows, 0u);
}
