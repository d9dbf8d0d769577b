#pragma once
// Session: the protocol state machine of one link between this node and one peer node. No
// socket, no thread, no clock of its own: bytes in (on_frame), bytes out (next_frame), time in
// (every call takes `now`). So it compiles in wasm and is tested deterministically on an
// in-memory pipe with ManualClock. The wire format is in remote/PROTOCOL.md.
//
// One Session per peer node *name*, kept across connections: it owns the outbound sequence
// numbers, the bounded buffer of envelopes not yet acknowledged, and the last sequence number
// received from the peer's current incarnation. A connection comes and goes under it:
//   client:  open_client(now)            -> writes Hello, waits for Welcome
//   server:  read_hello(frame) on the first frame of an accepted connection, find or make the
//            Session for hello.node, then open_server(hello, now) -> writes Welcome
//   either:  connection_lost(now) when the socket closes; envelopes not acknowledged are kept
//            and replayed after the next open from the peer's last received number.
// Envelope payloads are opaque bytes here (the Node encodes target, sender, type, body).
//
// Not thread-safe: the owner serialises calls (a mutex per link, or one thread).

#include <chrono>
#include <functional>
#include <memory>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/clock.hpp"
#include "remote/transport.hpp"

namespace actors::remote {

// The protocol versions this build speaks: oldest_protocol_version..protocol_version. A client's
// Hello says protocol_version; a server answers a Hello of any version it speaks in that
// version, and refuses another, naming these (PROTOCOL.md 8).
inline constexpr std::uint32_t protocol_version = 2;
inline constexpr std::uint32_t oldest_protocol_version = 1;

// Every tunable of the protocol, with its default, in one place.
struct SessionOptions {
    std::string node_name;            // this node's name (required, 1..255 bytes)
    std::uint64_t incarnation = 0;    // this process start's random 64-bit id (required, != 0)
    std::string token;                // shared secret; compared in constant time
    bool require_token = true;        // false only when the user turns auth off explicitly
    std::size_t max_frame_bytes = 1u << 20;        // the largest frame this side accepts
    std::size_t ack_every = 250;                   // acknowledge after this many envelopes...
    Duration ack_interval = std::chrono::milliseconds(20);  // ...or this long, whichever first
    Duration heartbeat_interval = std::chrono::milliseconds(500);
    unsigned heartbeat_misses = 6;                 // silent this many intervals: peer is down
    // Client: Welcome must arrive this long after open_client (else on_peer_down). Server: the
    // owner closes an accepted connection whose Hello has not arrived within it (no Session
    // exists yet then).
    Duration handshake_timeout = std::chrono::seconds(5);
    // After the connection is lost, envelopes still unacknowledged wait this long for a
    // reconnect; then they become dead letters (remote_unreachable).
    Duration reconnect_deadline = std::chrono::seconds(10);
    std::size_t buffer_max_envelopes = 1u << 16;   // bound of the unacknowledged buffer...
    std::size_t buffer_max_bytes = 64u << 20;      // ...by count and by bytes
    // Version 2: the names this side's envelopes may refer to by index (the Node's registered
    // message types, in registration order; the list may only grow while the process runs).
    // Announced in every handshake, as many of the first as fit (see types_announced()).
    std::function<std::vector<std::string>()> message_types;
};

// What a Hello says (client -> server). Welcome (server -> client) carries the same fields.
struct Hello {
    std::uint32_t version = protocol_version;
    std::string node;
    std::uint64_t incarnation = 0;
    std::string token;
    std::uint64_t max_frame_bytes = 0;
    // What the sender last received from the receiver: the receiver's incarnation it was from
    // (0: none) and the highest sequence number received from it.
    std::uint64_t seen_incarnation = 0;
    std::uint64_t last_received = 0;
    // Version 2: the sender's message type names; its envelopes may name a type by its index here.
    std::vector<std::string> types;
};

// Why a connection is refused or closed by the protocol; `reason` is the close reason to send.
struct Refusal {
    std::string reason;
};

// Server side: the first frame of an accepted connection. Checks framing, version, token
// (constant time), names and sizes. A Refusal's reason is what to close the connection with.
[[nodiscard]] std::variant<Hello, Refusal> read_hello(ByteView frame, const SessionOptions& local);

enum class RemoteDeadLetter : std::uint8_t {
    remote_restarted,    // the peer came back as a new incarnation before acknowledging it
    remote_unreachable,  // no reconnect within reconnect_deadline, and never written to the peer
    buffer_full,         // refused at push(): the unacknowledged buffer is full
    // Pushed before the first handshake (sized against this side's limit) but larger than the
    // peer then announced it accepts: it can never be written.
    too_large,
    // No reconnect within reconnect_deadline, but written to the peer (on a connection that
    // was lost before its ack came): it may have been delivered.
    remote_maybe_delivered,
};
[[nodiscard]] const char* to_string(RemoteDeadLetter r) noexcept;

struct LinkCounters {
    std::uint64_t sent = 0;               // envelopes accepted by push()
    std::uint64_t acknowledged = 0;       // of those, acknowledged by the peer
    std::uint64_t replayed = 0;           // written again after a reconnect
    std::uint64_t delivered = 0;          // envelopes received and handed to on_envelope
    std::uint64_t duplicates_dropped = 0; // received again (seq already delivered), dropped
    std::uint64_t dead_lettered = 0;      // sent envelopes that became dead letters
    std::uint64_t bytes_out = 0;
    std::uint64_t bytes_in = 0;
    std::uint64_t frames_out = 0;
    std::uint64_t frames_in = 0;
    Duration rtt{0};                      // last heartbeat round trip
    // sent == acknowledged + dead_lettered + in_flight() at every moment.
    [[nodiscard]] std::uint64_t in_flight() const noexcept { return sent - acknowledged - dead_lettered; }
};

// What a Session tells its owner. Called synchronously from inside Session's own methods.
class SessionEvents {
public:
    virtual ~SessionEvents() = default;
    // Handshake done. `peer_restarted`: the peer is a new incarnation of a node this session had
    // talked to (the old buffer was dead-lettered just before, remote_restarted). `replayed`:
    // envelopes queued again for writing from the peer's last received number.
    virtual void on_ready(const Hello& peer, bool peer_restarted, std::size_t replayed) = 0;
    // One envelope, exactly once and in order within this pair of incarnations.
    virtual void on_envelope(ByteView payload) = 0;
    // Sent envelopes that will never be delivered, with why.
    virtual void on_dead_letters(std::vector<Bytes> payloads, RemoteDeadLetter reason) = 0;
    // No frame from the peer for heartbeat_misses intervals while connected, or the handshake
    // did not finish in time: the owner closes the connection (with this reason) and treats the
    // peer as down (requests to it fail with node_down, watches fire).
    virtual void on_peer_down(const std::string& reason) = 0;
    // The peer broke the protocol (bad frame, ack for a number never sent, ...): close the
    // connection with this reason. One log line is the owner's.
    virtual void on_protocol_error(const std::string& reason) = 0;
};

class Session {
public:
    Session(SessionOptions options, SessionEvents& events);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void open_client(TimePoint now);
    void open_server(const Hello& hello, TimePoint now);
    void connection_lost(TimePoint now);

