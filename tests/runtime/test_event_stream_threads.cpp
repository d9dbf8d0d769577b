// Event-stream subscriptions across threads: unsubscribe() waits for a callback already running on
// another thread, so an object whose callback captures `this` can unsubscribe in its destructor.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {
CustomEvent custom(const char* data) { return CustomEvent{Pid{}, "t", data}; }

// Spins (yielding) until `flag` is set. No deadline: ctest's TIMEOUT bounds a hang.
void await(const std::atomic<bool>& flag) {
    while (!flag.load()) std::this_thread::yield();
}

// A subscriber whose callback uses its members: the shape that used to be unsafe to destroy.
struct Watcher {
    EventStream& stream;
    std::atomic<bool>& entered;
    std::atomic<bool>& go_on;
    std::atomic<bool>& inside;
    int seen = 0;
    SubscriptionId id = 0;

    Watcher(EventStream& s, std::atomic<bool>& e, std::atomic<bool>& g, std::atomic<bool>& i)
        : stream(s), entered(e), go_on(g), inside(i) {
        id = stream.subscribe([this](const Event&) {
            inside = true;
            entered = true;
            await(go_on);
            // Long enough for an unsubscribe that did not wait to return and free us first.
            std::this_thread::sleep_for(50ms);
            ++seen;  // touches `this`: a use after free if the destructor did not wait
            inside = false;
        });
    }
    ~Watcher() { stream.unsubscribe(id); }
};
}  // namespace

TEST(EventStreamThreads, UnsubscribeWaitsForACallbackAlreadyRunningOnAnotherThread) {
    EventStream stream(16, std::make_shared<SteadyClock>());
    std::atomic<bool> entered{false}, go_on{false}, inside{false};
    auto watcher = std::make_unique<Watcher>(stream, entered, go_on, inside);
    std::thread publisher([&] { stream.publish(custom("x")); });
    await(entered);
    go_on = true;
    watcher.reset();  // unsubscribes, then frees the Watcher
    EXPECT_FALSE(inside.load()) << "the callback was still running when unsubscribe returned";
    publisher.join();
    EXPECT_EQ(stream.subscriber_count(), 0u);
}

TEST(EventStreamThreads, ACallbackUnsubscribingItselfOnAnotherThreadDoesNotWaitForItself) {
    EventStream stream(16, std::make_shared<SteadyClock>());
    std::atomic<int> calls{0};
    auto id = std::make_shared<std::atomic<SubscriptionId>>(0);
    std::atomic<bool> ready{false};
    id->store(stream.subscribe([&, id](const Event&) {
        await(ready);
        ++calls;
        EXPECT_TRUE(stream.unsubscribe(id->load()));
    }));
    ready = true;
    std::thread publisher([&] {
        stream.publish(custom("a"));
        stream.publish(custom("b"));
    });
    publisher.join();
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(stream.subscriber_count(), 0u);
}

TEST(EventStreamThreads, ACallbackUnsubscribingAnotherWhileItIsBeingUnsubscribedElsewhereDoesNotDeadlock) {
    EventStream stream(16, std::make_shared<SteadyClock>());
    std::atomic<bool> entered{false}, go_on{false};
    std::atomic<int> second_calls{0};
    SubscriptionId second = 0;
    std::atomic<bool> second_known{false};
    // The first callback, on the publisher's thread, unsubscribes the second (no waiting: it is
    // the dispatcher), while this thread is unsubscribing the first (waiting for it).
    const SubscriptionId first = stream.subscribe([&](const Event&) {
        entered = true;
        await(go_on);
        await(second_known);
        EXPECT_TRUE(stream.unsubscribe(second));
    });
    second = stream.subscribe([&](const Event&) { ++second_calls; });
    second_known = true;
    std::thread publisher([&] { stream.publish(custom("x")); });
    await(entered);
    go_on = true;
    EXPECT_TRUE(stream.unsubscribe(first));
    publisher.join();
    EXPECT_EQ(second_calls.load(), 0) << "unsubscribed by the first callback of the same event";
    EXPECT_EQ(stream.subscriber_count(), 0u);
}

TEST(EventStreamThreads, ManyThreadsSubscribingPublishingAndUnsubscribingNeverCallAnEndedCallback) {
    EventStream stream(64, std::make_shared<SteadyClock>());
    constexpr int kThreads = 4;
    constexpr int kRounds = 200;
    std::atomic<int> late_calls{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int r = 0; r < kRounds; ++r) {
                auto ended = std::make_shared<std::atomic<bool>>(false);
                const SubscriptionId id = stream.subscribe([ended, &late_calls](const Event&) {
                    if (ended->load()) ++late_calls;
                });
                stream.publish(custom("x"));
                stream.unsubscribe(id);
                ended->store(true);  // after unsubscribe returns, the callback must never run again
                stream.publish(custom("y"));
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(late_calls.load(), 0);
    EXPECT_EQ(stream.subscriber_count(), 0u);
}

TEST(EventStreamThreads, EngineUnsubscribeEndsAnActorsSubscriptionOnTheThreadPool) {
    EngineConfig config;
    config.worker_threads = 2;
    Engine engine(config);
    std::atomic<int> after{0};
    std::atomic<bool> ended{false};
    Pid watcher = engine.spawn_fn("watcher", [&](Context&, Message& m) {
        if (m.is<Event>() && ended.load()) ++after;
    });
    engine.subscribe(watcher);
    ASSERT_TRUE(engine.wait_idle());
    EXPECT_TRUE(engine.unsubscribe(watcher));
    ASSERT_TRUE(engine.wait_idle());  // Event messages sent before unsubscribe returned are handled
    ended = true;
    for (int i = 0; i < 5; ++i) engine.spawn_fn("", [](Context&, Message&) {});
    ASSERT_TRUE(engine.wait_idle());
    EXPECT_EQ(after.load(), 0);
    EXPECT_FALSE(engine.unsubscribe(watcher));
}
