// The dashboard model's links table: loaded from the snapshot's links, moved by NodeConnected /
// NodeDisconnected / NodeDown / LinkReplayed, with counters from the stats samples.
#include <gtest/gtest.h>

#include "dashboard/model.hpp"
#include "support/dashboard_script.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::EventScript;

namespace {
LinkStats link(const std::string& node, bool connected, std::uint64_t sent, std::uint64_t acked) {
    LinkStats l;
    l.node = node;
    l.incarnation = 7;
    l.connected = connected;
    l.sent = sent;
    l.acknowledged = acked;
    l.in_flight = sent - acked;
    return l;
}
}  // namespace

TEST(DashboardLinks, EventsMoveEachLinkThroughItsStatesWithTheReason) {
    EventScript s;
    s.at(0ms, NodeConnected{"beta", 11, 4, false});
    s.at(0ms, NodeConnected{"alpha", 12, 5, false});
    s.at(100ms, NodeDisconnected{"beta", "connection reset"});
    s.at(200ms, NodeConnected{"beta", 11, 4, false});
    s.at(210ms, LinkReplayed{"beta", 40});
    s.at(300ms, NodeDisconnected{"alpha", "eof"});
    s.at(3300ms, NodeDown{"alpha", "no connection for the heartbeat grace period"});
    s.at(4s, NodeDisconnected{"alpha", "refused"});  // still down: part of the same outage
    s.at(5s, NodeConnected{"alpha", 99, 6, true});
    Model m;
    m.fold(s.events());

    const auto& rows = m.links().rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].node, "alpha");  // sorted by name
    const LinkRow* beta = m.links().find("beta");
    ASSERT_NE(beta, nullptr);
    EXPECT_EQ(beta->state, LinkState::connected);
    EXPECT_EQ(beta->connects, 2u);
    EXPECT_EQ(beta->replay_events, 1u);
    EXPECT_EQ(beta->replayed, 40u);
    EXPECT_EQ(beta->alias, 4u);
    const LinkRow* alpha = m.links().find("alpha");
    ASSERT_NE(alpha, nullptr);
    EXPECT_EQ(alpha->state, LinkState::connected);
    EXPECT_EQ(alpha->restarts, 1u);
    EXPECT_EQ(alpha->stats.incarnation, 99u);
    EXPECT_EQ(alpha->alias, 6u);
    EXPECT_EQ(m.overview().links_connected, 2u);
    EXPECT_EQ(m.overview().links_down, 1u);
}

TEST(DashboardLinks, ADownLinkStaysDownThroughLaterDisconnects) {
    EventScript s;
    s.at(0ms, NodeConnected{"beta", 11, 4, false});
    s.at(1s, NodeDown{"beta", "6 heartbeats missed"});
    s.at(2s, NodeDisconnected{"beta", "connection refused"});
    Model m;
    m.fold(s.events());
    const LinkRow* beta = m.links().find("beta");
    ASSERT_NE(beta, nullptr);
    EXPECT_EQ(beta->state, LinkState::down);
    EXPECT_EQ(beta->reason, "connection refused");
    EXPECT_EQ(m.overview().links_connected, 0u);
}

TEST(DashboardLinks, TheSnapshotLoadsLinksAndSamplesUpdateTheirCounters) {
    Snapshot snap;
    snap.last_seq = 10;
    snap.time = TimePoint{1s};
    snap.links = {link("beta", true, 100, 90), link("gamma", false, 5, 0)};
    snap.links[1].down = true;
    Model m;
    m.load(snap);
    ASSERT_EQ(m.links().rows().size(), 2u);
    EXPECT_EQ(m.links().find("beta")->state, LinkState::connected);
    EXPECT_EQ(m.links().find("gamma")->state, LinkState::down);
    EXPECT_EQ(m.overview().links_connected, 1u);

    EventScript s;
    s.skip(10);  // after the snapshot
    StatsSampled sample;
    sample.interval = 250ms;
    sample.links = {link("beta", true, 500, 480), link("delta", true, 1, 1)};
    s.at(2s, sample);
    s.at(2100ms, NodeDisconnected{"beta", "eof"});
    StatsSampled later;
    later.links = {link("beta", true, 510, 510)};  // taken just before the disconnect was published
    s.at(2200ms, later);
    m.fold(s.events());
    const LinkRow* beta = m.links().find("beta");
    EXPECT_EQ(beta->stats.sent, 510u);
    EXPECT_EQ(beta->stats.acknowledged, 510u);
    EXPECT_EQ(beta->state, LinkState::disconnected);  // the event, not the older sample
    EXPECT_FALSE(beta->stats.connected);
    ASSERT_NE(m.links().find("delta"), nullptr);      // a link first seen in a sample
    EXPECT_EQ(m.links().find("delta")->state, LinkState::connected);
    EXPECT_EQ(m.links().find("gamma")->state, LinkState::down);  // not in the sample: unchanged
}
