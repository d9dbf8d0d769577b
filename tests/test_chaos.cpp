// Chaos on the thread pool: a supervision tree whose workers fail at random while several threads
// send a million messages. Conservation must hold exactly, and every injected failure must show
// up as exactly one failure, one handler_failed dead letter and one restart.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {
struct Work {
    bool fail;
};
}  // namespace

TEST(Chaos, SupervisedWorkersFailingAtRandomLoseNothingAndRestartOncePerFailure) {
    constexpr int kSupervisors = 4;
    constexpr int kWorkersEach = 25;
    constexpr int kSenders = 4;
    constexpr int kPerSender = 250000;  // 1,000,000 messages in all
    constexpr int kFailOneIn = 500;

    EngineConfig cfg;
    cfg.worker_threads = 2;
    cfg.event_ring_capacity = 4096;
    Engine engine(cfg);

    std::atomic<std::uint64_t> restarted_events{0}, failed_events{0}, handler_failed_letters{0};
    engine.events().subscribe([&](const Event& e) {
        if (e.is<ActorRestarted>()) restarted_events.fetch_add(1, std::memory_order_relaxed);
        if (e.is<ActorFailed>()) failed_events.fetch_add(1, std::memory_order_relaxed);
        if (auto* dl = e.as<DeadLetter>(); dl && dl->reason == DeadLetterReason::handler_failed)
            handler_failed_letters.fetch_add(1, std::memory_order_relaxed);
    });

    std::atomic<std::uint64_t> injected{0}, handled{0};
    // Restart at once, and never hit the limit: this test is about counting, not escalation.
    const auto strategy = SupervisorStrategy::one_for_one(RestartPolicy::immediate(1u << 30, std::chrono::hours(1)));
    for (int s = 0; s < kSupervisors; ++s) {
        SpawnOptions so;
        so.supervisor = strategy;
        engine.spawn("sup-" + std::to_string(s), Producer([&, s]() -> std::unique_ptr<Actor> {
            struct Supervisor : Actor {
                Supervisor(std::atomic<std::uint64_t>& inj, std::atomic<std::uint64_t>& hd, int index)
                    : injected(inj), handled(hd), idx(index) {}
                void started(Context& ctx) override {
                    for (int w = 0; w < kWorkersEach; ++w) {
                        SpawnOptions wo;
                        // Some bounded mailboxes, so drops happen too.
                        if (w % 5 == 0) wo.mailbox = MailboxOptions{256, OverflowPolicy::drop_newest};
                        else wo.mailbox.capacity = unbounded;
                        auto& inj = injected;
                        auto& hd = handled;
                        ctx.spawn_fn("worker-" + std::to_string(w), [&inj, &hd](Context&, Message& m) {
                            if (auto* work = m.as<Work>()) {
                                if (work->fail) {
                                    inj.fetch_add(1, std::memory_order_relaxed);
                                    throw std::runtime_error("injected failure");
                                }
                                hd.fetch_add(1, std::memory_order_relaxed);
                            }
                        }, wo);
                    }
                }
                void receive(Context&, Message&) override {}
                std::atomic<std::uint64_t>& injected;
                std::atomic<std::uint64_t>& handled;
                int idx;
            };
            return std::make_unique<Supervisor>(injected, handled, s);
        }), so);
    }
    ASSERT_TRUE(engine.wait_idle(60s));
    std::vector<Pid> workers;
    for (int s = 0; s < kSupervisors; ++s)
        for (int w = 0; w < kWorkersEach; ++w) {
            auto pid = engine.lookup("sup-" + std::to_string(s) + "/worker-" + std::to_string(w));
            ASSERT_TRUE(pid.has_value());
            workers.push_back(*pid);
        }

    std::vector<std::thread> senders;
    for (int t = 0; t < kSenders; ++t)
        senders.emplace_back([&, t] {
            std::mt19937_64 rng(static_cast<std::uint64_t>(t) * 7919 + 1);
            for (int i = 0; i < kPerSender; ++i)
                engine.send(workers[rng() % workers.size()], Work{rng() % kFailOneIn == 0});
        });
    for (auto& t : senders) t.join();
    ASSERT_TRUE(engine.wait_idle(300s));

    auto c = engine.counters();
    const std::uint64_t total = static_cast<std::uint64_t>(kSenders) * kPerSender;
    EXPECT_EQ(c.sent, total);
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped)
        << "sent=" << c.sent << " processed=" << c.processed << " dead=" << c.dead_lettered << " dropped=" << c.dropped;
    EXPECT_EQ(c.processed, handled.load());
    EXPECT_GT(injected.load(), 0u);
    EXPECT_EQ(c.failures, injected.load());
    EXPECT_EQ(c.restarts, injected.load());
    EXPECT_EQ(failed_events.load(), injected.load());
    EXPECT_EQ(restarted_events.load(), injected.load()) << "one restart per injected failure";
    EXPECT_EQ(handler_failed_letters.load(), injected.load()) << "each failing message is a dead letter";
    EXPECT_EQ(c.dead_lettered, injected.load()) << "nothing else was undeliverable";
    EXPECT_EQ(c.live_actors, static_cast<std::uint64_t>(kSupervisors * (kWorkersEach + 1)));

    engine.shutdown();
    c = engine.counters();
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
    EXPECT_EQ(c.live_actors, 0u);
}
