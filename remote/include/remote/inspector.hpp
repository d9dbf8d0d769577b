#pragma once
// The inspector protocol: an engine's event stream and commands over a connection, so a
// dashboard in another process or a browser tab watches and drives it (issue 14). Portable, no
// socket: like Session, bytes in / bytes out, driven by its owner; the transport is a thin
// adapter. Frames are msgpack arrays on WebSocket binary frames, events and snapshots encoded by
// event_codec.hpp. The wire format is in remote/INSPECTOR.md.
//
//   client                                   server (one InspectorServer per connection)
//   Attach{version, client id, token,  --->  refuses (a close reason) or
//          engine seen, last seq}      <---  Welcome{role, engine}, Snapshot (unless resuming),
//                                      <---  Events{first seq, events...} / Gap{first, count}
//   Ack{seq}                           --->  (the window of unacknowledged events moves on)
//   Command{index, kind, pid, text}    --->  executed once per (client id, index)
//                                      <---  Result{index, ok, detail}
//
// A slow client never slows the engine: the server reads the engine's ring with a cursor and
// sends at most `window` events ahead of the client's ack; a client that falls behind the ring
// gets a Gap naming exactly what it missed. A client that reconnects sends its last sequence
// number and resumes there (a Gap for what the ring no longer holds), or gets a new Snapshot if
// the engine it watched is gone (another incarnation).

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/clock.hpp"
#include "actors/event.hpp"
#include "actors/event_stream.hpp"
#include "actors/snapshot.hpp"
#include "remote/transport.hpp"

namespace actors::remote {

inline constexpr std::uint32_t inspector_version = 1;

enum class InspectorRole : std::uint8_t { watch, control };
[[nodiscard]] const char* to_string(InspectorRole r) noexcept;

enum class CommandKind : std::uint8_t {
    stop,         // stop the actor `pid`
    fail,         // inject a failure into `pid` (its supervisor decides)
    send,         // send `text` to `pid` as a text message
    spawn_child,  // spawn a child under `pid`
    pause,        // stop streaming events to this client (commands still work)
    resume,       // stream again from where it paused (a Gap if the ring moved past it)
};
inline constexpr std::uint8_t command_kind_count = 6;
[[nodiscard]] const char* to_string(CommandKind k) noexcept;

struct InspectorCommand {
    std::uint64_t index = 0;  // per client, from 1; a resend after a reconnect reuses it
    CommandKind kind = CommandKind::stop;
    Pid pid;
    std::string text;
};

struct CommandResult {
    bool ok = false;
    std::string detail;  // what happened, or why not
};

// What the server reads and drives. Called from the owner's thread (the one that calls the
// InspectorServer); an engine adapter forwards to Engine::snapshot(), events().read_since() and
// the actions.
class InspectorSource {
public:
    virtual ~InspectorSource() = default;
    [[nodiscard]] virtual std::string name() const = 0;          // shown in the client's header
    [[nodiscard]] virtual std::uint64_t incarnation() const = 0; // changes when the engine is another
    [[nodiscard]] virtual Snapshot snapshot() = 0;
    [[nodiscard]] virtual EventBatch read_since(std::uint64_t cursor, std::size_t max) = 0;
    virtual CommandResult execute(const InspectorCommand& command) = 0;  // stop/fail/send/spawn_child
};

struct InspectorOptions {
    std::string control_token;  // may read and command
    std::string watch_token;    // may only read ("" : no watch-only token)
    bool require_token = true;  // false: every client controls (set only on purpose)
    // Events sent and not yet acknowledged, at most. A dashboard acknowledges what it folded,
    // once per frame, so window x frames/s is the most it keeps up with (16,384 at 60 frames/s:
    // ~1 M events/s at most; bench_inspector folds 400 k/s with no loss), and at most that many
    // events wait in the client.
    std::size_t window = 16384;
    std::size_t batch = 512;    // events per frame, at most
    std::size_t max_frame_bytes = 16u << 20;  // the largest frame this side writes or reads (a snapshot is one)
    std::size_t max_command_text = 64u << 10;
    void validate() const;  // throws std::invalid_argument naming the field
};

// Remembers the commands each client had executed, across its connections, so a command resent
// after a reconnect runs once. Shared by the InspectorServers of one endpoint; thread-safe;
// bounded (the oldest clients are forgotten past max_clients; per client the last
// results_per_client results are kept to answer resends).
class CommandLedger {
public:
    explicit CommandLedger(std::size_t max_clients = 1024, std::size_t results_per_client = 256);
    // The recorded result when (client, index) ran before; otherwise runs `run` and records it.
    template <class F>
    CommandResult once(std::uint64_t client, std::uint64_t index, F&& run);

private:
    struct Client {
        std::uint64_t highest = 0;
        std::map<std::uint64_t, CommandResult> results;
        std::uint64_t used = 0;
    };
    std::mutex mutex_;
    std::unordered_map<std::uint64_t, Client> clients_;
    std::size_t max_clients_, per_client_;
    std::uint64_t tick_ = 0;
    std::optional<CommandResult> seen(std::uint64_t client, std::uint64_t index);
    void record(std::uint64_t client, std::uint64_t index, const CommandResult& r);
};

class InspectorServer {
public:
    InspectorServer(InspectorOptions options, InspectorSource& source, CommandLedger& ledger);

