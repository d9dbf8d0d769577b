#pragma once
// The remote links of the watched engine, as its snapshot, stats samples and link events tell
// them: which peer nodes, whether each is connected, disconnected or down (and why), and the
// per-link counters of the latest snapshot or sample. Sorted by peer name.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/event.hpp"
#include "actors/snapshot.hpp"

namespace actors::dashboard {

enum class LinkState : std::uint8_t { connected, disconnected, down };
[[nodiscard]] const char* to_string(LinkState s) noexcept;

struct LinkRow {
    std::string node;
    LinkState state = LinkState::disconnected;
    std::string reason;             // of the latest disconnect or down
    std::uint32_t alias = 0;        // the node id its Pids carry here (0: not told yet)
    std::uint64_t connects = 0;     // handshakes seen (NodeConnected)
    std::uint64_t restarts = 0;     // of those, to a new incarnation of the peer
    std::uint64_t replay_events = 0;
    std::uint64_t replayed = 0;     // envelopes replayed, summed over LinkReplayed events
    LinkStats stats;                // latest snapshot or stats sample
    TimePoint since{};              // of the latest state change
    std::uint64_t last_seq = 0;
};

class Links {
public:
    void load(const std::vector<LinkStats>& links, TimePoint t);
    void on_connected(const NodeConnected& e, TimePoint t, std::uint64_t seq);
    void on_disconnected(const NodeDisconnected& e, TimePoint t, std::uint64_t seq);
    void on_down(const NodeDown& e, TimePoint t, std::uint64_t seq);
    void on_replayed(const LinkReplayed& e, std::uint64_t seq);
    // Counters from a sample; the state stays the events' (they are more recent than a sample
    // can be), unless the sample brings a link no event mentioned yet.
    void on_sample(const std::vector<LinkStats>& links, TimePoint t, std::uint64_t seq);
    void clear() { rows_.clear(); }

    [[nodiscard]] const std::vector<LinkRow>& rows() const noexcept { return rows_; }
    [[nodiscard]] const LinkRow* find(const std::string& node) const noexcept;
    [[nodiscard]] std::size_t connected() const noexcept;

private:
    std::vector<LinkRow> rows_;
    LinkRow& row(const std::string& node, bool* created = nullptr);
};

}  // namespace actors::dashboard
