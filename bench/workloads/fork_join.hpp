#pragma once
// Savina fork-join. Throughput: `fj_actors` actors each receive `fj_messages` messages from one
// external sender (interleaved), each computing sin(37.2)^2; messages/s until all are processed.
// Create: spawn `fj_create` actors, each handles one message and stops; actors/s until every one
// has handled its message. With `subscriber`, an event-stream callback is attached (each spawn
// publishes events, so this is the event-stream overhead row).

#include <atomic>
#include <cmath>
#include <vector>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

namespace fork_join_detail {
inline volatile double theta = 37.2;
inline std::atomic<double> sink{0};  // where results go, so the work cannot be optimised away
inline double work() {
    const double s = std::sin(theta);
    return s * s;
}
}  // namespace fork_join_detail

inline Sample fork_join_throughput(const Mode& mode, const Params& p) {
    Host h(mode);
    Completion done;
    std::atomic<int> remaining{p.fj_actors};
    std::vector<actors::Pid> workers;
    for (int i = 0; i < p.fj_actors; ++i) {
        workers.push_back(h.engine().spawn_fn("", [&, count = 0L, sum = 0.0](actors::Context&, actors::Message& m) mutable {
            if (!m.is<long>()) return;
            sum += fork_join_detail::work();
            if (++count < p.fj_messages) return;
            fork_join_detail::sink.store(sum, std::memory_order_relaxed);
            if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
        }, unbounded_mailbox()));
    }
    h.settle();
    Stopwatch t;
    for (long j = 0; j < p.fj_messages; ++j)
        for (const actors::Pid& w : workers) h.engine().send(w, j);
    h.wait(done);
    return {static_cast<double>(p.fj_messages) * p.fj_actors / t.seconds(), 0};
}

inline Sample fork_join_create(const Mode& mode, const Params& p, bool subscriber = false) {
    Host h(mode);
    std::atomic<long> events{0};
    if (subscriber) h.engine().events().subscribe([&](const actors::Event&) { events.fetch_add(1, std::memory_order_relaxed); });
    Completion done;
    std::atomic<long> remaining{p.fj_create};
    Stopwatch t;
    for (long i = 0; i < p.fj_create; ++i) {
        actors::Pid a = h.engine().spawn_fn("", [&](actors::Context& ctx, actors::Message& m) {
            if (!m.is<long>()) return;
            fork_join_detail::sink.store(fork_join_detail::work(), std::memory_order_relaxed);
            ctx.stop();
            if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
        });
        h.engine().send(a, i);
    }
    h.wait(done);
    const double s = t.seconds();
    h.settle();  // the stops finish outside the timed part, as CAF's do
    return {static_cast<double>(p.fj_create) / s, 0};
}

}  // namespace bench::ours
