#include "actors/supervision.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "actors/error.hpp"

namespace actors {

const char* to_string(Directive d) noexcept {
    switch (d) {
        case Directive::resume: return "resume";
        case Directive::restart: return "restart";
        case Directive::stop: return "stop";
        case Directive::escalate: return "escalate";
    }
    return "unknown";
}

RestartPolicy RestartPolicy::immediate(unsigned max_restarts, Duration window) {
    RestartPolicy p;
    p.kind = Kind::immediate;
    p.max_restarts = max_restarts;
    p.window = window;
    return p;
}

RestartPolicy RestartPolicy::fixed(Duration delay, unsigned max_restarts, Duration window) {
    RestartPolicy p = immediate(max_restarts, window);
    p.kind = Kind::fixed_delay;
    p.delay = delay;
    return p;
}

RestartPolicy RestartPolicy::backoff(Duration min, Duration max, double factor, double jitter, unsigned max_restarts,
                                     Duration window) {
    RestartPolicy p = immediate(max_restarts, window);
    p.kind = Kind::exponential_backoff;
    p.min_backoff = min;
    p.max_backoff = max;
    p.factor = factor;
    p.jitter = jitter;
    return p;
}

Duration RestartPolicy::delay_for(unsigned attempt, double unit) const {
    switch (kind) {
        case Kind::immediate: return Duration::zero();
        case Kind::fixed_delay: return delay;
        case Kind::exponential_backoff: break;
    }
    const double exponent = attempt > 0 ? attempt - 1 : 0;
    double nominal = static_cast<double>(min_backoff.count()) * std::pow(factor, exponent);
    nominal = std::min(nominal, static_cast<double>(max_backoff.count()));
    const double scaled = nominal * (1.0 + jitter * (2.0 * std::clamp(unit, 0.0, 1.0) - 1.0));
    return Duration{static_cast<Duration::rep>(std::max(0.0, scaled))};
}

void RestartPolicy::validate() const {
    auto bad = [](const std::string& what) { throw InvalidArgument("RestartPolicy: " + what); };
    if (delay < Duration::zero()) bad("delay must not be negative");
    if (min_backoff < Duration::zero()) bad("min_backoff must not be negative");
    if (max_backoff < min_backoff) bad("max_backoff must be at least min_backoff");
    // Jitter may double a delay, and the clock adds it to now: keep both far from overflow.
    if (delay > max_delay || max_backoff > max_delay) bad("delay and max_backoff must be at most 100 years (actors::max_delay)");
    if (!(factor >= 1.0) || !std::isfinite(factor)) bad("factor must be a finite number >= 1");
    if (!(jitter >= 0.0 && jitter <= 1.0)) bad("jitter must be within [0, 1]");
    if (window <= Duration::zero()) bad("window must be positive");
}

SupervisorStrategy SupervisorStrategy::one_for_one(RestartPolicy policy, Decider decider) {
    policy.validate();
    return SupervisorStrategy{Kind::one_for_one, std::move(decider), policy};
}

SupervisorStrategy SupervisorStrategy::all_for_one(RestartPolicy policy, Decider decider) {
    policy.validate();
    return SupervisorStrategy{Kind::all_for_one, std::move(decider), policy};
}

}  // namespace actors
