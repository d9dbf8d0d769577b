// The dashboard model's members table (MemberJoined / MemberLeft, with why each left) and where
// each virtual actor lives (ActivationStarted / ActivationStopped).
#include <gtest/gtest.h>

#include "dashboard/model.hpp"
#include "support/dashboard_script.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::EventScript;

TEST(DashboardMembers, JoinsAndLeavesFillTheTableWithTheReason) {
    EventScript s;
    s.at(0ms, MemberJoined{"node-b", "127.0.0.1:7002", {"user"}});
    s.at(0ms, MemberJoined{"node-a", "127.0.0.1:7001", {"user", "room"}});
    s.at(10ms, MemberJoined{"node-c", "127.0.0.1:7003", {}});
    s.at(500ms, MemberLeft{"node-b", "127.0.0.1:7002", MemberLeftReason::lease_expired});
    s.at(600ms, MemberLeft{"node-c", "127.0.0.1:7003", MemberLeftReason::graceful});
    Model m;
    m.fold(s.events());

    const auto& rows = m.members().rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].name, "node-a");  // sorted by name
    EXPECT_EQ(rows[1].name, "node-b");
    EXPECT_EQ(rows[2].name, "node-c");
    EXPECT_TRUE(rows[0].up);
    EXPECT_EQ(rows[0].kinds, (std::vector<std::string>{"user", "room"}));
    EXPECT_FALSE(rows[1].up);
    EXPECT_EQ(rows[1].left_reason, MemberLeftReason::lease_expired);
    EXPECT_EQ(rows[1].since, TimePoint{500ms});
    EXPECT_FALSE(rows[2].up);
    EXPECT_EQ(rows[2].left_reason, MemberLeftReason::graceful);
    EXPECT_EQ(m.overview().members_up, 1u);
    EXPECT_EQ(m.overview().members_lost, 1u);
}

TEST(DashboardMembers, AMemberThatRejoinsReusesItsRow) {
    EventScript s;
    s.at(0ms, MemberJoined{"n1", "127.0.0.1:1", {"user"}});
    s.at(1s, MemberLeft{"n1", "127.0.0.1:1", MemberLeftReason::lease_expired});
    s.at(2s, MemberJoined{"n1", "127.0.0.1:9", {"user"}});
    Model m;
    m.fold(s.events());
    ASSERT_EQ(m.members().rows().size(), 1u);
    const MemberRow* r = m.members().find("n1");
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->up);
    EXPECT_EQ(r->joins, 2u);
    EXPECT_EQ(r->address, "127.0.0.1:9");
    EXPECT_EQ(m.overview().members_up, 1u);
}

TEST(DashboardMembers, ALeaveOfAMemberNeverSeenJoiningStillGetsARow) {
    EventScript s;
    s.at(0ms, MemberLeft{"ghost", "127.0.0.1:5", MemberLeftReason::graceful});
    Model m;
    m.fold(s.events());
    ASSERT_NE(m.members().find("ghost"), nullptr);
    EXPECT_FALSE(m.members().find("ghost")->up);
    EXPECT_EQ(m.overview().members_up, 0u);
    EXPECT_EQ(m.members().find("nobody"), nullptr);
}

TEST(DashboardMembers, MemberEventsAreLoggedWithTheirKindAndDescribed) {
    EventScript s;
    s.at(0ms, MemberJoined{"n1", "127.0.0.1:1", {"user", "room"}});
    s.at(1ms, MemberLeft{"n1", "127.0.0.1:1", MemberLeftReason::lease_expired});
    Model m;
    m.fold(s.events());
    EXPECT_EQ(kind_name(s.events()[0].body), std::string("member_joined"));
    EXPECT_EQ(kind_name(s.events()[1].body), std::string("member_left"));
    EXPECT_EQ(actors::describe(s.events()[0]), "#1 member_joined member=n1 address=127.0.0.1:1 kinds=user,room");
    EXPECT_EQ(actors::describe(s.events()[1]), "#2 member_left member=n1 address=127.0.0.1:1 reason=lease_expired");
    EXPECT_EQ(std::string(kind_label(s.events()[1].body.index())), "member_left");
    EXPECT_EQ(m.overview().events_folded, 2u);
}

