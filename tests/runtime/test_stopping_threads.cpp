// A stopping actor that still holds stashed messages while it waits for its children gives its
// thread back: nothing can happen until a child stops, so its turns must not be rescheduled over
// and over (it used to keep the stash token and spin a worker until the child finished).
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {

// CPU time, in ms, the threads of this process other than the caller used since the last call:
// what a spinning thread would burn while the caller sleeps. (Counting threads seen runnable in
// /proc instead failed on a loaded machine: there a thread that woke for a moment waits its turn
// in the run queue, runnable, for most of a look.)
class OthersCpu {
public:
    OthersCpu() { (void)take(); }
    double take() {
        const double process = ms(RUSAGE_SELF), self = ms(RUSAGE_THREAD);
        const double used = (process - process_) - (self - self_);
        process_ = process;
        self_ = self;
        return used;
    }

private:
    static double ms(int who) {
        rusage u{};
        ::getrusage(who, &u);
        auto t = [](const timeval& v) { return static_cast<double>(v.tv_sec) * 1e3 + static_cast<double>(v.tv_usec) / 1e3; };
        return t(u.ru_utime) + t(u.ru_stime);
    }
    double process_ = 0, self_ = 0;
};

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
    // A spinning thread burns the whole window on a quiet machine, and a fifth of it even when
    // ten jobs share the two cores; an engine that waits burns next to nothing.
    OthersCpu others;
    std::this_thread::sleep_for(200ms);
    const double burnt_ms = others.take();
    child_stop_gate->opened.set_value();

    ASSERT_TRUE(engine.wait_idle());
    EXPECT_FALSE(engine.alive(parent));
    EXPECT_LT(burnt_ms, 30.0) << "the engine's threads used " << burnt_ms
                              << " ms of CPU in 200 ms while nothing could happen until the child stopped";
    EXPECT_EQ(stashed_lost.load(), 2u) << "the two stashed messages become dead letters when the parent stops";
    const EngineCounters c = engine.counters();
    EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped);
}
