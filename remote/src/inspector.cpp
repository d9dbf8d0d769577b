#include "remote/inspector.hpp"

#include <algorithm>
#include <stdexcept>

#include <msgpack.hpp>

#include "remote/scratch_zone.hpp"

#include "constant_time.hpp"
#include "remote/event_codec.hpp"

namespace actors::remote {

const char* to_string(InspectorRole r) noexcept { return r == InspectorRole::control ? "control" : "watch"; }

const char* to_string(CommandKind k) noexcept {
    switch (k) {
        case CommandKind::stop: return "stop";
        case CommandKind::fail: return "fail";
        case CommandKind::send: return "send";
        case CommandKind::spawn_child: return "spawn_child";
        case CommandKind::pause: return "pause";
        case CommandKind::resume: return "resume";
    }
    return "?";
}

void InspectorOptions::validate() const {
    if (require_token && control_token.empty())
        throw std::invalid_argument("InspectorOptions::control_token is required (or set require_token = false on purpose)");
    if (!watch_token.empty() && watch_token == control_token)
        throw std::invalid_argument("InspectorOptions::watch_token must differ from control_token");
    if (window == 0) throw std::invalid_argument("InspectorOptions::window must be at least 1");
    if (batch == 0) throw std::invalid_argument("InspectorOptions::batch must be at least 1");
    if (max_frame_bytes < 1024) throw std::invalid_argument("InspectorOptions::max_frame_bytes must be at least 1024");
}

namespace {

// Frame kinds (INSPECTOR.md).
enum Kind : std::uint8_t { k_attach = 1, k_welcome = 2, k_snapshot = 3, k_events = 4, k_gap = 5, k_ack = 6, k_command = 7, k_result = 8 };

using detail_registry::BytesWriter;
using Packer = msgpack::packer<BytesWriter>;

// A frame packed straight into the bytes that leave.
struct Out {
    explicit Out(std::size_t reserve = 128) { bytes.reserve(reserve); }
    Bytes bytes;
    BytesWriter sink{bytes};
    Packer p{sink};
    Bytes finish() { return std::move(bytes); }
    void bin(ByteView b) {
        p.pack_bin(static_cast<std::uint32_t>(b.size()));
        p.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<std::uint32_t>(b.size()));
    }
    void pid(const Pid& x) {
        p.pack_array(3);
        p.pack(std::uint64_t{x.node});
        p.pack(x.id);
        p.pack(std::uint64_t{x.generation});
    }
};

struct BadFrame : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// One frame's fields, read in order with their types checked.
class In {
public:
    explicit In(ByteView frame) {
        const std::size_t n = frame.size();
        const msgpack::unpack_limit limit(n, 0, n, n, 0, 3);
        std::size_t offset = 0;
        try {
            handle_ = msgpack::unpack(reinterpret_cast<const char*>(frame.data()), n, offset, nullptr, nullptr, limit);
        } catch (const std::exception& e) {
            throw BadFrame(std::string("malformed inspector frame: not msgpack (") + e.what() + ")");
        }
        if (offset != n) throw BadFrame("malformed inspector frame: trailing bytes");
        const msgpack::object& o = handle_.get();
        if (o.type != msgpack::type::ARRAY || o.via.array.size == 0) throw BadFrame("malformed inspector frame: not [kind, ...]");
        items_ = o.via.array.ptr;
        size_ = o.via.array.size;
        kind_ = static_cast<std::uint8_t>(u64());
    }
    [[nodiscard]] std::uint8_t kind() const noexcept { return kind_; }
    void expect(std::size_t fields, const char* what) const {
        if (size_ != fields + 1)
            throw BadFrame(std::string("malformed inspector frame: ") + what + " has " + std::to_string(size_ - 1) + " fields, not " +
                           std::to_string(fields));
    }
    const msgpack::object& next() {
        if (pos_ >= size_) throw BadFrame("malformed inspector frame: ends early");
        return items_[pos_++];
    }
    std::uint64_t u64() {
        const auto& o = next();
        if (o.type != msgpack::type::POSITIVE_INTEGER) throw BadFrame("malformed inspector frame: expected an unsigned integer");
        return o.via.u64;
    }
    std::string str() {
        const auto& o = next();
        if (o.type != msgpack::type::STR) throw BadFrame("malformed inspector frame: expected a string");
        return std::string(o.via.str.ptr, o.via.str.size);
    }
    bool boolean() {
        const auto& o = next();
        if (o.type != msgpack::type::BOOLEAN) throw BadFrame("malformed inspector frame: expected a boolean");
        return o.via.boolean;
    }
    ByteView bin() {
        const auto& o = next();
        if (o.type != msgpack::type::BIN) throw BadFrame("malformed inspector frame: expected bytes");
        return ByteView(reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr), o.via.bin.size);
    }
    std::vector<ByteView> bins() {
        const auto& o = next();
        if (o.type != msgpack::type::ARRAY) throw BadFrame("malformed inspector frame: expected a list of events");
        std::vector<ByteView> out;
        for (std::uint32_t i = 0; i < o.via.array.size; ++i) {
            const auto& b = o.via.array.ptr[i];
            if (b.type != msgpack::type::BIN) throw BadFrame("malformed inspector frame: an event is not bytes");
            out.emplace_back(reinterpret_cast<const std::uint8_t*>(b.via.bin.ptr), b.via.bin.size);
        }
        return out;
    }
    Pid pid() {
        const auto& o = next();
        if (o.type != msgpack::type::ARRAY || o.via.array.size != 3) throw BadFrame("malformed inspector frame: a pid is [node, id, generation]");
        Pid p;
        const auto* f = o.via.array.ptr;
        for (int i = 0; i < 3; ++i)
            if (f[i].type != msgpack::type::POSITIVE_INTEGER) throw BadFrame("malformed inspector frame: a pid field is not a number");
        if (f[0].via.u64 > 0xffffffffu || f[2].via.u64 > 0xffffffffu) throw BadFrame("malformed inspector frame: a pid field is out of range");
        p.node = static_cast<std::uint32_t>(f[0].via.u64);
        p.id = f[1].via.u64;
        p.generation = static_cast<std::uint32_t>(f[2].via.u64);
        return p;
    }

private:
    msgpack::object_handle handle_;
    const msgpack::object* items_ = nullptr;
    std::size_t size_ = 0, pos_ = 0;
    std::uint8_t kind_ = 0;
};

