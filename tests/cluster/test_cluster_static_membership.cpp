// The static seed-list provider: a fixed cluster where every member computes the same owner.
#include <gtest/gtest.h>

#include "cluster/cluster_error.hpp"
#include "cluster/static_membership.hpp"

using namespace actors::cluster;

namespace {
std::vector<Member> seeds() {
    return {Member{"n2", "127.0.0.1:2", {"user"}}, Member{"n1", "127.0.0.1:1", {"user"}}, Member{"n3", "127.0.0.1:3", {}}};
}
}  // namespace

TEST(StaticMembership, ListsTheSeedsSortedAndJoinsOnlyAsOneOfThem) {
    StaticMembership m(seeds());
    ASSERT_EQ(m.members().size(), 3u);
    EXPECT_EQ(m.members()[0].name, "n1");
    EXPECT_THROW(m.join(Member{"n9", "127.0.0.1:9", {}}), ClusterError);
    EXPECT_THROW(m.join(Member{"n1", "127.0.0.1:7", {}}), ClusterError) << "right name, wrong address";
    m.join(Member{"n1", "127.0.0.1:1", {"user"}});
    EXPECT_TRUE(m.joined());
    m.leave();
    EXPECT_FALSE(m.joined());
}

TEST(StaticMembership, EveryMemberAgreesOnOneOwnerPerIdentity) {
    StaticMembership m1(seeds()), m2(seeds()), m3(seeds());
    m1.join(Member{"n1", "127.0.0.1:1", {}});
    m2.join(Member{"n2", "127.0.0.1:2", {}});
    m3.join(Member{"n3", "127.0.0.1:3", {}});
    for (int i = 0; i < 50; ++i) {
        const std::string id = "user/" + std::to_string(i);
        const int winners = int(m1.claim(id).won) + int(m2.claim(id).won) + int(m3.claim(id).won);
        EXPECT_EQ(winners, 1) << id;
        EXPECT_EQ(m1.owner(id), m3.owner(id));
        EXPECT_NE(m1.owner(id), std::optional<std::string>("n3")) << id << ": n3 does not host kind user";
    }
}

TEST(StaticMembership, RefusesDuplicateAndBadSeeds) {
    EXPECT_THROW(StaticMembership({Member{"a", "h:1", {}}, Member{"a", "h:2", {}}}), ClusterError);
    EXPECT_THROW(StaticMembership({Member{"", "h:1", {}}}), ClusterError);
    StaticMembership m(seeds());
    EXPECT_THROW((void)m.claim("user/x"), ClusterError) << "not joined";
}
