#include <atomic>
#include <cmath>
#include <vector>

#include "../completion.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

namespace {
volatile double theta = 37.2;
std::atomic<double> sink{0};  // where results go, so the work cannot be optimised away
double work() {
    const double s = std::sin(theta);
    return s * s;
}
}  // namespace

Sample fork_join_throughput(const Params& p) {
    System s(p);
    Completion done;
    std::atomic<int> remaining{p.fj_actors};
    std::vector<caf::actor> workers;
    for (int i = 0; i < p.fj_actors; ++i) {
        workers.push_back(s.sys.spawn([&](caf::event_based_actor*) -> caf::behavior {
            return {[&, count = 0L, sum = 0.0](long) mutable {
                sum += work();
                if (++count < p.fj_messages) return;
                sink.store(sum, std::memory_order_relaxed);
                if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
            }};
        }));
    }
    Stopwatch t;
    for (long j = 0; j < p.fj_messages; ++j)
        for (const caf::actor& w : workers) caf::anon_send(w, j);
    done.wait();
    const double secs = t.seconds();
    shut(workers);
    return {static_cast<double>(p.fj_messages) * p.fj_actors / secs, 0};
}

Sample fork_join_create(const Params& p) {
    System s(p);
    Completion done;
    std::atomic<long> remaining{p.fj_create};
    Stopwatch t;
    for (long i = 0; i < p.fj_create; ++i) {
        auto a = s.sys.spawn([&](caf::event_based_actor* self) -> caf::behavior {
            return {[&, self](long) {
                sink.store(work(), std::memory_order_relaxed);
                self->quit();
                if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) done.set();
            }};
        });
        caf::anon_send(a, i);
    }
    done.wait();
    return {static_cast<double>(p.fj_create) / t.seconds(), 0};
}

}  // namespace bench::caf_side
