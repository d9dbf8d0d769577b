#include <stdexcept>

#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

using increment_atom = caf::atom_constant<caf::atom("inc")>;
using retrieve_atom = caf::atom_constant<caf::atom("retrieve")>;
using go_atom = caf::atom_constant<caf::atom("go")>;

Sample counting(const Params& p) {
    System s(p);
    Completion done;
    bool right = false;
    // The count lives in the actor's state, shared by both handlers.
    auto counter = s.sys.spawn([](caf::stateful_actor<long>* self) -> caf::behavior {
        self->state = 0;
        return {
            [self](increment_atom) { ++self->state; },
            [self](retrieve_atom) { self->send(caf::actor_cast<caf::actor>(self->current_sender()), self->state); },
        };
    });
    auto producer = s.sys.spawn([&, counter](caf::event_based_actor* self) -> caf::behavior {
        return {
            [self, counter, &p](go_atom) {
                for (long i = 0; i < p.counting; ++i) self->send(counter, increment_atom::value);
                self->send(counter, retrieve_atom::value);
            },
            [&](long total) {
                right = total == p.counting;
                done.set();
            },
        };
    });
    Stopwatch t;
    caf::anon_send(producer, go_atom::value);
    done.wait();
    const double secs = t.seconds();
    shut({counter, producer});
    if (!right) throw std::runtime_error("caf counting: wrong total");
    return {static_cast<double>(p.counting) / secs, 0};
}

}  // namespace bench::caf_side
