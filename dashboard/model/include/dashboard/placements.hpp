#pragma once
// Where each virtual actor lives, as the event stream told it: one row per (kind, identity) with
// its member and Pid while active, and why it stopped once it did. An identity that moves
// (re-activated elsewhere) keeps its row, with a count of its activations.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/event.hpp"

namespace actors::dashboard {

struct PlacementRow {
    std::string kind;
    std::string identity;
    std::string member;  // where it lives (or lived last)
    Pid pid;
    bool active = false;
    ActivationStopReason stop_reason = ActivationStopReason::passivated;  // meaningful once !active
    TimePoint since{};
    std::uint64_t activations = 0;
    std::uint64_t last_seq = 0;
};

class Placements {
public:
    void on_started(const ActivationStarted& e, TimePoint t, std::uint64_t seq);
    void on_stopped(const ActivationStopped& e, TimePoint t, std::uint64_t seq);
    // A member that left took its activations with it, even if no ActivationStopped reached us.
    void on_member_left(const MemberLeft& e, TimePoint t, std::uint64_t seq);
    void clear() { rows_.clear(); }

    // Sorted by kind, then identity.
    [[nodiscard]] const std::vector<PlacementRow>& rows() const noexcept { return rows_; }
    [[nodiscard]] const PlacementRow* find(const std::string& kind, const std::string& identity) const noexcept;
    [[nodiscard]] std::size_t active() const noexcept;
    [[nodiscard]] std::size_t active_on(const std::string& member) const noexcept;

private:
    std::vector<PlacementRow> rows_;
    PlacementRow& row(const std::string& kind, const std::string& identity);
};

}  // namespace actors::dashboard
