#include <memory>
#include <vector>

#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

Sample thread_ring(const Params& p) {
    System s(p);
    Completion done;
    auto ring = std::make_shared<std::vector<caf::actor>>();
    const std::size_t n = static_cast<std::size_t>(p.ring_actors);
    for (std::size_t i = 0; i < n; ++i) {
        ring->push_back(s.sys.spawn([ring, i, n, &done](caf::event_based_actor* self) -> caf::behavior {
            return {[self, ring, i, n, &done](long hops) {
                if (hops == 0) done.set();
                else self->send((*ring)[(i + 1) % n], hops - 1);
            }};
        }));
    }
    Stopwatch t;
    caf::anon_send((*ring)[0], p.ring_hops);
    done.wait();
    const double secs = t.seconds();
    shut(*ring);
    ring->clear();  // the actors hold the vector: break the cycle
    return {static_cast<double>(p.ring_hops) / secs, 0};
}

}  // namespace bench::caf_side
