#include <thread>
#include <vector>

#include "../stopwatch.hpp"
#include "../tally.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

// CAF has no engine-wide dead-letter count to read; the extra column stays 0 (shown as n/a).
Sample send_storm(const Params& p) {
    System s(p);
    Tally processed;
    std::vector<caf::actor> targets;
    for (int g = 0; g < p.storm_groups; ++g)
        for (int i = 0; i < p.storm_actors_per_group; ++i)
            targets.push_back(s.sys.spawn([&processed](caf::event_based_actor*) -> caf::behavior {
                return {[&processed](int) { processed.add(); }};
            }));
    Tally sent;
    Stopwatch t;
    std::vector<std::thread> senders;
    for (unsigned w = 0; w < p.workers; ++w) {
        senders.emplace_back([&, w] {
            XorShift rng(w + 1);
            for (long i = 0;; ++i) {
                if ((i & 1023) == 0) {
                    if (t.seconds() >= p.storm_seconds) break;
                    while (sent.sum() - processed.sum() > p.storm_window) std::this_thread::yield();
                }
                caf::anon_send(targets[rng.below(targets.size())], 1);
                sent.add();
            }
        });
    }
    for (auto& th : senders) th.join();
    const long total = sent.sum();
    while (processed.sum() < total) std::this_thread::yield();
    const double secs = t.seconds();
    shut(targets);
    return {static_cast<double>(processed.sum()) / secs, -1};
}

}  // namespace bench::caf_side
