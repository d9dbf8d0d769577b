#pragma once
// Savina PingPong: two actors bounce a message; round trips per second.

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

struct Ball {
    long remaining;
};

inline Sample ping_pong(const Mode& mode, const Params& p) {
    Host h(mode);
    Completion done;
    actors::Pid pong = h.engine().spawn_fn("pong", [](actors::Context& ctx, actors::Message& m) {
        if (auto* b = m.as<Ball>()) ctx.send(ctx.sender(), Ball{b->remaining});
    });
    actors::Pid ping = h.engine().spawn_fn("ping", [pong, &done](actors::Context& ctx, actors::Message& m) {
        if (auto* b = m.as<Ball>()) {
            if (b->remaining == 0) done.set();
            else ctx.send(pong, Ball{b->remaining - 1});
        }
    });
    h.settle();
    Stopwatch t;
    h.engine().send(ping, Ball{p.ping_pong_round_trips});
    h.wait(done);
    return {static_cast<double>(p.ping_pong_round_trips) / t.seconds(), 0};
}

}  // namespace bench::ours
