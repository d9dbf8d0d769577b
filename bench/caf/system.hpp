#pragma once
// One CAF actor system per run, with as many scheduler threads as our engine has workers (CAF
// 0.17 would otherwise start max(cores, 4)).

#include <caf/all.hpp>

#include <vector>

#include "../params.hpp"

namespace bench::caf_side {

struct System {
    caf::actor_system_config cfg;
    caf::actor_system sys;
    explicit System(const Params& p) : sys(configure(cfg, p)) {}

    static caf::actor_system_config& configure(caf::actor_system_config& c, const Params& p) {
        c.set("scheduler.max-threads", static_cast<size_t>(p.workers));
        return c;
    }
};

// Actors that never quit by themselves are told to, so the system's destructor can finish.
inline void shut(const std::vector<caf::actor>& actors) {
    for (const caf::actor& a : actors) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

}  // namespace bench::caf_side
