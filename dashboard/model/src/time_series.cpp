#include "dashboard/time_series.hpp"

#include <algorithm>
#include <stdexcept>

namespace actors::dashboard {

namespace {
constexpr auto kSeries = static_cast<std::size_t>(Series::count_);

std::int64_t bucket_of(TimePoint t, Duration bucket) {
    // Floor, so a time before the clock's epoch still lands in the bucket that contains it.
    const std::int64_t n = t.count(), b = bucket.count();
    return n >= 0 ? n / b : -((-n + b - 1) / b);
}
}  // namespace

const char* to_string(Series s) noexcept {
    switch (s) {
        case Series::messages: return "messages/s";
        case Series::spawns: return "spawns/s";
        case Series::stops: return "stops/s";
        case Series::dead_letters: return "dead letters/s";
        case Series::restarts: return "restarts/s";
        case Series::unhealthy: return "unhealthy actors";
        case Series::count_: break;
    }
    return "unknown";
}

TimeSeries::TimeSeries(Duration bucket, std::size_t points)
    : bucket_(bucket), capacity_(points), open_(kSeries, 0.0), level_(kSeries, 0.0), closed_(kSeries) {
    if (bucket_ <= Duration::zero()) throw std::invalid_argument("TimeSeries: the bucket must be positive");
    if (capacity_ == 0) throw std::invalid_argument("TimeSeries: at least one point must be kept");
    for (auto& c : closed_) c.reserve(capacity_);
}

void TimeSeries::advance_to(TimePoint t) {
    const std::int64_t target = bucket_of(t, bucket_);
    if (!started_) {
        started_ = true;
        current_ = target;
        return;
    }
    if (target <= current_) return;
    const double seconds = std::chrono::duration<double>(bucket_).count();
    // Past `capacity_` closed buckets nothing older is kept, so a long idle stretch costs at most
    // one chart's worth of zeros, not one per elapsed bucket.
    const auto elapsed = static_cast<std::uint64_t>(target - current_);
    const std::size_t to_close = static_cast<std::size_t>(std::min<std::uint64_t>(elapsed, capacity_));
    for (std::size_t s = 0; s < kSeries; ++s) {
        auto& points = closed_[s];
        const bool level = s == static_cast<std::size_t>(Series::unhealthy);
        for (std::size_t i = 0; i < to_close; ++i) {
            // Only the first bucket closed here held events; the rest were empty.
            const double v = level ? level_[s] : (i == 0 && elapsed <= capacity_ ? open_[s] / seconds : 0.0);
            if (points.size() == capacity_) points.erase(points.begin());
            points.push_back(static_cast<float>(v));
        }
        open_[s] = 0.0;
    }
    current_ = target;
}

void TimeSeries::add(Series s, TimePoint t, double amount) {
    const auto i = static_cast<std::size_t>(s);
    if (i >= kSeries) return;
    advance_to(t);
    // A late timestamp (older than the bucket in progress) still counts, in the open bucket.
    open_[i] += amount;
}

void TimeSeries::set_level(Series s, double value) {
    const auto i = static_cast<std::size_t>(s);
    if (i < kSeries) level_[i] = value;
}

void TimeSeries::clear() {
    started_ = false;
    current_ = 0;
    std::fill(open_.begin(), open_.end(), 0.0);
    std::fill(level_.begin(), level_.end(), 0.0);
    for (auto& c : closed_) c.clear();
}

const std::vector<float>& TimeSeries::points(Series s) const {
    static const std::vector<float> none;
    const auto i = static_cast<std::size_t>(s);
    return i < kSeries ? closed_[i] : none;
}

float TimeSeries::latest(Series s) const {
    const auto& p = points(s);
    return p.empty() ? 0.0f : p.back();
}

float TimeSeries::peak(Series s) const {
    const auto& p = points(s);
    return p.empty() ? 0.0f : *std::max_element(p.begin(), p.end());
}

}  // namespace actors::dashboard
