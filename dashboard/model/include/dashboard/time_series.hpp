#pragma once
// Rates over time: one point per bucket of engine time (ModelOptions::bucket), the latest
// ModelOptions::series_points kept. Buckets with no events are zeros, not skipped, so a chart's
// x axis is time. The bucket in progress is not shown until it closes (a half bucket would
// always look like a dip).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "actors/clock.hpp"

namespace actors::dashboard {

enum class Series : std::uint8_t {
    messages,       // processed messages per second (from stats samples)
    spawns,         // actors spawned per second
    stops,          // actors stopped per second
    dead_letters,   // dead letters per second
    restarts,       // restarts per second
    unhealthy,      // actors unhealthy at the bucket's end (a level, not a rate)
    count_          // number of series
};
[[nodiscard]] const char* to_string(Series s) noexcept;

class TimeSeries {
public:
    TimeSeries(Duration bucket, std::size_t points);

    // Closes every bucket that ended at or before `t` (zeros for empty ones).
    void advance_to(TimePoint t);
    // Adds to the bucket containing `t` (advancing first). Rates are per second of the bucket.
    void add(Series s, TimePoint t, double amount);
    void set_level(Series s, double value);  // unhealthy: carried into each bucket as it closes
    void clear();

    // Oldest first, at most `points`; values per second for rates.
    [[nodiscard]] const std::vector<float>& points(Series s) const;
    [[nodiscard]] float latest(Series s) const;  // last closed bucket (0 if none)
    [[nodiscard]] float peak(Series s) const;    // max over the points kept
    [[nodiscard]] Duration bucket() const noexcept { return bucket_; }

private:
    Duration bucket_;
    std::size_t capacity_;
    bool started_ = false;
    std::int64_t current_ = 0;  // index of the bucket in progress (time / bucket)
    std::vector<double> open_;  // per series, the bucket in progress
    std::vector<double> level_;
    std::vector<std::vector<float>> closed_;
};

}  // namespace actors::dashboard