Bytes result_frame(std::uint64_t index, const CommandResult& r) {
    Out o;
    o.p.pack_array(4);
    o.p.pack(std::uint8_t{k_result});
    o.p.pack(index);
    o.p.pack(r.ok);
    o.p.pack(r.detail);
    return o.finish();
}

Bytes gap_frame(std::uint64_t first, std::uint64_t count) {
    Out o;
    o.p.pack_array(3);
    o.p.pack(std::uint8_t{k_gap});
    o.p.pack(first);
    o.p.pack(count);
    return o.finish();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// CommandLedger

CommandLedger::CommandLedger(std::size_t max_clients, std::size_t results_per_client)
    : max_clients_(std::max<std::size_t>(1, max_clients)), per_client_(std::max<std::size_t>(1, results_per_client)) {}

std::optional<CommandResult> CommandLedger::seen(std::uint64_t client, std::uint64_t index) {
    std::lock_guard lock(mutex_);
    auto c = clients_.find(client);
    if (c == clients_.end() || index > c->second.highest) return std::nullopt;
    c->second.used = ++tick_;
    if (auto r = c->second.results.find(index); r != c->second.results.end()) return r->second;
    // Older than the results kept: it ran (indexes only grow), its answer is forgotten.
    return CommandResult{true, "already executed (command " + std::to_string(index) + ")"};
}

void CommandLedger::record(std::uint64_t client, std::uint64_t index, const CommandResult& r) {
    std::lock_guard lock(mutex_);
    if (!clients_.count(client) && clients_.size() >= max_clients_) {
        auto oldest = std::min_element(clients_.begin(), clients_.end(),
                                       [](const auto& a, const auto& b) { return a.second.used < b.second.used; });
        clients_.erase(oldest);
    }
    Client& c = clients_[client];
    c.highest = std::max(c.highest, index);
    c.used = ++tick_;
    c.results[index] = r;
    while (c.results.size() > per_client_) c.results.erase(c.results.begin());
}

// ---------------------------------------------------------------------------------------------
// InspectorServer

InspectorServer::InspectorServer(InspectorOptions options, InspectorSource& source, CommandLedger& ledger)
    : options_(std::move(options)), source_(source), ledger_(ledger) {
    options_.validate();
}

std::optional<std::string> InspectorServer::on_frame(ByteView frame) {
    if (frame.size() > options_.max_frame_bytes)
        return "frame of " + std::to_string(frame.size()) + " bytes over the limit of " + std::to_string(options_.max_frame_bytes);
    try {
        In in(frame);
        if (!role_) {
            if (in.kind() != k_attach) return std::string("expected Attach first");
            in.expect(5, "Attach");
            const std::uint64_t version = in.u64();
            if (version != inspector_version)
                return "inspector protocol version " + std::to_string(version) + " is not spoken here; this server speaks " +
                       std::to_string(inspector_version);
            client_ = in.u64();
            const std::string token = in.str();
            const std::uint64_t engine_seen = in.u64();
            const std::uint64_t last_seq = in.u64();
            if (client_ == 0) return std::string("Attach without a client id");
            if (!options_.require_token || constant_time_equal(token, options_.control_token)) role_ = InspectorRole::control;
            else if (!options_.watch_token.empty() && constant_time_equal(token, options_.watch_token)) role_ = InspectorRole::watch;
            else return std::string("wrong token");
            welcome_due_ = true;
            // Resume where the client was, if it watched this very engine; else start from a snapshot.
            if (engine_seen == source_.incarnation() && last_seq != 0) {
                cursor_ = acked_ = last_seq;
            } else {
                const Snapshot s = source_.snapshot();
                cursor_ = acked_ = s.last_seq;
                snapshot_due_ = encode_snapshot(s);
                if (snapshot_due_->size() + 16 > options_.max_frame_bytes)
                    return "the snapshot (" + std::to_string(snapshot_due_->size()) + " bytes) is larger than a frame may be (" +
                           std::to_string(options_.max_frame_bytes) + "); raise max_frame_bytes";
            }
            return std::nullopt;
        }
        switch (in.kind()) {
            case k_ack: {
                in.expect(1, "Ack");
                const std::uint64_t seq = in.u64();
                if (seq > cursor_) return "ack for event " + std::to_string(seq) + ", but only " + std::to_string(cursor_) + " were sent";
                acked_ = std::max(acked_, seq);
                return std::nullopt;
            }
            case k_command: {
                in.expect(4, "Command");
                InspectorCommand c;
                c.index = in.u64();
                const std::uint64_t kind = in.u64();
                c.pid = in.pid();
                c.text = in.str();
                if (c.index == 0) return std::string("Command index 0");
                if (kind >= command_kind_count) {
                    results_due_.push_back(result_frame(c.index, {false, "unknown command kind " + std::to_string(kind)}));
                    return std::nullopt;
                }
                c.kind = static_cast<CommandKind>(kind);
                if (*role_ == InspectorRole::watch) {
                    results_due_.push_back(result_frame(
                        c.index, {false, std::string("refused: ") + to_string(c.kind) + " needs the control role; this token may only watch"}));
                    return std::nullopt;
                }
                if (c.text.size() > options_.max_command_text) {
                    results_due_.push_back(result_frame(c.index, {false, "refused: the text is " + std::to_string(c.text.size()) +
                                                                             " bytes, over the limit of " +
                                                                             std::to_string(options_.max_command_text)}));
                    return std::nullopt;
                }
                const CommandResult r = ledger_.once(client_, c.index, [&] {
                    switch (c.kind) {
                        case CommandKind::pause: paused_ = true; return CommandResult{true, "paused"};
                        case CommandKind::resume: paused_ = false; return CommandResult{true, "resumed"};
                        default: return source_.execute(c);
                    }
                });
                results_due_.push_back(result_frame(c.index, r));
                return std::nullopt;
            }
            default:
                return "unexpected inspector frame kind " + std::to_string(in.kind());
        }
    } catch (const BadFrame& e) {
        return std::string(e.what());
    }
}

std::optional<Bytes> InspectorServer::next_frame() {
    if (!role_) return std::nullopt;
    if (welcome_due_) {
        welcome_due_ = false;
        Out o;
        o.p.pack_array(6);
        o.p.pack(std::uint8_t{k_welcome});
        o.p.pack(std::uint64_t{inspector_version});
        o.p.pack(source_.name());
        o.p.pack(source_.incarnation());
        o.p.pack(static_cast<std::uint8_t>(*role_));
        o.p.pack(snapshot_due_.has_value());
        return o.finish();
    }
    if (snapshot_due_) {
        Out o;
        o.p.pack_array(2);
        o.p.pack(std::uint8_t{k_snapshot});
        o.bin(*snapshot_due_);
        snapshot_due_.reset();
        return o.finish();
    }
    if (!results_due_.empty()) {
        Bytes r = std::move(results_due_.front());
        results_due_.erase(results_due_.begin());
        return r;
    }
    if (paused_) return std::nullopt;
    const std::uint64_t ahead = cursor_ - acked_;
    if (ahead >= options_.window) return std::nullopt;  // the client must ack first
    const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(options_.window - ahead, options_.batch));
    EventBatch batch = source_.read_since(cursor_, room);
    if (batch.missed > 0) {
        // The ring moved past the client: say exactly which events it will never see.
        const std::uint64_t first = cursor_ + 1;
        cursor_ += batch.missed;
        gaps_ += batch.missed;
        return gap_frame(first, batch.missed);
    }
    if (batch.events.empty()) return std::nullopt;
    // As many events as fit the frame; one that alone is too large becomes a gap of one. They
    // are encoded one after another into a buffer kept across frames (no allocation per event),
    // then copied once behind the frame's header, whose counts are known only then.
    encoded_.clear();
    encoded_ends_.clear();
    std::size_t bytes = 32;
    for (const Event& e : batch.events) {
        const std::size_t start = encoded_.size();
        encode_event(e, encoded_);
        const std::size_t size = encoded_.size() - start;
        if (size + 16 > options_.max_frame_bytes) {
            encoded_.resize(start);
            if (!encoded_ends_.empty()) break;
            cursor_ = e.seq;
            ++gaps_;
            return gap_frame(e.seq, 1);
        }
        if (bytes + size + 5 > options_.max_frame_bytes) {
            encoded_.resize(start);
            break;
        }
        bytes += size + 5;
        encoded_ends_.push_back(encoded_.size());
    }
    const std::uint64_t first = batch.events.front().seq;
    cursor_ = first + encoded_ends_.size() - 1;
    Out o(bytes);
    o.p.pack_array(3);
    o.p.pack(std::uint8_t{k_events});
    o.p.pack(first);
    o.p.pack_array(static_cast<std::uint32_t>(encoded_ends_.size()));
    // Each event as a bin, its header written here: the packer's stream takes two out-of-line
    // appends per bin, which cost as much as encoding the event.
    Bytes& out = o.bytes;
    std::size_t from = 0;
    for (const std::size_t end : encoded_ends_) {
        const std::size_t n = end - from;
        if (n <= 0xff) {
            out.insert(out.end(), {std::uint8_t{0xc4}, static_cast<std::uint8_t>(n)});
        } else if (n <= 0xffff) {
            out.insert(out.end(), {std::uint8_t{0xc5}, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
        } else {
            out.insert(out.end(), {std::uint8_t{0xc6}, static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                   static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
        }
        out.insert(out.end(), encoded_.begin() + static_cast<std::ptrdiff_t>(from), encoded_.begin() + static_cast<std::ptrdiff_t>(end));
        from = end;
    }
    return o.finish();
}

// ---------------------------------------------------------------------------------------------
// InspectorClient

InspectorClient::InspectorClient(InspectorClientOptions options, InspectorClientEvents& events)
    : options_(std::move(options)), events_(events) {
    if (options_.client_id == 0) throw std::invalid_argument("InspectorClientOptions::client_id must not be 0");
}

void InspectorClient::open(TimePoint) {
    open_ = true;
    attach_due_ = true;
    attached_ = false;
    sent_upto_ = 0;  // every command not answered goes again; the server runs each index once
    ack_since_.reset();
}

void InspectorClient::connection_lost() {
    open_ = false;
    attached_ = false;
    attach_due_ = false;
}

std::uint64_t InspectorClient::command(CommandKind kind, Pid pid, std::string text) {
    const std::uint64_t index = next_index_++;
    commands_.emplace(index, InspectorCommand{index, kind, pid, std::move(text)});
    return index;
}

std::optional<std::string> InspectorClient::on_frame(ByteView frame, TimePoint now) {
    if (!open_) return std::nullopt;
    if (frame.size() > options_.max_frame_bytes)
        return "frame of " + std::to_string(frame.size()) + " bytes over the limit of " + std::to_string(options_.max_frame_bytes);
    try {
        In in(frame);
        if (!attached_) {
            if (in.kind() != k_welcome) return std::string("expected Welcome first");
            in.expect(5, "Welcome");
            const std::uint64_t version = in.u64();
            if (version != inspector_version) return "server speaks inspector version " + std::to_string(version);
            const std::string name = in.str();
            const std::uint64_t incarnation = in.u64();
            const std::uint64_t role = in.u64();
            const bool snapshot_follows = in.boolean();
            if (role > 1) return std::string("unknown role in Welcome");
            attached_ = true;
            engine_incarnation_ = incarnation;
            events_.on_welcome(name, static_cast<InspectorRole>(role), snapshot_follows);
            return std::nullopt;
        }
        switch (in.kind()) {
            case k_snapshot: {
                in.expect(1, "Snapshot");
                Snapshot s;
                try {
                    s = decode_snapshot(in.bin());
                } catch (const std::invalid_argument& e) {
                    return std::string(e.what());
                }
                last_seq_ = ack_sent_ = s.last_seq;
                folded_ = s.last_seq;  // a snapshot needs no ack; it may start another engine's numbering
                events_.on_snapshot(s);
                return std::nullopt;
            }
            case k_events: {
                in.expect(2, "Events");
                const std::uint64_t first = in.u64();
                const auto bins = in.bins();
                if (first != last_seq_ + 1)
                    return "events from " + std::to_string(first) + " after " + std::to_string(last_seq_) + ": out of order";
                std::vector<Event> decoded;
                decoded.reserve(bins.size());
                for (ByteView b : bins) {
                    try {
                        decoded.push_back(decode_event(b));
                    } catch (const std::invalid_argument& e) {
                        return std::string(e.what());
                    }
                    if (decoded.back().seq != first + decoded.size() - 1) return std::string("an event's number does not follow the frame's");
                }
                if (decoded.empty()) return std::nullopt;
                last_seq_ = decoded.back().seq;
                if (!ack_since_) ack_since_ = now;
                events_.on_events(decoded);
                return std::nullopt;
            }
            case k_gap: {
                in.expect(2, "Gap");
                const std::uint64_t first = in.u64();
                const std::uint64_t count = in.u64();
                if (first != last_seq_ + 1 || count == 0) return std::string("a gap that does not follow the last event");
                last_seq_ += count;
                if (!ack_since_) ack_since_ = now;
                events_.on_gap(first, count);
                return std::nullopt;
            }
            case k_result: {
                in.expect(3, "Result");
                const std::uint64_t index = in.u64();
                CommandResult r;
                r.ok = in.boolean();
                r.detail = in.str();
                auto it = commands_.find(index);
                if (it == commands_.end()) return std::nullopt;  // answered before, on a connection that died
                const InspectorCommand c = std::move(it->second);
                commands_.erase(it);
                events_.on_result(c, r);
                return std::nullopt;
            }
            default:
                return "unexpected inspector frame kind " + std::to_string(in.kind());
        }
    } catch (const BadFrame& e) {
        return std::string(e.what());
    }
}

std::optional<Bytes> InspectorClient::next_frame(TimePoint now) {
    if (!open_) return std::nullopt;
    if (attach_due_) {
        attach_due_ = false;
        Out o;
        o.p.pack_array(6);
        o.p.pack(std::uint8_t{k_attach});
        o.p.pack(std::uint64_t{inspector_version});
        o.p.pack(options_.client_id);
        o.p.pack(options_.token);
        o.p.pack(engine_incarnation_);
        o.p.pack(last_seq_);
        return o.finish();
    }
    if (!attached_) return std::nullopt;
    if (auto it = commands_.upper_bound(sent_upto_); it != commands_.end()) {
        const InspectorCommand& c = it->second;
        sent_upto_ = c.index;
        Out o;
        o.p.pack_array(5);
        o.p.pack(std::uint8_t{k_command});
        o.p.pack(c.index);
        o.p.pack(static_cast<std::uint8_t>(c.kind));
        o.pid(c.pid);
        o.p.pack(c.text);
        return o.finish();
    }
    const std::uint64_t ackable = options_.ack_when_folded ? std::min(last_seq_, folded_) : last_seq_;
    const bool due = ackable > ack_sent_ &&
                     (ackable - ack_sent_ >= options_.ack_every || (ack_since_ && now >= *ack_since_ + options_.ack_interval));
    if (due) {
        ack_sent_ = ackable;
        if (ackable == last_seq_) ack_since_.reset();
        else ack_since_ = now;  // what arrived and is not folded yet waits for the next interval
        Out o;
        o.p.pack_array(2);
        o.p.pack(std::uint8_t{k_ack});
        o.p.pack(ackable);
        return o.finish();
    }
    return std::nullopt;
}

void InspectorClient::folded(std::uint64_t seq) noexcept { folded_ = std::max(folded_, seq); }

}  // namespace actors::remote