TEST(DashboardPlacements, ActivationsShowWhereEachIdentityLivesAndMoves) {
    EventScript s;
    s.at(0ms, MemberJoined{"a", "127.0.0.1:1", {"user"}});
    s.at(0ms, MemberJoined{"b", "127.0.0.1:2", {"user"}});
    s.at(1ms, ActivationStarted{"user", "bob", "a", Pid{1, 10, 0}});
    s.at(2ms, ActivationStarted{"user", "alice", "b", Pid{2, 11, 0}});
    s.at(3ms, ActivationStarted{"room", "lobby", "a", Pid{1, 12, 0}});
    Model early;
    early.fold(s.events());
    const auto& rows = early.placements().rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].kind, "room");  // by kind, then identity
    EXPECT_EQ(rows[1].identity, "alice");
    EXPECT_EQ(rows[2].identity, "bob");
    EXPECT_EQ(early.placements().active_on("a"), 2u);

    // a dies: its activations are gone with it; bob comes back on b.
    s.at(10ms, MemberLeft{"a", "127.0.0.1:1", MemberLeftReason::lease_expired});
    s.at(11ms, ActivationStarted{"user", "bob", "b", Pid{2, 13, 0}});
    // A late stop of the old activation does not hide the new one.
    s.at(12ms, ActivationStopped{"user", "bob", "a", Pid{1, 10, 0}, ActivationStopReason::shutdown});
    s.at(13ms, ActivationStopped{"user", "alice", "b", Pid{2, 11, 0}, ActivationStopReason::passivated});
    Model m;
    m.fold(s.events());
    const PlacementRow* bob = m.placements().find("user", "bob");
    ASSERT_NE(bob, nullptr);
    EXPECT_TRUE(bob->active);
    EXPECT_EQ(bob->member, "b");
    EXPECT_EQ(bob->activations, 2u);
    const PlacementRow* lobby = m.placements().find("room", "lobby");
    ASSERT_NE(lobby, nullptr);
    EXPECT_FALSE(lobby->active);
    EXPECT_EQ(lobby->stop_reason, ActivationStopReason::lost);
    const PlacementRow* alice = m.placements().find("user", "alice");
    ASSERT_NE(alice, nullptr);
    EXPECT_FALSE(alice->active);
    EXPECT_EQ(alice->stop_reason, ActivationStopReason::passivated);
    EXPECT_EQ(m.placements().active(), 1u);
}

// A dashboard attached after the cluster formed: the snapshot restates the members and the
// activations (Snapshot::standing), and events after it move them on as usual, a restated fact
// arriving again as an event changing nothing.
TEST(DashboardPlacements, ASnapshotsStandingStateFillsTheTablesOfALateDashboard) {
    Snapshot snap;
    snap.last_seq = 40;
    snap.time = TimePoint{1s};
    snap.standing = {Event{40, TimePoint{1s}, MemberJoined{"a", "127.0.0.1:7001", {"user"}}},
                     Event{40, TimePoint{1s}, MemberJoined{"b", "127.0.0.1:7002", {"user"}}},
                     Event{40, TimePoint{1s}, ActivationStarted{"user", "alice", "a", Pid{1, 5, 0}}}};
    Model m;
    m.load(snap);
    ASSERT_EQ(m.members().rows().size(), 2u);
    EXPECT_EQ(m.overview().members_up, 2u);
    const PlacementRow* alice = m.placements().find("user", "alice");
    ASSERT_NE(alice, nullptr);
    EXPECT_EQ(m.placements().active_on("a"), 1u);
    EXPECT_EQ(m.overview().events_folded, 0u) << "restated, not events of the stream";

    m.fold(Event{41, TimePoint{2s}, MemberJoined{"b", "127.0.0.1:7002", {"user"}}});  // raced the snapshot
    m.fold(Event{42, TimePoint{3s}, ActivationStopped{"user", "alice", "a", Pid{1, 5, 0}, ActivationStopReason::handed_over}});
    EXPECT_EQ(m.members().rows().size(), 2u);
    EXPECT_EQ(m.overview().members_up, 2u);
    EXPECT_EQ(m.placements().active(), 0u);
}
