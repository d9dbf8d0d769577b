#pragma once
// Counters and the engine snapshot: what an observer that starts late reads once, before folding
// events from snapshot.last_seq on.
//
// Conservation: every user message sent ends up processed, dead-lettered or dropped:
//     sent == processed + dead_lettered + dropped + in_flight
// and in_flight is 0 once the engine is quiescent (always after shutdown()).

#include <cstdint>
#include <string>
#include <vector>

#include "actors/clock.hpp"
#include "actors/mailbox_options.hpp"
#include "actors/pid.hpp"

namespace actors {

// suspended: failed, waiting for its supervisor's decision; restarting: waiting out the restart
// delay or for its children to stop before the new instance starts.
enum class ActorState : std::uint8_t { starting, running, suspended, restarting, stopping, stopped };
[[nodiscard]] const char* to_string(ActorState s) noexcept;

struct ActorCounters {
    std::uint64_t received = 0;       // messages addressed to it (accepted or refused)
    std::uint64_t processed = 0;      // handled by receive()
    std::uint64_t dead_lettered = 0;  // accepted but never handled (it stopped, or the handler threw)
    std::uint64_t dropped = 0;        // refused or evicted by the overflow policy
    std::uint64_t sent = 0;           // messages this actor sent
};

struct EngineCounters {
    std::uint64_t sent = 0;
    std::uint64_t processed = 0;
    std::uint64_t dead_lettered = 0;  // includes messages to unknown or stopped actors
    std::uint64_t dropped = 0;
    std::uint64_t in_flight = 0;      // queued, or being handled right now
    std::uint64_t spawned = 0;
    std::uint64_t stopped = 0;
    std::uint64_t restarts = 0;
    std::uint64_t failures = 0;
    std::uint64_t live_actors = 0;
};

struct ActorInfo {
    Pid pid;
    std::string name;
    Pid parent;
    ActorState state = ActorState::starting;
    std::size_t mailbox_depth = 0;
    std::size_t mailbox_capacity = 0;
    OverflowPolicy overflow = OverflowPolicy::drop_newest;
    ActorCounters counters;
    std::vector<Pid> children;  // spawn order
    std::uint64_t restarts = 0;     // since spawn
    std::uint64_t failures = 0;     // since spawn
    std::uint8_t health = 0;        // HealthSignal bits currently raised; 0 = healthy
    std::string last_error;
};

// Events published up to the snapshot's last_seq, by kind, counted by the event stream in the same
// step that numbered them. `counters` and `actors` are read after last_seq, so they may already
// include an event just after it; these totals never do. An observer that starts from them and
// folds the events after last_seq counts each event exactly once.
struct PublishedTotals {
    std::uint64_t spawned = 0;                // ActorSpawned
    std::uint64_t stopped = 0;                // ActorStopped
    std::uint64_t failures = 0;               // ActorFailed
    std::uint64_t restarts = 0;               // ActorRestarted
    std::uint64_t dead_letters = 0;           // DeadLetter (a dropped message publishes one too)
    std::uint64_t overflows = 0;              // MailboxOverflow
    std::uint64_t max_restarts_exceeded = 0;  // MaxRestartsExceeded
    std::uint64_t escalations = 0;            // Escalated
};

// One link to another node (actors::remote), as its router reports it. The runtime has no
// network code: these are filled by the attached RemoteRouter (empty without one).
struct LinkStats {
    std::string node;                     // the peer node's name
    std::uint64_t incarnation = 0;        // the peer's current incarnation (0: never connected)
    bool connected = false;               // handshake done, connection open
    bool down = false;                    // declared down (requests to it fail at once)
    std::uint64_t sent = 0;               // envelopes accepted for the link
    std::uint64_t acknowledged = 0;       // of those, acknowledged by the peer
    std::uint64_t replayed = 0;           // written again after a reconnect
    std::uint64_t delivered = 0;          // envelopes received from the peer
    std::uint64_t duplicates_dropped = 0; // received again after a replay, dropped
    std::uint64_t dead_lettered = 0;      // sent envelopes that became dead letters
    std::uint64_t in_flight = 0;          // sent - acknowledged - dead_lettered
    std::uint64_t bytes_out = 0;
    std::uint64_t bytes_in = 0;
    Duration rtt{0};                      // last heartbeat round trip
};

struct Event;  // event.hpp (which includes this file; it is included at the end of this one)

struct Snapshot {
    std::uint64_t last_seq = 0;  // fold events with seq > last_seq on top of this
    PublishedTotals published;   // taken together with last_seq
    TimePoint time{};
    EngineCounters counters;
    std::vector<ActorInfo> actors;  // spawn order
    std::vector<LinkStats> links;   // the remote router's links, by peer name
    // State kept outside the engine (a cluster's members and activations), restated as events
    // (EventStream::add_standing), numbered last_seq: fold them right after the rest, and a
    // later event about the same thing on top (folding one twice must change nothing).
    std::vector<Event> standing;
};

}  // namespace actors

#include "actors/event.hpp"  // Event, complete wherever a Snapshot is
