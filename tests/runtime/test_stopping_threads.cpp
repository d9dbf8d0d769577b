// A stopping actor that still holds stashed messages while it waits for its children gives its
// thread back: nothing can happen until a child stops, so its turns must not be rescheduled over
// and over (it used to keep the stash token and spin a worker until the child finished).
#include <gtest/gtest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {

// Threads of this process other than the caller that are running or runnable right now. The test
// is native-only (threaded) and Linux is the native platform, so /proc must be there.
int others_running() {
    const std::string self = std::to_string(::syscall(SYS_gettid));
    std::error_code ec;
    std::filesystem::directory_iterator it("/proc/self/task", ec);
    if (ec) {
        ADD_FAILURE() << "cannot list /proc/self/task (" << ec.message() << ")";
        return 0;
    }
    int running = 0;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (it->path().filename() == self) continue;
        std::ifstream stat(it->path() / "stat");
        std::string line;
        std::getline(stat, line);
        // "tid (comm) S ...": the state follows the last ')', as comm may hold anything.
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'R') ++running;
    }
    return running;
}

struct Fail {};
struct StopYourself {};

// A gate a test opens once; the actor that waits on it holds its worker thread meanwhile.
struct Gate {
    std::promise<void> opened;
    std::shared_future<void> wait = opened.get_future().share();
};

struct Parent : Actor {
    std::shared_ptr<Gate> fail_gate, child_stop_gate;
    std::shared_ptr<std::promise<void>> failing, child_stopping;
    std::shared_ptr<std::atomic<int>> incarnation;

    void started(Context& ctx) override {
        const bool second = incarnation->fetch_add(1) == 1;
        auto gate = child_stop_gate;
        auto stopping = child_stopping;
        // Only the second incarnation's child holds up its stop, so the restart itself is quick.
        ctx.spawn_fn("child", [second, gate, stopping](Context&, Message& m) {
            if (m.is<Stopped>() && second) {
                stopping->set_value();
                gate->wait.wait();
            }
        });
    }
    void receive(Context& ctx, Message& m) override {
        if (m.is<Fail>()) {
            failing->set_value();
            fail_gate->wait.wait();  // the test queues more behind this message meanwhile
            throw std::runtime_error("fail");
        }
        if (m.is<StopYourself>()) ctx.stop();
    }
};

}  // namespace

TEST(StoppingWithAStash, WaitingForAChildToStopDoesNotSpinAThread) {
    EngineConfig cfg;
    cfg.worker_threads = 2;
    cfg.health.enabled = false;  // no periodic tick: any running engine thread is the parent's turn
    // A restart delay: what arrives meanwhile is stashed, then delivered to the new instance.
    cfg.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(10ms));
    Engine engine(cfg);
    std::atomic<std::uint64_t> stashed_lost{0};
    engine.events().subscribe([&](const Event& e) {
        if (auto* dl = e.as<DeadLetter>(); dl && dl->reason == DeadLetterReason::actor_stopped) stashed_lost.fetch_add(1);
    });

    auto fail_gate = std::make_shared<Gate>();
    auto child_stop_gate = std::make_shared<Gate>();
    auto failing = std::make_shared<std::promise<void>>();
    auto child_stopping = std::make_shared<std::promise<void>>();
    auto incarnation = std::make_shared<std::atomic<int>>(0);
    Pid parent = engine.spawn("parent", [=] {
        auto p = std::make_unique<Parent>();
        p->fail_gate = fail_gate;
        p->child_stop_gate = child_stop_gate;
        p->failing = failing;
        p->child_stopping = child_stopping;
        p->incarnation = incarnation;
        return p;
    });

    engine.send(parent, Fail{});
    failing->get_future().wait();
    // Queued behind the failing message: stashed during the restart, delivered after it. The
    // first makes the new instance stop itself while the other two are still in the stash.
    engine.send(parent, StopYourself{});
    engine.send(parent, 1);
    engine.send(parent, 2);
    fail_gate->opened.set_value();

    // The parent is now stopping, waiting for its child, with two messages stashed.
    child_stopping->get_future().wait();
    constexpr int kSamples = 100;
    int busy = 0;
    for (int i = 0; i < kSamples; ++i) {
        if (others_running() > 0) ++busy;
        std::this_thread::sleep_for(1ms);
    }
    child_stop_gate->opened.set_value();

    ASSERT_TRUE(engine.wait_idle());
    EXPECT_FALSE(engine.alive(parent));
    EXPECT_LT(busy, kSamples / 2) << "an engine thread ran in " << busy << " of " << kSamples
                                  << " looks while nothing could happen until the child stopped";
    EXPECT_EQ(stashed_lost.load(), 2u) << "the two stashed messages become dead letters when the parent stops";
    const EngineCounters c = engine.counters();
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
}
