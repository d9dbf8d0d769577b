#pragma once
// The event stream on the wire: events and snapshots as msgpack, for an observer in another
// process or a browser tab (the inspector endpoint of issue 14). The same msgpack as the remote
// protocol, so a reader in JavaScript decodes the same bytes.
//
//   event:    [seq, time_ns, kind, ...fields of that kind]       kind: see event_kind_names
//   snapshot: [last_seq, [published x8], time_ns, [counters x10], [actor...], [link...]]
//
// Pids are [node, id, generation] as the watched engine numbers them: opaque to the reader,
// valid in commands sent back to that engine. Durations and times are signed nanoseconds. A
// CustomEvent's typed value never crosses (it is a C++ object); its topic and data do.
// Decoding throws std::invalid_argument ("malformed event: ...") for anything else than what
// encoding makes; the counts msgpack reads are bounded by the input's size.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/event.hpp"
#include "actors/snapshot.hpp"
#include "remote/transport.hpp"

namespace actors::remote {

// The kinds' numbers on the wire are fixed by this list (protocol version 1); a new event kind
// is appended, never inserted.
inline constexpr const char* event_kind_names[] = {
    "spawned", "started", "stopped", "dead_letter", "overflow", "failed", "restarted", "resumed",
    "max_restarts", "escalated", "unhealthy", "healthy", "custom", "stats", "events_missed",
    "node_connected", "node_disconnected", "node_down", "link_replayed", "member_joined", "member_left",
    "activation_started", "activation_stopped",
};

[[nodiscard]] Bytes encode_event(const Event& e);
void encode_event(const Event& e, Bytes& out);  // appends to out
[[nodiscard]] Event decode_event(ByteView bytes);
[[nodiscard]] Bytes encode_snapshot(const Snapshot& s);
[[nodiscard]] Snapshot decode_snapshot(ByteView bytes);

}  // namespace actors::remote
