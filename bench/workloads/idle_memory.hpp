#pragma once
// Memory per idle actor: heap bytes, counted by the replaced operator new (so everything the
// runtime allocates for an actor), over `idle_actors` started actors that each handled one
// message and now wait.

#include <atomic>

#include "../alloc_counter.hpp"
#include "../params.hpp"
#include "host.hpp"

namespace bench::ours {

inline Sample idle_memory(const Mode& mode, const Params& p) {
    Host h(mode);
    h.settle();
    Completion done;
    std::atomic<long> remaining{p.idle_actors};
    alloc::start();
    for (long i = 0; i < p.idle_actors; ++i) {
        actors::Pid a = h.engine().spawn_fn("", [&](actors::Context&, actors::Message& m) {
            if (m.is<long>() && remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
        });
        h.engine().send(a, i);
    }
    h.wait(done);
    h.settle();
    const double bytes = static_cast<double>(alloc::live()) / static_cast<double>(p.idle_actors);
    alloc::stop();
    return {bytes, 0};
}

}  // namespace bench::ours
