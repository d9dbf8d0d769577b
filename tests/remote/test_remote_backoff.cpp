// Reconnect delays: exponential caps, full jitter below them, the same delays for one seed.
#include <gtest/gtest.h>

#include <set>

#include "remote/backoff.hpp"

using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

TEST(RemoteBackoff, CapDoublesUpToTheMaximumAndDelaysStayBelowIt) {
    Backoff b(50ms, 2s, 42);
    const std::vector<Duration> caps{50ms, 100ms, 200ms, 400ms, 800ms, 1600ms, 2s, 2s, 2s};
    for (auto cap : caps) {
        EXPECT_EQ(b.cap(), cap);
        const Duration d = b.next();
        EXPECT_GE(d, Duration::zero());
        EXPECT_LE(d, cap);
    }
    b.reset();
    EXPECT_EQ(b.cap(), 50ms);
    EXPECT_EQ(b.attempt(), 0u);
}

TEST(RemoteBackoff, SameSeedSameDelaysOtherSeedOtherDelays) {
    auto run = [](std::uint64_t seed) {
        Backoff b(1ms, 1s, seed);
        std::vector<Duration::rep> v;
        for (int i = 0; i < 20; ++i) v.push_back(b.next().count());
        return v;
    };
    EXPECT_EQ(run(7), run(7));
    EXPECT_NE(run(7), run(8));
}

TEST(RemoteBackoff, JitterSpreadsOverTheWholeRange) {
    // Full jitter: many nodes that lost the same peer do not come back together.
    Backoff b(1s, 1s, 1);
    std::set<int> tenths;
    int low = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto d = b.next();
        tenths.insert(static_cast<int>(d.count() / 100'000'000));
        if (d < 500ms) ++low;
    }
    EXPECT_GE(tenths.size(), 10u);  // every tenth of the range is hit
    EXPECT_GT(low, 350);
    EXPECT_LT(low, 650);
}

TEST(RemoteBackoff, RefusesNonsense) {
    EXPECT_THROW(Backoff(0ms, 1s, 1), std::invalid_argument);
    EXPECT_THROW(Backoff(2s, 1s, 1), std::invalid_argument);
}
