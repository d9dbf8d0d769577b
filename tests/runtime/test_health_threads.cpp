// Health signals that need real threads: a cooperative engine cannot look at a handler while it
// runs, so slow_handler is a native thread-pool signal.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {
// Thread-safe event collector (callbacks run on whichever thread publishes).
class Collector {
public:
    explicit Collector(EventStream& s) : stream_(s) {
        id_ = stream_.subscribe([this](const Event& e) {
            {
                std::lock_guard lock(mutex_);
                events_.push_back(e);
            }
            cv_.notify_all();
        });
    }
    ~Collector() { stream_.unsubscribe(id_); }
    Collector(const Collector&) = delete;
    Collector& operator=(const Collector&) = delete;

    // Waits (at most `limit`, a liveness bound only) until `pred` holds over the events so far.
    template <class Pred>
    bool wait_for(Pred pred, std::chrono::seconds limit = 30s) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, limit, [&] { return pred(events_); });
    }
    std::vector<Event> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }

private:
    EventStream& stream_;
    SubscriptionId id_ = 0;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Event> events_;
};

bool is_slow_handler_healthy(const Event& e, Pid p) {
    auto* h = e.as<ActorHealthy>();
    return h && h->signal == HealthSignal::slow_handler && h->pid.same_actor(p);
}
bool is_slow_handler_unhealthy(const Event& e, Pid p) {
    auto* u = e.as<ActorUnhealthy>();
    return u && u->signal == HealthSignal::slow_handler && u->pid.same_actor(p);
}
}  // namespace

TEST(HealthThreads, ASlowHandlerRaisesSlowHandlerAndClearsItWhenItReturns) {
    EngineConfig config;
    config.worker_threads = 2;
    config.health.interval = 10ms;
    config.health.slow_handler = 50ms;
    config.health.mailbox_lag = 60s;  // only slow_handler is under test
    Engine engine(config);
    Collector events(engine.events());

    std::atomic<bool> returned{false};
    Pid sleeper = engine.spawn_fn("sleeper", [&returned](Context&, Message& m) {
        if (m.is<int>()) {
            std::this_thread::sleep_for(300ms);
            returned.store(true);
        }
    });
    engine.send(sleeper, 1);

    ASSERT_TRUE(events.wait_for([&](const std::vector<Event>& ev) {
        return std::any_of(ev.begin(), ev.end(), [&](const Event& e) { return is_slow_handler_healthy(e, sleeper); });
    })) << "the slow_handler signal was never cleared";
    EXPECT_TRUE(returned.load()) << "cleared only once the handler returned";

    std::vector<Event> ev = events.events();
    std::size_t raised_at = ev.size(), cleared_at = ev.size(), raised = 0;
    for (std::size_t i = 0; i < ev.size(); ++i) {
        if (is_slow_handler_unhealthy(ev[i], sleeper)) {
            ++raised;
            if (raised_at == ev.size()) raised_at = i;
        }
        if (is_slow_handler_healthy(ev[i], sleeper) && cleared_at == ev.size()) cleared_at = i;
    }
    EXPECT_EQ(raised, 1u) << "one event per transition";
    ASSERT_LT(raised_at, ev.size());
    EXPECT_LT(raised_at, cleared_at);
    const auto* u = ev[raised_at].as<ActorUnhealthy>();
    EXPECT_GT(u->measured, config.health.slow_handler);
    EXPECT_EQ(engine.info(sleeper)->health & static_cast<std::uint8_t>(HealthSignal::slow_handler), 0u);
    engine.shutdown();
}