    // A frame from the client. Returns a close reason when the connection must close (a refused
    // attach, a malformed frame, an ack for events never sent); the owner closes with it.
    [[nodiscard]] std::optional<std::string> on_frame(ByteView frame);
    // The next frame to write: the welcome, the snapshot, command results, then events within the
    // window. Call until nullopt, and again when the engine published events (or on a timer).
    [[nodiscard]] std::optional<Bytes> next_frame();

    [[nodiscard]] bool attached() const noexcept { return role_.has_value(); }
    [[nodiscard]] std::optional<InspectorRole> role() const noexcept { return role_; }
    [[nodiscard]] std::uint64_t cursor() const noexcept { return cursor_; }   // sent up to
    [[nodiscard]] std::uint64_t acked() const noexcept { return acked_; }
    [[nodiscard]] std::uint64_t gaps_sent() const noexcept { return gaps_; }  // events reported missed

private:
    InspectorOptions options_;
    InspectorSource& source_;
    CommandLedger& ledger_;
    std::optional<InspectorRole> role_;
    std::uint64_t client_ = 0;
    bool welcome_due_ = false;
    std::optional<Bytes> snapshot_due_;
    std::vector<Bytes> results_due_;
    std::uint64_t cursor_ = 0;  // the last sequence number sent (or reported missed)
    std::uint64_t acked_ = 0;
    std::uint64_t gaps_ = 0;
    bool paused_ = false;
    Bytes encoded_;                          // the events of the frame being built, kept for reuse
    std::vector<std::size_t> encoded_ends_;  // where each of them ends in encoded_
    std::optional<std::string> on_attach(const std::vector<std::uint8_t>& frame);
};

// What an InspectorClient tells its owner (the dashboard's remote source).
class InspectorClientEvents {
public:
    virtual ~InspectorClientEvents() = default;
    virtual void on_welcome(const std::string& engine, InspectorRole role, bool snapshot_follows) = 0;
    virtual void on_snapshot(const Snapshot& s) = 0;
    virtual void on_events(std::span<const Event> events) = 0;
    // Events the server could not send (the ring overwrote them while this client was behind or
    // away): exactly which.
    virtual void on_gap(std::uint64_t first_seq, std::uint64_t count) = 0;
    virtual void on_result(const InspectorCommand& command, const CommandResult& result) = 0;
};

struct InspectorClientOptions {
    std::string token;
    std::uint64_t client_id = 0;  // random, != 0: keys the server's command ledger
    std::size_t max_frame_bytes = 64u << 20;  // a snapshot of many actors is large
    std::size_t ack_every = 256;
    Duration ack_interval = std::chrono::milliseconds(50);
    // Acknowledge only what the owner says it folded (InspectorClient::folded), not what
    // arrived: an owner that folds later than it receives (a window folding once per frame)
    // then holds the server to its window instead of queueing without bound, and when it is
    // too slow it falls behind the ring and gets a Gap, as a slow dashboard should.
    bool ack_when_folded = false;
};

class InspectorClient {
public:
    InspectorClient(InspectorClientOptions options, InspectorClientEvents& events);

    void open(TimePoint now);  // a new connection: Attach goes first, unanswered commands again
    void connection_lost();
    // A frame from the server; a close reason when it breaks the protocol.
    [[nodiscard]] std::optional<std::string> on_frame(ByteView frame, TimePoint now);
    [[nodiscard]] std::optional<Bytes> next_frame(TimePoint now);
    // Queues a command; sent now or after the next attach. Returns its index.
    std::uint64_t command(CommandKind kind, Pid pid = {}, std::string text = {});
    // With ack_when_folded: everything up to `seq` (events and gaps) is folded and may be
    // acknowledged; next_frame() then carries the ack when one is due.
    void folded(std::uint64_t seq) noexcept;

    [[nodiscard]] bool attached() const noexcept { return attached_; }
    [[nodiscard]] std::uint64_t last_seq() const noexcept { return last_seq_; }
    [[nodiscard]] std::size_t commands_waiting() const noexcept { return commands_.size(); }

private:
    InspectorClientOptions options_;
    InspectorClientEvents& events_;
    bool open_ = false, attach_due_ = false, attached_ = false;
    std::uint64_t engine_incarnation_ = 0;
    std::uint64_t last_seq_ = 0, ack_sent_ = 0, folded_ = 0;
    std::optional<TimePoint> ack_since_;
    std::uint64_t next_index_ = 1;
    std::map<std::uint64_t, InspectorCommand> commands_;  // not answered yet
    std::uint64_t sent_upto_ = 0;                         // commands written on this connection
};

template <class F>
CommandResult CommandLedger::once(std::uint64_t client, std::uint64_t index, F&& run) {
    if (auto r = seen(client, index)) return *r;
    CommandResult result = run();
    record(client, index, result);
    return result;
}

}  // namespace actors::remote