    void on_frame(ByteView frame, TimePoint now);
    // Timers: ack batching, heartbeats, handshake timeout, reconnect deadline. Call at least
    // every next_deadline() (or more often).
    void on_tick(TimePoint now);
    [[nodiscard]] std::optional<TimePoint> next_deadline() const;

    enum class Push : std::uint8_t { accepted, buffer_full, too_large };
    // What push() does when the buffer is full:
    //   refuse           nothing changes (buffer_full);
    //   evict_unwritten  room is made by evicting the oldest envelopes that were pushed so too
    //                    and that the peer has never been sent (none written on any connection,
    //                    so none can have been delivered); they become dead letters
    //                    (buffer_full) before push() returns. When no such envelope is left, the
    //                    new one is refused. The overflow path is O(buffer);
    //   overshoot        accepted past the bounds: for control envelopes (replies, watches,
    //                    lookups) that are bounded by what caused them, and whose refusal would
    //                    lose an answer silently. Never evicted.
    enum class WhenFull : std::uint8_t { refuse, evict_unwritten, overshoot };
    // Queue one envelope. Accepted envelopes are written when connected and kept until
    // acknowledged; buffer_full / too_large leave the payload with the caller.
    // `now` is read only while not ready() (it starts the reconnect deadline), so a caller may
    // skip the clock read while the link is up.
    [[nodiscard]] Push push(Bytes payload, TimePoint now, WhenFull when_full = WhenFull::refuse);
    // As above, copied into a buffer of an envelope acknowledged earlier (the buffers are kept
    // for reuse, so a steady stream allocates none).
    [[nodiscard]] Push push(ByteView payload, TimePoint now, WhenFull when_full = WhenFull::refuse);

    // The next frame to write: pending ack, heartbeat, and as many queued envelopes as fit the
    // peer's frame limit. Nothing when there is nothing to write.
    [[nodiscard]] std::optional<Bytes> next_frame(TimePoint now);
    [[nodiscard]] bool wants_write() const;

    // This side's incarnation is leaving for good (a node shutting down, a page closing). The
    // frame that writes the last queued envelope also says goodbye, with the reason (cut at 123
    // bytes); the peer then treats this incarnation as gone at once (its on_peer_down: requests
    // fail with node_down, watches fire) instead of after its heartbeats or reconnect deadline.
    // Once that frame is written the session is closing: the owner closes the connection.
    void goodbye(std::string reason);
    [[nodiscard]] bool goodbye_written() const noexcept;

    [[nodiscard]] bool ready() const noexcept;  // handshake done and connected
    // The protocol version of the last handshake (0: none yet).
    [[nodiscard]] std::uint32_t version() const noexcept;
    // How many of SessionOptions::message_types (from the first) the last handshake announced to
    // the peer (0 in version 1). Every later handshake to the same peer incarnation announces at
    // least as many, so an envelope that names a type by an index below it stays readable when
    // it is replayed on a later connection.
    [[nodiscard]] std::size_t types_announced() const noexcept;
    // A client refused with "unsupported protocol version ...; this node speaks L": when L holds
    // an older version this side speaks too, the next open_client() says that one, and true.
    bool downgrade(std::string_view close_reason);
    [[nodiscard]] const std::optional<Hello>& peer() const noexcept;  // the last handshake's
    [[nodiscard]] const LinkCounters& counters() const noexcept;
    // The unacknowledged buffer now (== counters().in_flight()), for snapshots and flow control.
    [[nodiscard]] std::size_t buffered_envelopes() const noexcept;
    [[nodiscard]] std::size_t buffered_bytes() const noexcept;

private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace actors::remote
