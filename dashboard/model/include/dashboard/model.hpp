#pragma once
// The dashboard's view model: plain C++ with no ImGui and no GL. It loads an engine snapshot
// once, then folds events (in sequence order) into the actor table and supervision tree, the
// event log, dead letters, health and rates. The panels only read it.
//
// Gaps: an EventsMissed event, or a sequence number that jumps, becomes a gap entry in the log
// and counts in missed_events(); the dashboard shows it instead of pretending it saw everything.
// A fresh model (no load()) expects the engine's event #1 first: starting later is a gap too.
//
// Overlap: events with seq <= the latest folded (or the snapshot's last_seq) are ignored. The
// totals start from the snapshot's `published` counts, taken together with last_seq, so every
// later event counts once. The snapshot's actors are read after last_seq and may already show an
// event just after it: its row is not changed twice (a spawn or stop of a row that has it is
// skipped, a failure or restart takes the engine's total_failures / total_restarts).
//
// Rates: the messages series is the difference of processed between successive stats samples,
// charged to the later sample's bucket; spawns, stops, dead letters and restarts count events;
// unhealthy is the number of unhealthy actors at each bucket's end.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/event.hpp"
#include "actors/snapshot.hpp"
#include "dashboard/actor_table.hpp"
#include "dashboard/dead_letters.hpp"
#include "dashboard/event_log.hpp"
#include "dashboard/links.hpp"
#include "dashboard/members.hpp"
#include "dashboard/placements.hpp"
#include "dashboard/time_series.hpp"

namespace actors::dashboard {

struct ModelOptions {
    std::size_t event_log_capacity = 20000;
    std::size_t dead_letter_capacity = 1000;
    std::size_t stopped_rows_kept = 1000;
    Duration bucket = std::chrono::seconds(1);
    std::size_t series_points = 120;

    void validate() const;  // throws std::invalid_argument naming the field
};

// Totals since the dashboard started watching (snapshot counters included).
struct Overview {
    std::size_t live_actors = 0;
    std::size_t unhealthy_actors = 0;
    std::uint64_t spawned = 0;
    std::uint64_t stopped = 0;
    std::uint64_t failures = 0;
    std::uint64_t restarts = 0;
    std::uint64_t dead_letters = 0;
    std::uint64_t overflows = 0;
    std::uint64_t max_restarts_exceeded = 0;
    std::uint64_t escalations = 0;
    std::size_t members_up = 0;      // cluster members currently joined
    std::uint64_t members_lost = 0;  // leaves by lease expiry (not graceful)
    std::size_t links_connected = 0; // remote links with a handshake done and open
    std::uint64_t links_down = 0;    // NodeDown events seen
    EngineCounters engine;  // latest stats sample (or the snapshot's)
    std::uint64_t events_folded = 0;
    std::uint64_t missed_events = 0;
    std::uint64_t last_seq = 0;
    TimePoint last_time{};
};

// One unhealthy actor, with what was measured when it turned so.
struct HealthEntry {
    Pid pid;
    std::string name;
    std::uint8_t signals = 0;  // HealthSignal bits
    Duration measured{};       // of the latest transition
    std::string detail;
    TimePoint since{};
};

class Model {
public:
    explicit Model(ModelOptions options = {});

    // Starts over from `s`: rows for its actors, totals from its counters; events with
    // seq <= s.last_seq are ignored afterwards (the snapshot already holds them).
    void load(const Snapshot& s);
    void fold(const Event& e);
    void fold(std::span<const Event> events);
    // Closes rate buckets up to `now` when no events come (an idle engine's rates fall to 0).
    void advance_to(TimePoint now);
    void clear();

    [[nodiscard]] const ActorTable& actors() const noexcept { return table_; }
    [[nodiscard]] const EventLog& log() const noexcept { return log_; }
    [[nodiscard]] EventLog& log() noexcept { return log_; }  // pause / resume
    [[nodiscard]] const DeadLetters& dead_letters() const noexcept { return dead_letters_; }
    [[nodiscard]] const Members& members() const noexcept { return members_; }
    [[nodiscard]] const Placements& placements() const noexcept { return placements_; }
    [[nodiscard]] const Links& links() const noexcept { return links_; }
    [[nodiscard]] const TimeSeries& series() const noexcept { return series_; }
    [[nodiscard]] const Overview& overview() const noexcept { return overview_; }
    // Unhealthy actors, longest-unhealthy first.
    [[nodiscard]] std::vector<HealthEntry> unhealthy() const;
    [[nodiscard]] const ModelOptions& options() const noexcept { return options_; }

private:
    ModelOptions options_;
    ActorTable table_;
    EventLog log_;
    DeadLetters dead_letters_;
    Members members_;
    Placements placements_;
    Links links_;
    TimeSeries series_;
    Overview overview_;
    std::unordered_map<std::uint64_t, HealthEntry> health_;
    std::uint64_t ignore_up_to_ = 0;
    bool have_seq_ = false;
    // The engine's processed count at the previous stats sample: the messages series is the
    // difference. Unknown after a late start without a snapshot (the first sample then only
    // sets it, rather than charging every message ever processed to one bucket).
    std::uint64_t last_processed_ = 0;
    bool have_processed_ = false;

    void fold_one(const Event& e);
    void gap(std::uint64_t first_seq, std::uint64_t count, TimePoint t);
    void health_changed(const Event& e, Pid pid, HealthSignal signal, bool raised, Duration measured, const std::string* detail);
    void refresh_levels();
};

}  // namespace actors::dashboard
