#pragma once
// Dead letters: the recent ones in a bounded ring, and totals per target and per reason that
// never forget (a target's count keeps growing after its recent letters scrolled away).
// Per-target totals are bounded too: past max(4096, 4 x recent_capacity) distinct targets, the
// targets with the smallest counts are forgotten (their letters still count in total()), so a
// stream of letters to ever new pids can not grow memory without end.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/event.hpp"

namespace actors::dashboard {

struct DeadLetterEntry {
    std::uint64_t seq = 0;
    TimePoint time{};
    DeadLetter letter;
};

struct DeadLetterTarget {
    Pid target;
    std::uint64_t count = 0;
    std::array<std::uint64_t, dead_letter_reason_count> by_reason{};  // indexed by DeadLetterReason
    std::string last_message_type;
    TimePoint last_time{};
};

class DeadLetters {
public:
    explicit DeadLetters(std::size_t recent_capacity = 1000);

    void add(std::uint64_t seq, TimePoint t, const DeadLetter& d);
    void clear();

    // Newest first.
    [[nodiscard]] std::vector<const DeadLetterEntry*> recent() const;
    // Highest count first; at most `limit`.
    [[nodiscard]] std::vector<DeadLetterTarget> top_targets(std::size_t limit) const;
    [[nodiscard]] const DeadLetterTarget* target(Pid pid) const;  // by id
    [[nodiscard]] std::uint64_t total() const noexcept { return total_; }
    [[nodiscard]] std::uint64_t total(DeadLetterReason r) const noexcept;

private:
    std::vector<DeadLetterEntry> ring_;
    std::size_t recent_capacity_;
    std::uint64_t total_ = 0;
    std::array<std::uint64_t, dead_letter_reason_count> by_reason_{};
    std::unordered_map<std::uint64_t, DeadLetterTarget> targets_;
    std::size_t max_targets_;

    void forget_small_targets();
};

}  // namespace actors::dashboard
