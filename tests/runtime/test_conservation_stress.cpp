// Conservation under load: many threads, many actors, every overflow policy, actors stopped while
// messages are in flight, actor-to-actor forwarding. Whatever happens, every message sent is
// processed, dead-lettered or dropped - exactly - and every one that was not processed shows up
// as a DeadLetter event.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {
struct Hop {
    int remaining;
    std::uint64_t salt;
};
}  // namespace

TEST(ConservationStress, SentEqualsProcessedPlusDeadLetteredPlusDroppedUnderLoad) {
    constexpr int kActors = 200;
    constexpr int kSenders = 4;
    constexpr int kPerSender = 100000;

    EngineConfig cfg;
    cfg.worker_threads = 2;
    cfg.event_ring_capacity = 1024;  // small on purpose: counting must not depend on the ring
    Engine engine(cfg);

    std::atomic<std::uint64_t> dead_letter_events{0};
    engine.events().subscribe([&](const Event& e) {
        if (e.is<DeadLetter>()) dead_letter_events.fetch_add(1, std::memory_order_relaxed);
    });

    std::atomic<std::uint64_t> handled{0};
    std::atomic<std::uint64_t> forwards{0};
    std::vector<Pid> pids(kActors);
    const OverflowPolicy policies[] = {OverflowPolicy::drop_newest, OverflowPolicy::drop_oldest,
                                       OverflowPolicy::reject_sender};
    for (int i = 0; i < kActors; ++i) {
        SpawnOptions o;
        if (i % 4 == 3) o.mailbox.capacity = unbounded;
        else o.mailbox = MailboxOptions{64, policies[i % 3]};
        pids[static_cast<std::size_t>(i)] =
            engine.spawn_fn("a" + std::to_string(i), [&, i](Context& ctx, Message& m) {
                if (auto* h = m.as<Hop>()) {
                    handled.fetch_add(1, std::memory_order_relaxed);
                    if (h->remaining > 0) {
                        std::size_t next = static_cast<std::size_t>((h->salt * 2654435761u + static_cast<std::uint64_t>(i)) % kActors);
                        forwards.fetch_add(1, std::memory_order_relaxed);
                        ctx.send(pids[next], Hop{h->remaining - 1, h->salt + 1});
                    }
                } else if (m.is<MailboxFull>()) {
                    handled.fetch_add(1, std::memory_order_relaxed);  // notifications are messages too
                }
            }, o);
    }

    std::atomic<std::uint64_t> external{0};
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenders; ++s)
        senders.emplace_back([&, s] {
            std::mt19937_64 rng(static_cast<std::uint64_t>(s) + 1);
            for (int i = 0; i < kPerSender; ++i) {
                std::size_t target = rng() % kActors;
                engine.send(pids[target], Hop{static_cast<int>(rng() % 3), rng()});
                external.fetch_add(1, std::memory_order_relaxed);
            }
        });
    std::thread stopper([&] {
        std::mt19937_64 rng(99);
        for (int i = 0; i < 20; ++i) {
            std::this_thread::sleep_for(1ms);
            engine.stop(pids[rng() % kActors]);
        }
    });
    for (auto& t : senders) t.join();
    stopper.join();
    ASSERT_TRUE(engine.wait_idle(120s));

    auto c = engine.counters();
    const std::uint64_t mailbox_full_notices = c.sent - external.load() - forwards.load();
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped)
        << "sent=" << c.sent << " processed=" << c.processed << " dead=" << c.dead_lettered << " dropped=" << c.dropped;
    EXPECT_EQ(c.sent, external.load() + forwards.load() + mailbox_full_notices);
    EXPECT_EQ(c.processed, handled.load());
    EXPECT_GT(c.dropped, 0u) << "the load should overflow some bounded mailboxes";
    EXPECT_GT(c.dead_lettered, 0u) << "stopped actors should produce dead letters";
    EXPECT_GE(c.sent, static_cast<std::uint64_t>(kSenders) * kPerSender);

    engine.shutdown();
    c = engine.counters();
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
    EXPECT_EQ(dead_letter_events.load(), c.dead_lettered + c.dropped)
        << "every message not processed must appear as a DeadLetter event";
    EXPECT_EQ(c.live_actors, 0u);
}
