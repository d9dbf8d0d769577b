// Two Nodes on thread-pool engines, real threads: senders on several actors, requests, and a cut
// in the middle; every message arrives once and in order per sender.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <memory_transport.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include <actors/actors.hpp>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

struct Seq {
    int sender = 0;
    int n = 0;
    MSGPACK_DEFINE(sender, n)
};
struct Twice {
    using Response = int;
    int v = 0;
    MSGPACK_DEFINE(v)
};
struct Go {};

NodeOptions opts(const std::string& name) {
    NodeOptions o;
    o.name = name;
    o.token = "secret";
    return o;
}

template <class F>
bool eventually(F&& done) {
    // Bounded in time and count; the condition, not the time, is what the test checks.
    for (int i = 0; i < 3000; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

TEST(RemoteNodeThreads, several_senders_across_a_cut_arrive_once_and_in_order_and_requests_answer) {
    register_message<Seq>("threads.seq");
    register_message<Twice>("threads.twice");
    auto net = actors::remote::testing::MemoryNetwork::make();
    EngineConfig config;
    config.worker_threads = 2;
    Engine ea(config), eb(config);
    auto na = std::make_unique<Node>(ea, opts("a"), std::make_shared<actors::remote::testing::MemoryTransport>(net));
    auto nb = std::make_unique<Node>(eb, opts("b"), std::make_shared<actors::remote::testing::MemoryTransport>(net));
    const std::uint16_t port = nb->listen({});

    std::mutex mu;
    std::map<int, std::vector<int>> got;
    std::atomic<int> total{0};
    eb.spawn_fn("sink", [&](Context&, Message& m) {
        m.visit([&](const Seq& s) {
                    std::lock_guard lock(mu);
                    got[s.sender].push_back(s.n);
                    total.fetch_add(1);
                },
                [](const Twice& t) { return 2 * t.v; });
    });
    auto connected = na->connect("ws://127.0.0.1:" + std::to_string(port));
    ASSERT_EQ(connected.get().value(), "b");
    const Pid sink = na->lookup("b", "sink").get().value();

    constexpr int senders = 4, per_sender = 2000;
    std::vector<Pid> pids;
    for (int s = 0; s < senders; ++s)
        pids.push_back(ea.spawn_fn("s" + std::to_string(s), [=](Context& ctx, Message& m) {
            if (m.is<Go>())
                for (int i = 0; i < per_sender; ++i) ctx.send(sink, Seq{s, i});
        }));
    for (Pid p : pids) ea.send(p, Go{});
    net->cut();  // somewhere in the middle; the node reconnects and replays
    ASSERT_TRUE(eventually([&] { return total.load() >= senders * per_sender; })) << total.load();
    EXPECT_EQ(na->incarnation() != nb->incarnation(), true);
    EXPECT_EQ(ea.request(sink, Twice{21}).get().value(), 42);
    std::lock_guard lock(mu);
    for (int s = 0; s < senders; ++s) {
        ASSERT_EQ(got[s].size(), static_cast<std::size_t>(per_sender)) << s;
        for (int i = 0; i < per_sender; ++i) ASSERT_EQ(got[s][i], i) << s;
    }
}

}  // namespace
