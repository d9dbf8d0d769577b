// The dashboard model's members table: folded from MemberJoined / MemberLeft, with why each left.
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
