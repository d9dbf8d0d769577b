#include <atomic>
#include <memory>
#include <vector>

#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "../tally.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

using big_ping_atom = caf::atom_constant<caf::atom("ping")>;
using big_pong_atom = caf::atom_constant<caf::atom("pong")>;
using big_go_atom = caf::atom_constant<caf::atom("go")>;

Sample big(const Params& p) {
    System s(p);
    Completion done;
    std::atomic<int> remaining{p.big_actors};
    auto peers = std::make_shared<std::vector<caf::actor>>();
    for (int i = 0; i < p.big_actors; ++i) {
        peers->push_back(s.sys.spawn([&, peers, i](caf::event_based_actor* self) -> caf::behavior {
            auto rng = std::make_shared<XorShift>(static_cast<unsigned long long>(i) + 1);
            auto pongs = std::make_shared<long>(0);
            return {
                [self](big_ping_atom) { self->send(caf::actor_cast<caf::actor>(self->current_sender()), big_pong_atom::value); },
                [&, self, peers, rng, pongs](big_pong_atom) {
                    if (++*pongs < p.big_pings) self->send((*peers)[rng->below(peers->size())], big_ping_atom::value);
                    else if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
                },
                [self, peers, rng](big_go_atom) { self->send((*peers)[rng->below(peers->size())], big_ping_atom::value); },
            };
        }));
    }
    Stopwatch t;
    for (const caf::actor& a : *peers) caf::anon_send(a, big_go_atom::value);
    done.wait();
    const double secs = t.seconds();
    shut(*peers);
    peers->clear();
    return {2.0 * static_cast<double>(p.big_actors) * static_cast<double>(p.big_pings) / secs, 0};
}

}  // namespace bench::caf_side
