#pragma once
// Request-reply latency: `requests` requests from outside the engine, one after another, each
// timed from request() until the reply is in hand. Reports p50 (value) and p99 (extra), ns.

#include <vector>

#include "../params.hpp"
#include "../percentile.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"

namespace bench::ours {

struct Echo {
    using Response = long;
    long value;
};

inline Sample request_reply(const Mode& mode, const Params& p) {
    Host h(mode);
    actors::Pid echo = h.engine().spawn_fn("echo", [](actors::Context&, actors::Message& m) {
        m.visit([](const Echo& e) { return e.value; });
    });
    h.settle();
    std::vector<double> ns;
    ns.reserve(static_cast<std::size_t>(p.requests));
    for (long i = 0; i < p.requests; ++i) {
        Stopwatch t;
        actors::Future<long> f = h.engine().request(echo, Echo{i});
        if (h.cooperative()) {
            h.engine().run_until_idle();
            if (!f.ready() || f.get().value() != i) throw std::runtime_error("request-reply: no answer");
        } else if (f.get().value() != i) {
            throw std::runtime_error("request-reply: wrong answer");
        }
        ns.push_back(t.nanos());
    }
    const double p50 = percentile(ns, 0.50);
    const double p99 = percentile(ns, 0.99);
    return {p50, p99};
}

}  // namespace bench::ours
