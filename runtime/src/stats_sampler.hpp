#pragma once
// StatsSampler: builds the StatsSampled event each stats tick, listing only the actors whose
// mailbox or counters moved since the previous sample. Implemented in stats.cpp; the engine
// drives it from a repeating timer (EngineCore::start_monitor).

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "actors/event.hpp"
#include "actors/stats.hpp"
#include "ref.hpp"

namespace actors::detail {

class Cell;

class StatsSampler {
public:
    explicit StatsSampler(StatsOptions options) : options_(options) {}

    // Owner: the stats timer only (one tick at a time). The caller adds the engine counters,
    // read after the walk so they are at least as new as every actor listed.
    [[nodiscard]] StatsSampled sample(const std::vector<Ref<Cell>>& cells);

private:
    // What each actor looked like at the previous sample.
    struct SampleKey {
        std::size_t depth = 0;
        std::uint64_t activity = 0;
        std::uint32_t generation = 0;
        bool operator==(const SampleKey&) const = default;
    };

    StatsOptions options_;
    std::unordered_map<std::uint64_t, SampleKey> last_samples_;
};

}  // namespace actors::detail
