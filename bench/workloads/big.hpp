#pragma once
// Savina Big: `big_actors` actors each send `big_pings` pings, one at a time, to random peers;
// every ping is answered with a pong, and the next ping goes out when the pong arrives.
// Messages (pings + pongs) per second until every actor has had all its pongs.

#include <atomic>
#include <vector>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "../tally.hpp"
#include "host.hpp"

namespace bench::ours {

struct BigPing {};
struct BigPong {};
struct BigGo {};

inline Sample big(const Mode& mode, const Params& p) {
    Host h(mode);
    Completion done;
    std::atomic<int> remaining{p.big_actors};
    std::vector<actors::Pid> peers;
    for (int i = 0; i < p.big_actors; ++i) {
        peers.push_back(h.engine().spawn_fn("", [&, rng = XorShift(static_cast<unsigned long long>(i) + 1), pongs = 0L](
                                                    actors::Context& ctx, actors::Message& m) mutable {
            if (m.is<BigPing>()) {
                ctx.send(ctx.sender(), BigPong{});
            } else if (m.is<BigPong>()) {
                if (++pongs < p.big_pings) ctx.send(peers[rng.below(peers.size())], BigPing{});
                else if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
            } else if (m.is<BigGo>()) {
                ctx.send(peers[rng.below(peers.size())], BigPing{});
            }
        }));
    }
    h.settle();
    Stopwatch t;
    for (const actors::Pid& a : peers) h.engine().send(a, BigGo{});
    h.wait(done);
    return {2.0 * static_cast<double>(p.big_actors) * static_cast<double>(p.big_pings) / t.seconds(), 0};
}

}  // namespace bench::ours
