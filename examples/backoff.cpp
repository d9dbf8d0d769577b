// backoff: an actor that fails every time it runs, restarted with exponential backoff and
// jitter until its restart limit stops it. On virtual time (a ManualClock driven by a cooperative
// engine) the seconds of waiting take no real time, and every run prints the same restart times.
#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

struct Work {};

// Each incarnation gives itself work at once, and the work always fails: think of a service
// whose database is down.
class Flaky : public Actor {
public:
    void started(Context& ctx) override { ctx.send(ctx.self(), Work{}); }
    void receive(Context&, Message& msg) override {
        if (msg.is<Work>()) throw std::runtime_error("database unreachable");
    }
};

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int main() {
    auto clock = std::make_shared<ManualClock>();
    EngineConfig config = EngineConfig::deterministic(clock);
    // Flaky is a top-level actor, so the root guardian's strategy decides for it: restart after
    // 50 ms, doubling each time up to 400 ms, each delay +/- 20% at random (so a fleet of failing
    // actors does not retry in lockstep), at most 6 restarts within 10 s.
    config.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::backoff(50ms, 400ms, 2.0, 0.2, 6, 10s));
    // The jitter comes from a generator seeded here, so this run is exactly repeatable.
    config.random_seed = 42;
    Engine engine(config);

    // Print as they are published; each event carries the (virtual) engine time it happened at.
    SubscriptionId sub = engine.events().subscribe([](const Event& e) {
        if (auto* r = e.as<ActorRestarted>()) {
            std::printf("  t=%7.2f ms  restart #%u -> %s  waited %6.2f ms (nominal next: %6.2f ms)\n", ms(e.time),
                        r->restarts, r->pid.to_string().c_str(), ms(r->delay), ms(r->next_delay));
        } else if (auto* f = e.as<ActorFailed>()) {
            std::printf("  t=%7.2f ms  %s failed: %s\n", ms(e.time), f->pid.to_string().c_str(), f->error.c_str());
        } else if (auto* m = e.as<MaxRestartsExceeded>()) {
            std::printf("  t=%7.2f ms  max restarts exceeded: %u within %.0f ms\n", ms(e.time), m->restarts, ms(m->window));
        } else if (auto* x = e.as<Escalated>()) {
            // A top-level actor escalates to the root guardian, which has nobody above it.
            std::printf("  t=%7.2f ms  escalated to %s\n", ms(e.time), x->to ? x->to.to_string().c_str() : "the root");
        } else if (auto* s = e.as<ActorStopped>()) {
            std::printf("  t=%7.2f ms  %s stopped, reason=%s (%s)\n", ms(e.time), s->pid.to_string().c_str(),
                        to_string(s->reason), s->detail.c_str());
        }
    });

    Pid flaky = engine.spawn<Flaky>("flaky");
    // Nothing runs until the engine is driven. run_until_idle() does all that can be done now:
    // start, fail, and schedule the first restart 50 ms (+/- jitter) ahead.
    engine.run_until_idle();

    // advance() moves virtual time forward, stopping at each due timer to fire it and run
    // everything it causes, so each restart happens at exactly its scheduled instant.
    const auto wall0 = std::chrono::steady_clock::now();
    engine.advance(3s);
    const std::chrono::duration<double, std::milli> wall = std::chrono::steady_clock::now() - wall0;

    std::printf("virtual time advanced to %.0f ms in %.2f ms of real time; flaky alive: %s\n", ms(clock->now()),
                wall.count(), engine.alive(flaky) ? "yes" : "no");
    engine.events().unsubscribe(sub);
    engine.shutdown();
    return engine.counters().restarts == 6 && !engine.alive(flaky) ? 0 : 1;
}
