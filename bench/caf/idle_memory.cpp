#include <atomic>
#include <vector>

#include "../alloc_counter.hpp"
#include "../completion.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

// Heap bytes through operator new (CAF's shared library included) per actor, over started
// actors that each handled one message and now wait. (RSS growth is not reported: in one process
// the two sides reuse each other's freed pages, so it says more about run order than actors.)
Sample idle_memory(const Params& p) {
    System s(p);
    Completion done;
    std::atomic<long> remaining{p.idle_actors};
    std::vector<caf::actor> actors;
    actors.reserve(static_cast<std::size_t>(p.idle_actors));
    alloc::start();
    const std::int64_t handles0 = alloc::live();  // the reserve above was before start()
    for (long i = 0; i < p.idle_actors; ++i) {
        actors.push_back(s.sys.spawn([&](caf::event_based_actor*) -> caf::behavior {
            return {[&](long) {
                if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
            }};
        }));
        caf::anon_send(actors.back(), i);
    }
    done.wait();
    const double bytes = static_cast<double>(alloc::live() - handles0) / static_cast<double>(p.idle_actors);
    alloc::stop();
    shut(actors);
    return {bytes, 0};
}

}  // namespace bench::caf_side
