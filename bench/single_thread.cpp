// Single-threaded figures on the cooperative scheduler, the same source natively and in
// WebAssembly (under node), so the two compare like for like:
//   send:      N messages to one actor from outside, then run until idle (enqueue + handle)
//   ping-pong: two actors bounce a message N times
// usage: bench_single_thread [messages=2000000] [round_trips=500000] [runs=5]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "actors/actors.hpp"
#include "report.hpp"

using namespace actors;
using WallClock = std::chrono::steady_clock;

namespace {

struct Ball {
    long remaining;
};

EngineConfig quiet() {
    EngineConfig cfg = EngineConfig::cooperative();
    cfg.health.enabled = false;
    return cfg;
}

double send_rate(long n) {
    Engine engine(quiet());
    long processed = 0;
    SpawnOptions o;
    o.mailbox.capacity = unbounded;
    Pid sink = engine.spawn_fn("sink", [&processed](Context&, Message& m) { if (m.is<long>()) ++processed; }, o);
    engine.run_until_idle();
    auto t0 = WallClock::now();
    for (long i = 0; i < n; ++i) engine.send(sink, i);
    engine.run_until_idle();
    double s = std::chrono::duration<double>(WallClock::now() - t0).count();
    if (processed != n) std::abort();
    return static_cast<double>(n) / s;
}

double ping_pong_rate(long trips) {
    Engine engine(quiet());
    bool done = false;
    Pid pong = engine.spawn_fn("pong", [](Context& ctx, Message& m) {
        if (auto* b = m.as<Ball>()) ctx.send(ctx.sender(), Ball{b->remaining});
    });
    Pid ping = engine.spawn_fn("ping", [pong, &done](Context& ctx, Message& m) {
        if (auto* b = m.as<Ball>()) {
            if (b->remaining == 0) done = true;
            else ctx.send(pong, Ball{b->remaining - 1});
        }
    });
    engine.run_until_idle();
    auto t0 = WallClock::now();
    engine.send(ping, Ball{trips});
    engine.run_until_idle();
    double s = std::chrono::duration<double>(WallClock::now() - t0).count();
    if (!done) std::abort();
    return static_cast<double>(trips) / s;
}

}  // namespace

int main(int argc, char** argv) {
    long messages = argc > 1 ? std::atol(argv[1]) : 2'000'000;
    long trips = argc > 2 ? std::atol(argv[2]) : 500'000;
    int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    std::printf("cooperative scheduler, one thread; messages=%ld round_trips=%ld\n", messages, trips);
    report("send 1 -> 1", "msg/s", runs, [&] { return send_rate(messages); });
    report("ping-pong", "round trips/s", runs, [&] { return ping_pong_rate(trips); });
}
