#pragma once
// The cluster's members as the event stream told them: who is up, where, what it hosts, and for
// those that left, why. A member that comes back (same name) reuses its row.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/event.hpp"

namespace actors::dashboard {

struct MemberRow {
    std::string name;
    std::string address;
    std::vector<std::string> kinds;
    bool up = false;
    MemberLeftReason left_reason = MemberLeftReason::graceful;  // meaningful once !up
    TimePoint since{};        // of the latest join or leave
    std::uint64_t joins = 0;  // a rejoin after a lost lease counts again
    std::uint64_t last_seq = 0;
};

class Members {
public:
    void on_joined(const MemberJoined& e, TimePoint t, std::uint64_t seq);
    void on_left(const MemberLeft& e, TimePoint t, std::uint64_t seq);
    void clear() { rows_.clear(); }

    // Sorted by name, so the panel and tests see a stable order.
    [[nodiscard]] const std::vector<MemberRow>& rows() const noexcept { return rows_; }
    [[nodiscard]] const MemberRow* find(const std::string& name) const noexcept;
    [[nodiscard]] std::size_t up() const noexcept;

private:
    std::vector<MemberRow> rows_;
    MemberRow& row(const std::string& name);
};

}  // namespace actors::dashboard
