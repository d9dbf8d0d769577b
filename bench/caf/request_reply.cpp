#include <stdexcept>
#include <vector>

#include "../percentile.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

Sample request_reply(const Params& p) {
    System s(p);
    auto echo = s.sys.spawn([](caf::event_based_actor*) -> caf::behavior {
        return {[](long v) { return v; }};
    });
    std::vector<double> ns;
    ns.reserve(static_cast<std::size_t>(p.requests));
    {
        caf::scoped_actor self{s.sys};
        for (long i = 0; i < p.requests; ++i) {
            Stopwatch t;
            long got = -1;
            self->request(echo, caf::infinite, i).receive([&](long v) { got = v; }, [](caf::error&) {});
            if (got != i) throw std::runtime_error("caf request-reply: wrong answer");
            ns.push_back(t.nanos());
        }
    }
    shut({echo});
    const double p50 = percentile(ns, 0.50);
    const double p99 = percentile(ns, 0.99);
    return {p50, p99};
}

}  // namespace bench::caf_side
