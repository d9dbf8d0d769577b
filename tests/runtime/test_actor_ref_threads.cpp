// ActorRef on the thread pool: senders on several threads, each through its own ref.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "actors/actors.hpp"

using namespace actors;

TEST(ActorRefThreads, ConcurrentSendersThroughRefsLoseNothing) {
    Engine engine(EngineConfig{});
    std::atomic<long> got{0};
    SpawnOptions o;
    o.mailbox.capacity = unbounded;
    Pid p = engine.spawn_fn("counter", [&got](Context&, Message& m) {
        if (m.is<int>()) got.fetch_add(1, std::memory_order_relaxed);
    }, o);
    constexpr int kThreads = 3, kEach = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&engine, p] {
            ActorRef ref = engine.resolve(p);
            for (int i = 0; i < kEach; ++i) engine.send(ref, i);
        });
    for (auto& t : threads) t.join();
    ASSERT_TRUE(engine.wait_idle());
    EXPECT_EQ(got.load(), long{kThreads} * kEach);
    auto c = engine.counters();
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
}
