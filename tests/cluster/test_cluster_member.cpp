// Member records in the store: written by encode_member, read back strictly by decode_member.
#include <gtest/gtest.h>

#include "cluster/cluster_error.hpp"
#include "cluster/member.hpp"

using namespace actors::cluster;

TEST(MemberRecord, RoundTripsWithKindsAndTheLeavingMark) {
    Member m{"n1", "10.0.0.1:7000", {"user", "room"}};
    MemberRecord r = decode_member("n1", encode_member(m, false));
    EXPECT_EQ(r.member, m);
    EXPECT_FALSE(r.leaving);
    EXPECT_TRUE(decode_member("n1", encode_member(m, true)).leaving);
    Member none{"n2", "h:1", {}};
    EXPECT_EQ(decode_member("n2", encode_member(none, false)).member, none);
}

TEST(MemberRecord, GarbageIsBadDataNamingTheMember) {
    for (std::string v : {std::string(""), std::string("hello"), std::string("actors-member/1\nh:1\n\nzombie"),
                          std::string("actors-member/1\n\n\nup"), std::string(1 << 20, 'x'),
                          std::string("actors-member/1\nh:1\nbad\x01kind\nup")}) {
        try {
            (void)decode_member("peer", v);
            ADD_FAILURE() << "accepted: " << v.substr(0, 30);
        } catch (const ClusterError& e) {
            EXPECT_EQ(e.code(), ClusterErrorCode::bad_data);
            EXPECT_NE(std::string(e.what()).find("peer"), std::string::npos);
        }
    }
}
