#include "dashboard/dead_letters.hpp"

#include <algorithm>
#include <stdexcept>

namespace actors::dashboard {

namespace {
std::size_t reason_index(DeadLetterReason r) noexcept {
    // A reason this build does not know (a newer engine) is counted as the last one, not dropped.
    return std::min<std::size_t>(static_cast<std::size_t>(r), dead_letter_reason_count - 1);
}
}  // namespace

DeadLetters::DeadLetters(std::size_t recent_capacity)
    : recent_capacity_(recent_capacity), max_targets_(std::max<std::size_t>(4096, 4 * recent_capacity)) {
    if (recent_capacity_ == 0) throw std::invalid_argument("DeadLetters: recent_capacity must be at least 1");
    ring_.reserve(recent_capacity_);
}

void DeadLetters::add(std::uint64_t seq, TimePoint t, const DeadLetter& d) {
    // Slots are reused once the ring is full: assigning over an old entry keeps its string
    // buffers, so a steady stream of letters allocates nothing.
    if (ring_.size() < recent_capacity_) {
        ring_.push_back(DeadLetterEntry{seq, t, d});
    } else {
        DeadLetterEntry& slot = ring_[total_ % recent_capacity_];
        slot.seq = seq;
        slot.time = t;
        slot.letter = d;
    }
    ++total_;
    const std::size_t r = reason_index(d.reason);
    ++by_reason_[r];

    auto it = targets_.find(d.target.id);
    if (it == targets_.end()) {
        if (targets_.size() >= max_targets_) forget_small_targets();
        it = targets_.emplace(d.target.id, DeadLetterTarget{}).first;
    }
    DeadLetterTarget& target = it->second;
    target.target = d.target;
    ++target.count;
    ++target.by_reason[r];
    target.last_message_type = d.message_type;
    target.last_time = t;
}

void DeadLetters::forget_small_targets() {
    // Drops the lower half by count in one sweep, so the sweep's cost is spread over the many
    // new targets it makes room for.
    std::vector<std::uint64_t> counts;
    counts.reserve(targets_.size());
    for (const auto& [id, t] : targets_) counts.push_back(t.count);
    auto middle = counts.begin() + static_cast<std::ptrdiff_t>(counts.size() / 2);
    std::nth_element(counts.begin(), middle, counts.end());
    const std::uint64_t median = *middle;
    std::erase_if(targets_, [&](const auto& kv) { return kv.second.count < median; });
    if (targets_.size() >= max_targets_) {
        // Most counts equal the median: drop enough of those, never one above it.
        std::size_t drop = targets_.size() / 2;
        for (auto i = targets_.begin(); i != targets_.end() && drop > 0;) {
            if (i->second.count <= median) {
                i = targets_.erase(i);
                --drop;
            } else {
                ++i;
            }
        }
    }
}

void DeadLetters::clear() {
    ring_.clear();
    total_ = 0;
    by_reason_ = {};
    targets_.clear();
}

std::vector<const DeadLetterEntry*> DeadLetters::recent() const {
    std::vector<const DeadLetterEntry*> out;
    out.reserve(ring_.size());
    const std::size_t n = ring_.size();
    // The newest is just before the next slot to be written.
    const std::size_t next = static_cast<std::size_t>(total_ % recent_capacity_);
    for (std::size_t i = 0; i < n; ++i) out.push_back(&ring_[(next + n - 1 - i) % n]);
    return out;
}

std::vector<DeadLetterTarget> DeadLetters::top_targets(std::size_t limit) const {
    std::vector<const DeadLetterTarget*> all;
    all.reserve(targets_.size());
    for (const auto& [id, t] : targets_) all.push_back(&t);
    const auto by_count = [](const DeadLetterTarget* a, const DeadLetterTarget* b) {
        if (a->count != b->count) return a->count > b->count;
        return a->target < b->target;
    };
    const std::size_t n = std::min(limit, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), by_count);
    std::vector<DeadLetterTarget> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(*all[i]);
    return out;
}

const DeadLetterTarget* DeadLetters::target(Pid pid) const {
    auto it = targets_.find(pid.id);
    return it == targets_.end() ? nullptr : &it->second;
}

std::uint64_t DeadLetters::total(DeadLetterReason r) const noexcept { return by_reason_[reason_index(r)]; }

}  // namespace actors::dashboard
