#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

Sample send_one_to_one(const Params& p) {
    System s(p);
    Completion done;
    const long n = p.send_messages;
    auto sink = s.sys.spawn([&done, n](caf::event_based_actor*) -> caf::behavior {
        return {[&done, n, count = 0L](long) mutable {
            if (++count == n) done.set();
        }};
    });
    Stopwatch t;
    for (long i = 0; i < n; ++i) caf::anon_send(sink, i);
    done.wait();
    const double secs = t.seconds();
    shut({sink});
    return {static_cast<double>(n) / secs, 0};
}

}  // namespace bench::caf_side
