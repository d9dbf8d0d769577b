#pragma once
// Savina Counting: a producer actor sends `counting` increments to a counter, then asks for the
// total; messages/s until the producer has the (checked) answer.

#include <stdexcept>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

struct Go {};
struct Increment {};
struct Retrieve {};
struct Total {
    long value;
};

inline Sample counting(const Mode& mode, const Params& p) {
    Host h(mode);
    Completion done;
    bool right = false;
    actors::Pid counter = h.engine().spawn_fn("counter", [n = 0L](actors::Context& ctx, actors::Message& m) mutable {
        if (m.is<Increment>()) ++n;
        else if (m.is<Retrieve>()) ctx.send(ctx.sender(), Total{n});
    }, unbounded_mailbox());
    actors::Pid producer = h.engine().spawn_fn("producer", [&, counter](actors::Context& ctx, actors::Message& m) {
        if (m.is<Go>()) {
            for (long i = 0; i < p.counting; ++i) ctx.send(counter, Increment{});
            ctx.send(counter, Retrieve{});
        } else if (auto* total = m.as<Total>()) {
            right = total->value == p.counting;
            done.set();
        }
    }, unbounded_mailbox());
    h.settle();
    Stopwatch t;
    h.engine().send(producer, Go{});
    h.wait(done);
    const double s = t.seconds();
    if (!right) throw std::runtime_error("counting: wrong total");
    return {static_cast<double>(p.counting) / s, 0};
}

}  // namespace bench::ours
