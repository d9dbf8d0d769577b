// ping_pong: two actors bounce a ball N times; how many round trips per second does the engine
// sustain? Usage: example_ping_pong [round_trips=100000]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "actors/actors.hpp"

using namespace actors;

// The ball carries how many round trips are left, so the ponger can stay stateless.
struct Ball {
    long remaining;
};
// Starting the game is a request: its reply (the round trips played) tells main it has finished,
// without main polling anything.
struct Play {
    long round_trips;
    using Response = long;
};

// The pinger serves each ball and answers Play once the last one comes back.
class Pinger : public Actor {
public:
    explicit Pinger(Pid partner) : partner_(partner) {}

    void receive(Context& ctx, Message& msg) override {
        msg.visit(
            [&](const Play& p) {
                // The answer only exists once the game is over, so keep the right to reply.
                done_ = msg.take_responder(p);
                if (p.round_trips <= 0) done_.reply(0);
                else ctx.send(partner_, Ball{p.round_trips});
            },
            [&](const Ball& b) {
                ++played_;
                if (b.remaining <= 1) done_.reply(played_);
                else ctx.send(partner_, Ball{b.remaining - 1});
            });
    }

private:
    Pid partner_;
    long played_ = 0;
    Responder<long> done_;
};

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::atol(argv[1]) : 100000;
    if (n < 0) {
        std::fprintf(stderr, "usage: %s [round_trips >= 0]\n", argv[0]);
        return 2;
    }

    Engine engine;  // thread pool: the two players may run on different workers
    // The ponger just hits every ball back to whoever sent it: the sender travels with the message.
    Pid ponger = engine.spawn_fn("ponger", [](Context& ctx, Message& msg) {
        if (auto* b = msg.as<Ball>()) ctx.send(ctx.sender(), *b);
    });
    Pid pinger = engine.spawn<Pinger>("pinger", ponger);
    // Let both actors start before the clock runs, so spawning is not part of the measurement.
    engine.wait_idle();

    auto* pool = dynamic_cast<ThreadPoolScheduler*>(&engine.scheduler());
    std::printf("ping-pong: %ld round trips on %u worker threads\n", n, pool ? pool->worker_count() : 1u);

    const auto t0 = std::chrono::steady_clock::now();
    // get() blocks main until the reply arrives; a generous timeout turns a hang into an error.
    Result<long> played = engine.request(pinger, Play{n}, std::chrono::seconds(30)).get();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - t0;

    if (!played) {
        std::printf("the game did not finish: %s\n", played.error().message().c_str());
        return 1;
    }
    const double seconds = elapsed.count();
    std::printf("played %ld round trips in %.1f ms\n", played.value(), seconds * 1e3);
    if (played.value() > 0)
        std::printf("=> %.0f round trips/s (%.2f us per round trip, two messages each)\n",
                    static_cast<double>(played.value()) / seconds, seconds * 1e6 / static_cast<double>(played.value()));

    engine.shutdown();
    // 2 messages per round trip + the Play request itself, all processed.
    std::printf("messages processed: %llu\n", static_cast<unsigned long long>(engine.counters().processed));
    return 0;
}
