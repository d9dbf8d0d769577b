#include "actors/stats.hpp"

#include <stdexcept>

namespace actors {

void StatsOptions::validate() const {
    if (!enabled) return;
    if (interval <= Duration::zero())
        throw std::invalid_argument("StatsOptions: interval must be positive (e.g. 250 ms), or set enabled = false");
}

}  // namespace actors
