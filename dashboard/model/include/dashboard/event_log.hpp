#pragma once
// The event log: the latest events in a bounded ring, with filters by kind and by actor, and a
// pause that freezes what the panel shows while folding goes on. Entries keep the Event itself,
// so the text is formatted only for the rows a panel actually draws.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/event.hpp"

namespace actors::dashboard {

// Index of an event kind in EventBody (std::variant index), plus one entry for a detected gap.
using EventKind = std::size_t;
inline constexpr EventKind kEventKinds = std::variant_size_v<EventBody>;
[[nodiscard]] const char* kind_label(EventKind k) noexcept;  // "spawned", ..., "events_missed"

struct LogEntry {
    Event event;
    // A gap: events first_seq..first_seq+missed-1 never reached the dashboard (the ring moved
    // on, or the sequence jumped). Shown as its own row so nothing is hidden.
    std::uint64_t missed = 0;
    // A StatsSampled entry keeps its counters but not its per-actor list (that is folded into the
    // table; a thousand samples of a thousand actors each would not be bounded memory), only
    // how long the list was.
    std::size_t sampled_actors = 0;
};

// The kind a log entry is filtered and counted as: a gap has its own kind, kGapKind.
inline constexpr EventKind kGapKind = kEventKinds;
[[nodiscard]] EventKind kind_of(const LogEntry& entry) noexcept;
// describe() of the entry's event, with the sampled actor count restored and gaps spelled out.
[[nodiscard]] std::string describe(const LogEntry& entry);

struct LogFilter {
    std::uint32_t kinds = ~0u;           // bit k set: show kind k (StatsSampled is off by default in the panel)
    std::optional<std::uint64_t> actor;  // actor id: events naming it (as pid, parent, target, sender, from, to, source)
    std::string text;                    // substring of describe(entry), ASCII case-insensitive; empty = any
};

class EventLog {
public:
    explicit EventLog(std::size_t capacity = 10000);

    void append(const Event& e);
    void append_gap(std::uint64_t first_seq, std::uint64_t count, TimePoint t);
    void clear();

    void pause() noexcept;
    void resume() noexcept;
    [[nodiscard]] bool paused() const noexcept { return paused_at_.has_value(); }

    // Entries that pass `f`, oldest first, as indices for entry(); while paused, only those
    // appended before the pause. Indices run 0..size()-1 from the oldest entry shown and are
    // valid until the next append (or pause/resume).
    void query(const LogFilter& f, std::vector<std::size_t>& out) const;
    [[nodiscard]] const LogEntry& entry(std::size_t index) const;
    [[nodiscard]] std::size_t size() const noexcept;       // entries shown (<= capacity); frozen while paused
    [[nodiscard]] std::size_t capacity() const noexcept { return ring_.size(); }
    [[nodiscard]] std::uint64_t appended() const noexcept { return appended_; }  // ever
    [[nodiscard]] std::uint64_t count_of(EventKind k) const noexcept;          // ever, by kind

private:
    std::vector<LogEntry> ring_;
    std::uint64_t appended_ = 0;
    std::optional<std::uint64_t> paused_at_;  // appended_ at the pause
    std::vector<std::uint64_t> per_kind_;
    // While paused the panel reads a copy taken at the pause: the ring goes on being overwritten
    // (at a million events a second it turns over in milliseconds), the copy does not.
    std::vector<LogEntry> frozen_;
    // The text filter matches the lowercased describe() of each entry; formatting is the costly
    // part, so each entry is formatted once and kept with its slot (a panel queries every frame).
    // Not thread-safe, like the rest: the panels query from the thread that folds.
    mutable std::vector<std::string> text_;            // per ring slot
    mutable std::vector<std::uint64_t> text_of_;       // append number + 1 the slot's text is of; 0 = none
    mutable std::vector<std::string> frozen_text_;     // per frozen entry; empty = not yet

    [[nodiscard]] const LogEntry& live_entry(std::size_t index) const;
    [[nodiscard]] const std::string& text_of(std::size_t index) const;
};

// The actor ids an event names (pid, parent, target, sender, from, to, source), for filtering.
// A stats sample names none: it is about the whole engine.
[[nodiscard]] bool names_actor(const Event& e, std::uint64_t actor_id) noexcept;

}  // namespace actors::dashboard
