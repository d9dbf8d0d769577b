#pragma once
// One external sender -> one actor: N messages through an ActorRef, timed until the actor has
// *processed* the last.
// With `subscriber`, an event-stream callback is attached (the event-stream overhead row).

#include <atomic>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

inline Sample send_one_to_one(const Mode& mode, const Params& p, bool subscriber = false) {
    Host h(mode);
    std::atomic<long> events{0};
    if (subscriber) h.engine().events().subscribe([&](const actors::Event&) { events.fetch_add(1, std::memory_order_relaxed); });
    Completion done;
    long count = 0;  // the actor's own
    const long n = p.send_messages;
    actors::Pid sink = h.engine().spawn_fn("sink", [&, n](actors::Context&, actors::Message& m) {
        if (m.is<long>() && ++count == n) done.set();
    }, unbounded_mailbox());
    h.settle();
    // Resolved once, as CAF's side sends through its actor handle.
    const actors::ActorRef to = h.engine().resolve(sink);
    Stopwatch t;
    for (long i = 0; i < n; ++i) h.engine().send(to, i);
    h.wait(done);
    return {static_cast<double>(n) / t.seconds(), 0};
}

}  // namespace bench::ours
