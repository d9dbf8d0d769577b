#pragma once
// Savina ThreadRing: `ring_actors` actors pass a token around a ring `ring_hops` times.

#include <vector>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

struct Token {
    long hops;
};

inline Sample thread_ring(const Mode& mode, const Params& p) {
    Host h(mode);
    Completion done;
    std::vector<actors::Pid> ring;
    const std::size_t n = static_cast<std::size_t>(p.ring_actors);
    for (std::size_t i = 0; i < n; ++i) {
        ring.push_back(h.engine().spawn_fn("", [i, n, &ring, &done](actors::Context& ctx, actors::Message& m) {
            if (auto* t = m.as<Token>()) {
                if (t->hops == 0) done.set();
                else ctx.send(ring[(i + 1) % n], Token{t->hops - 1});
            }
        }));
    }
    h.settle();
    Stopwatch t;
    h.engine().send(ring[0], Token{p.ring_hops});
    h.wait(done);
    return {static_cast<double>(p.ring_hops) / t.seconds(), 0};
}

}  // namespace bench::ours
