// Graceful shutdown while several threads are still sending: every message is handled or becomes
// a dead letter (those that arrive after shutdown with reason engine_stopped), the counters
// balance exactly, and when shutdown() returns no thread of the engine is left running.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "actors/actors.hpp"

using namespace actors;

namespace {

// Threads of this process right now. The test is native-only (threaded) and Linux is the native
// platform, so /proc must be there: without it the thread check would silently vanish.
long thread_count() {
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc/self/task", ec);
    if (ec) {
        ADD_FAILURE() << "cannot list /proc/self/task (" << ec.message() << "): threads can not be counted";
        return -1;
    }
    long n = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) ++n;
    return n;
}

struct Load {
    int n;
};

}  // namespace

TEST(ShutdownUnderLoad, SendersStillSendingLoseNothingAndNoEngineThreadOutlivesShutdown) {
    constexpr int kSenders = 4;
    constexpr std::uint64_t kBeforeShutdown = 5000;  // each sender sends at least this many first
    constexpr int kAfterShutdown = 500;              // and this many once shutdown() has returned

    // A thread made and joined first, so helper threads a sanitizer runtime starts with the first
    // std::thread (TSan's background thread) are in the baseline.
    std::thread([] {}).join();
    const long threads_before = thread_count();
    EngineConfig cfg;
    cfg.worker_threads = 2;
    Engine engine(cfg);

    std::atomic<std::uint64_t> handled{0};
    std::atomic<std::uint64_t> letters[5] = {};  // DeadLetter events by reason
    engine.events().subscribe([&](const Event& e) {
        if (auto* dl = e.as<DeadLetter>()) letters[static_cast<int>(dl->reason)].fetch_add(1, std::memory_order_relaxed);
    });

    std::vector<Pid> targets;
    const MailboxOptions mailboxes[] = {{unbounded, OverflowPolicy::drop_newest},
                                        {128, OverflowPolicy::drop_newest},
                                        {128, OverflowPolicy::drop_oldest},
                                        {128, OverflowPolicy::reject_sender}};
    for (std::size_t i = 0; i < std::size(mailboxes); ++i) {
        SpawnOptions so;
        so.mailbox = mailboxes[i];
        targets.push_back(engine.spawn_fn("t" + std::to_string(i), [&handled](Context& ctx, Message& m) {
            if (m.is<Started>()) ctx.spawn_fn("child", [&handled](Context&, Message& cm) {
                if (cm.is<Load>()) handled.fetch_add(1, std::memory_order_relaxed);
            });
            if (m.is<Load>()) handled.fetch_add(1, std::memory_order_relaxed);
        }, so));
    }
    ASSERT_TRUE(engine.wait_idle());
    for (std::size_t i = 0; i < std::size(mailboxes); ++i) targets.push_back(*engine.lookup("t" + std::to_string(i) + "/child"));
    const long threads_running = thread_count();

    std::atomic<bool> shut{false};
    std::atomic<std::uint64_t> sent_before[kSenders] = {};
    std::atomic<std::uint64_t> sends{0}, late_sends{0}, late_not_dead{0};
    std::vector<std::thread> senders;
    for (int t = 0; t < kSenders; ++t)
        senders.emplace_back([&, t] {
            std::uint64_t i = 0;
            // Until shutdown() has returned, then a fixed number more: all of those must be dead letters.
            while (!shut.load(std::memory_order_acquire)) {
                engine.send(targets[i % targets.size()], Load{static_cast<int>(i)});
                ++i;
                sends.fetch_add(1, std::memory_order_relaxed);
                sent_before[t].store(i, std::memory_order_release);
            }
            for (int k = 0; k < kAfterShutdown; ++k) {
                if (engine.send(targets[i++ % targets.size()], Load{k}) != SendStatus::dead_letter)
                    late_not_dead.fetch_add(1, std::memory_order_relaxed);
                sends.fetch_add(1, std::memory_order_relaxed);
                late_sends.fetch_add(1, std::memory_order_relaxed);
            }
        });
    // No clock: wait until every sender is well under way, then pull the plug under them.
    for (int t = 0; t < kSenders; ++t)
        while (sent_before[t].load(std::memory_order_acquire) < kBeforeShutdown) std::this_thread::yield();
    engine.shutdown();
    shut.store(true, std::memory_order_release);
    for (auto& s : senders) s.join();

    const auto c = engine.counters();
    EXPECT_EQ(c.sent, sends.load()) << "every send was counted";
    EXPECT_EQ(c.in_flight, 0u);
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped)
        << "sent=" << c.sent << " processed=" << c.processed << " dead=" << c.dead_lettered << " dropped=" << c.dropped;
    EXPECT_EQ(c.processed, handled.load());
    EXPECT_EQ(c.live_actors, 0u);
    EXPECT_EQ(late_not_dead.load(), 0u) << "a send after shutdown() returned was not a dead letter";
    EXPECT_GE(letters[static_cast<int>(DeadLetterReason::engine_stopped)].load(), late_sends.load());
    EXPECT_EQ(letters[static_cast<int>(DeadLetterReason::no_such_actor)].load(), 0u);
    EXPECT_EQ(letters[static_cast<int>(DeadLetterReason::handler_failed)].load(), 0u);
    EXPECT_EQ(letters[static_cast<int>(DeadLetterReason::actor_stopped)].load() +
                  letters[static_cast<int>(DeadLetterReason::engine_stopped)].load(),
              c.dead_lettered)
        << "each dead letter was published once, for a stopped actor or a stopped engine";

    EXPECT_GT(threads_running, threads_before) << "the thread pool was running";
    EXPECT_EQ(thread_count(), threads_before) << "a thread outlived shutdown()";
}
