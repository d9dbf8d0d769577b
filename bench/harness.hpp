#pragma once
// Repetitions with warm-up: each workload runs `warmup` times unmeasured, then `runs` times; a
// figure is reported as the median with min and max. Sides of one workload (ours on the thread
// pool, CAF, ours on one thread) alternate within each repetition, so drift on a shared machine
// hits them alike.

#include <algorithm>
#include <cmath>
#include <vector>

#include "params.hpp"

namespace bench {

struct Stats {
    double median = 0, min = 0, max = 0;
    int runs = 0;
    [[nodiscard]] bool valid() const { return runs > 0; }
};

inline Stats stats_of(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.runs = static_cast<int>(v.size());
    s.min = v.front();
    s.max = v.back();
    const std::size_t n = v.size();
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return s;
}

inline bool positive_finite(double x) { return std::isfinite(x) && x > 0; }

}  // namespace bench
