#include "actors/stats.hpp"

#include <stdexcept>

#include "cell.hpp"
#include "stats_sampler.hpp"
#include "actors/error.hpp"

namespace actors {

void StatsOptions::validate() const {
    if (!enabled) return;
    if (interval <= Duration::zero())
        throw InvalidArgument("StatsOptions: interval must be positive (e.g. 250 ms), or set enabled = false");
}

namespace detail {

StatsSampled StatsSampler::sample(const std::vector<Ref<Cell>>& cells) {
    StatsSampled sample;
    sample.interval = options_.interval;
    // Rebuilt each tick, so actors that are gone drop out of it.
    std::unordered_map<std::uint64_t, SampleKey> seen;
    for (const Ref<Cell>& cell : cells) {
        ActorSample a{cell->pid(), cell->mailbox_depth(), cell->counters()};
        const SampleKey key{a.mailbox_depth, a.counters.received + a.counters.processed + a.counters.sent,
                            a.pid.generation};
        auto prev = last_samples_.find(a.pid.id);
        if (prev == last_samples_.end() || !(prev->second == key)) sample.actors.push_back(a);
        seen.emplace(a.pid.id, key);
    }
    last_samples_ = std::move(seen);
    return sample;
}

}  // namespace detail

}  // namespace actors
