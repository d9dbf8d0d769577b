#pragma once
// Scripted event sequences for the dashboard model tests: events numbered 1, 2, 3, ... as the
// engine would number them, at explicit engine times.

#include <chrono>
#include <utility>
#include <vector>

#include "actors/event.hpp"

namespace actors::testing {

inline Pid pid_of(std::uint64_t id, std::uint32_t generation = 0) { return Pid{1, id, generation}; }

class EventScript {
public:
    // Appends the next event at `t`; returns its sequence number.
    std::uint64_t at(TimePoint t, EventBody body) {
        events_.push_back(Event{++seq_, t, std::move(body)});
        return seq_;
    }
    // Leaves `n` sequence numbers out, as a reader that fell behind would.
    void skip(std::uint64_t n) { seq_ += n; }
    [[nodiscard]] const std::vector<Event>& events() const { return events_; }
    [[nodiscard]] std::uint64_t last_seq() const { return seq_; }

private:
    std::uint64_t seq_ = 0;
    std::vector<Event> events_;
};

inline ActorSpawned spawned(std::uint64_t id, const char* name, std::uint64_t parent = 0) {
    return ActorSpawned{pid_of(id), parent ? pid_of(parent) : Pid{}, name, 1000};
}

inline ActorSample sample_of(std::uint64_t id, std::size_t depth, std::uint64_t processed, std::uint32_t generation = 0) {
    ActorSample s;
    s.pid = pid_of(id, generation);
    s.mailbox_depth = depth;
    s.counters.processed = processed;
    s.counters.received = processed + depth;
    return s;
}

inline StatsSampled stats(std::uint64_t processed, std::vector<ActorSample> actors,
                          Duration interval = std::chrono::seconds(1)) {
    StatsSampled s;
    s.interval = interval;
    s.counters.processed = processed;
    s.actors = std::move(actors);
    return s;
}

}  // namespace actors::testing
