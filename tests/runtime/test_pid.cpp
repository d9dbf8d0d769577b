#include <gtest/gtest.h>

#include <sstream>
#include <unordered_set>

#include "actors/pid.hpp"

using actors::Pid;

TEST(Pid, DefaultPidIsInvalid) {
    Pid p;
    EXPECT_FALSE(p.valid());
    EXPECT_FALSE(static_cast<bool>(p));
}

TEST(Pid, PrintsAsNodeIdGeneration) {
    Pid p{1, 42, 3};
    EXPECT_EQ(p.to_string(), "<1.42.3>");
    std::ostringstream os;
    os << p;
    EXPECT_EQ(os.str(), "<1.42.3>");
}

TEST(Pid, EqualityComparesEveryFieldButSameActorIgnoresGeneration) {
    Pid a{1, 7, 0}, b{1, 7, 1}, c{2, 7, 0};
    EXPECT_NE(a, b);
    EXPECT_TRUE(a.same_actor(b));
    EXPECT_FALSE(a.same_actor(c));
    EXPECT_EQ(a, (Pid{1, 7, 0}));
}

TEST(Pid, HashesDistinguishDistinctPids) {
    std::unordered_set<Pid> set;
    for (std::uint64_t id = 1; id <= 1000; ++id) {
        set.insert(Pid{1, id, 0});
        set.insert(Pid{2, id, 0});
        set.insert(Pid{1, id, 1});
    }
    EXPECT_EQ(set.size(), 3000u);
    EXPECT_TRUE(set.contains(Pid{2, 500, 0}));
}
