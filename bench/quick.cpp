// Quick throughput figures for the core, median of several runs:
//   send:      one external thread sends N ints to one actor (unbounded mailbox); the clock stops
//              when the actor has *processed* the last one.
//   ping-pong: two actors bounce a message; round trips per second.
// usage: bench_quick [messages=10000000] [round_trips=1000000] [runs=5] [workers=2]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "actors/actors.hpp"
#include "report.hpp"

using namespace actors;
using WallClock = std::chrono::steady_clock;

namespace {

struct Ball {
    long remaining;
};

double seconds_since(WallClock::time_point t0) { return std::chrono::duration<double>(WallClock::now() - t0).count(); }

double send_rate(long n, unsigned workers) {
    EngineConfig cfg;
    cfg.worker_threads = workers;
    Engine engine(cfg);
    std::atomic<long> processed{0};
    SpawnOptions o;
    o.mailbox.capacity = unbounded;
    Pid sink = engine.spawn_fn("sink", [&processed](Context&, Message& m) {
        if (m.is<long>()) processed.store(processed.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    }, o);
    auto t0 = WallClock::now();
    for (long i = 0; i < n; ++i) engine.send(sink, i);
    while (processed.load(std::memory_order_acquire) < n) std::this_thread::yield();
    return static_cast<double>(n) / seconds_since(t0);
}

double ping_pong_rate(long round_trips, unsigned workers) {
    EngineConfig cfg;
    cfg.worker_threads = workers;
    Engine engine(cfg);
    std::atomic<bool> done{false};
    Pid pong = engine.spawn_fn("pong", [](Context& ctx, Message& m) {
        if (auto* b = m.as<Ball>()) ctx.send(ctx.sender(), Ball{b->remaining});
    });
    Pid ping = engine.spawn_fn("ping", [pong, &done](Context& ctx, Message& m) {
        if (auto* b = m.as<Ball>()) {
            if (b->remaining == 0) done.store(true, std::memory_order_release);
            else ctx.send(pong, Ball{b->remaining - 1});
        }
    });
    engine.wait_idle();
    auto t0 = WallClock::now();
    engine.send(ping, Ball{round_trips});
    while (!done.load(std::memory_order_acquire)) std::this_thread::yield();
    return static_cast<double>(round_trips) / seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
    long messages = argc > 1 ? std::atol(argv[1]) : 10'000'000;
    long trips = argc > 2 ? std::atol(argv[2]) : 1'000'000;
    int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    unsigned workers = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 2;
    std::printf("workers=%u messages=%ld round_trips=%ld\n", workers, messages, trips);
    report("send 1 -> 1", "msg/s", runs, [&] { return send_rate(messages, workers); });
    report("ping-pong", "round trips/s", runs, [&] { return ping_pong_rate(trips, workers); });
}
