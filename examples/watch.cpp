// watch: death watch. An actor asks to be told when another one stops, and gets a Terminated
// message saying why - whether the other one finished, crashed, had already gone, or never was.
// Unlike supervision, watching needs no parent/child relation: any actor may watch any other.
#include <cstdio>
#include <stdexcept>

#include "actors/actors.hpp"

using namespace actors;

struct Watch {
    Pid target;
};
struct Unwatch {
    Pid target;
};
struct Finish {};  // the job is done: the worker stops itself
struct Explode {};  // the worker's handler throws

class Watcher : public Actor {
public:
    void receive(Context& ctx, Message& msg) override {
        msg.visit([&](const Watch& w) { ctx.watch(w.target); },
                  [&](const Unwatch& w) { ctx.unwatch(w.target); },
                  // Terminated is an ordinary message, so it is handled in order with the rest.
                  [&](const Terminated& t) {
                      std::printf("  [watcher] Terminated %s: reason=%s detail=\"%s\" existed=%s\n",
                                  t.pid.to_string().c_str(), to_string(t.reason), t.detail.c_str(),
                                  t.existed ? "yes" : "no");
                  });
    }
};

void work(Context& ctx, Message& msg) {
    if (msg.is<Finish>()) ctx.stop();
    if (msg.is<Explode>()) throw std::runtime_error("boiler pressure too high");
}

int main() {
    EngineConfig config;
    // Top-level actors that crash are stopped, not restarted: a restart is not a termination,
    // so under the default (restart) the watcher would hear nothing.
    config.root_supervisor = SupervisorStrategy::one_for_one({}, [](const Failure&) { return Directive::stop; });
    Engine engine(config);

    Pid watcher = engine.spawn<Watcher>("watcher");
    Pid job1 = engine.spawn_fn("job-1", work);
    Pid job2 = engine.spawn_fn("job-2", work);
    Pid job3 = engine.spawn_fn("job-3", work);
    for (Pid p : {job1, job2, job3}) engine.send(watcher, Watch{p});
    engine.wait_idle();

    std::printf("1. job-1 %s finishes and stops itself\n", job1.to_string().c_str());
    engine.send(job1, Finish{});
    engine.wait_idle();

    std::printf("2. job-2 %s crashes (and the root guardian stops it)\n", job2.to_string().c_str());
    engine.send(job2, Explode{});
    engine.wait_idle();

    std::printf("3. the watcher unwatches job-3 %s, which is then stopped: no Terminated\n", job3.to_string().c_str());
    engine.send(watcher, Unwatch{job3});
    engine.wait_idle();
    engine.stop(job3);
    engine.wait_idle();

    // Watching something already gone answers at once, so "watch, then wait for Terminated" never
    // hangs whoever wins the race. The engine no longer knows why it stopped: the detail says so.
    std::printf("4. watching job-1 again, after it stopped\n");
    engine.send(watcher, Watch{job1});
    engine.wait_idle();

    std::printf("5. watching a Pid that never existed\n");
    engine.send(watcher, Watch{Pid{engine.node(), 999999, 0}});
    engine.wait_idle();

    engine.shutdown();
    return 0;
}
