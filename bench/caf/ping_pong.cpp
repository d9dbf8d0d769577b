#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

Sample ping_pong(const Params& p) {
    System s(p);
    Completion done;
    auto pong = s.sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
        return {[self](long remaining) { self->send(caf::actor_cast<caf::actor>(self->current_sender()), remaining); }};
    });
    auto ping = s.sys.spawn([pong, &done](caf::event_based_actor* self) -> caf::behavior {
        return {[self, pong, &done](long remaining) {
            if (remaining == 0) done.set();
            else self->send(pong, remaining - 1);
        }};
    });
    Stopwatch t;
    caf::anon_send(ping, p.ping_pong_round_trips);
    done.wait();
    const double secs = t.seconds();
    shut({ping, pong});
    return {static_cast<double>(p.ping_pong_round_trips) / secs, 0};
}

}  // namespace bench::caf_side
