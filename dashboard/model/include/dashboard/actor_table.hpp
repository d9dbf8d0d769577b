#pragma once
// The actor table: one row per actor the dashboard has seen, live or recently stopped, folded
// from a snapshot and then from events. Rows are found by actor id (any generation: a restart
// keeps the row and bumps its generation). Stopped rows stay, greyed out by the panels, until
// more than ModelOptions::stopped_rows_kept have piled up; then the oldest stopped go first.
//
// An event about an actor the table has never seen (the dashboard started late, or events were
// missed) creates a placeholder row named "?" rather than being dropped, so a live actor is never
// invisible; its ActorSpawned, should it come later, fills the row in. A stop (or a health signal
// clearing) of an unknown actor creates nothing: there would be nothing to show but a pid.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/event.hpp"
#include "actors/snapshot.hpp"

namespace actors::dashboard {

struct ActorRow {
    Pid pid;  // current generation
    std::string name;
    Pid parent;  // invalid for top-level actors
    ActorState state = ActorState::starting;
    std::optional<StopReason> stop_reason;  // set once stopped
    std::string stop_detail;
    std::size_t mailbox_depth = 0;       // from the latest stats sample (or snapshot)
    std::size_t mailbox_high_water = 0;  // highest depth any sample has shown
    std::size_t mailbox_capacity = 0;
    ActorCounters counters;              // latest sample (or snapshot)
    double processed_per_second = 0;     // between its last two samples
    std::uint64_t failures = 0;
    std::uint64_t restarts = 0;
    std::uint8_t health = 0;             // HealthSignal bits raised; 0 = healthy
    std::string last_error;
    // Spawn order. A stopped child stays listed (its own row says stopped) until that row is
    // evicted, so the tree still shows what just crashed.
    std::vector<Pid> children;
    TimePoint spawned_at{};
    TimePoint stopped_at{};
    std::uint64_t last_event_seq = 0;    // what touched it last (for "recently active" sorting)
    bool placeholder = false;            // created by an event before (or without) its ActorSpawned
    std::uint64_t samples = 0;           // stats samples that listed it

    [[nodiscard]] bool stopped() const noexcept { return state == ActorState::stopped; }
    [[nodiscard]] std::uint32_t generation() const noexcept { return pid.generation; }
};

// What the actor table panel asks for: a filter and a sort, answered as row indices.
enum class ActorColumn : std::uint8_t {
    pid, name, state, mailbox, high_water, processed, rate, failures, restarts, generation, health, recent
};
struct ActorQuery {
    std::string text;               // substring of the name or the printed pid; empty = all
    bool include_stopped = true;
    bool only_unhealthy = false;
    bool only_failing = false;      // failures > 0
    ActorColumn sort = ActorColumn::pid;
    bool descending = false;
};

class ActorTable {
public:
    explicit ActorTable(std::size_t stopped_rows_kept = 1000);

    void clear();
    void load(const ActorInfo& info, TimePoint now);
    // Each returns the row the event touched (nullptr if the actor is unknown and the event can
    // not create it).
    ActorRow* on_spawned(const ActorSpawned& e, TimePoint t, std::uint64_t seq);
    ActorRow* on_started(const ActorStarted& e, std::uint64_t seq);
    ActorRow* on_stopped(const ActorStopped& e, TimePoint t, std::uint64_t seq);
    ActorRow* on_failed(const ActorFailed& e, std::uint64_t seq);
    ActorRow* on_restarted(const ActorRestarted& e, std::uint64_t seq);
    ActorRow* on_resumed(const ActorResumed& e, std::uint64_t seq);
    ActorRow* on_health(Pid pid, HealthSignal signal, bool raised, std::uint64_t seq);
    ActorRow* on_sample(const ActorSample& s, Duration interval, std::uint64_t seq);
    // After the last on_sample of the sample `seq`: a sample lists only actors that moved, so a
    // row it left out processed nothing in that interval and its rate falls to 0.
    void end_sample(std::uint64_t seq);

    [[nodiscard]] const ActorRow* find(Pid pid) const;  // by id, any generation
    // Indices into rows() that pass the filter, sorted (ties by pid, so the order is stable).
    void query(const ActorQuery& q, std::vector<std::size_t>& out) const;
    [[nodiscard]] const std::vector<ActorRow>& rows() const noexcept { return rows_; }  // no order promised
    [[nodiscard]] std::size_t live() const noexcept { return live_; }
    [[nodiscard]] std::size_t unhealthy() const noexcept { return unhealthy_; }
    // Top-level actors (no parent, or a parent the table no longer has), spawn order.
    [[nodiscard]] std::vector<Pid> roots() const;

private:
    ActorRow* find_mut(Pid pid);
    ActorRow& insert(ActorRow row);
    void evict_stopped();
    void remove_row(std::size_t position);
    ActorRow& placeholder(Pid pid, ActorState state);
    // The row an event about `pid` touches: found, or a placeholder in `unseen` state for an actor
    // the table never saw; its generation and last_event_seq brought up to the event.
    ActorRow& touch(Pid pid, ActorState unseen, std::uint64_t seq);

    std::size_t stopped_rows_kept_;
    std::vector<ActorRow> rows_;
    std::unordered_map<std::uint64_t, std::size_t> index_;  // actor id -> position in rows_
    std::size_t live_ = 0;
    std::size_t unhealthy_ = 0;
    std::deque<std::uint64_t> stopped_order_;  // ids of stopped rows, oldest stop first
    std::vector<std::uint64_t> rated_;         // ids whose rate the latest sample set above 0
    std::vector<std::uint64_t> rated_next_;
};

}  // namespace actors::dashboard
