#include "remote/session.hpp"

#include <algorithm>
#include <deque>

#include "hello.hpp"
#include "wire.hpp"

namespace actors::remote {
namespace {

std::string ms(Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

struct Session::State {
    State(SessionOptions o, SessionEvents& e) : opt(std::move(o)), events(e) {}

    enum class Phase : std::uint8_t {
        disconnected,      // no connection (or never had one)
        awaiting_welcome,  // client: Hello queued or written
        ready,             // handshake done
        closing,           // the protocol gave up on this connection; waiting for connection_lost
    };

    struct Outgoing {
        std::uint64_t seq;
        Bytes payload;
        bool evictable = false;  // pushed with WhenFull::evict_unwritten
    };

    SessionOptions opt;
    SessionEvents& events;
    Phase phase = Phase::disconnected;
    std::optional<Hello> peer;
    LinkCounters counters;

    // Outbound, per pair of incarnations. The buffer holds [front.seq, next_seq) contiguously:
    // everything accepted and not yet acknowledged or dead-lettered.
    std::deque<Outgoing> buffer;
    std::size_t buffer_bytes = 0;
    std::uint64_t next_seq = 1;
    std::uint64_t acked = 0;            // the peer's cumulative ack
    std::uint64_t highest_written = 0;  // the highest number ever written to this peer incarnation
    std::uint64_t next_write = 1;       // the next number to write on this connection
    // Buffers of acknowledged envelopes, for push(ByteView) to fill again: the envelopes are
    // made on the sending thread and acknowledged on the transport's, so freeing each one would
    // hand every buffer to another thread's allocator cache (a malloc and a free per message).
    // Bounded by their total capacity, not a count: an ack frees thousands of small envelopes at
    // once when the sender keeps the buffer full, and with 1,024 kept two thirds of the next
    // pushes allocated again (callgrind, one sender -> one remote actor).
    std::vector<Bytes> spare;
    std::size_t spare_bytes = 0;                                  // their capacities, summed
    static constexpr std::size_t spare_max_bytes = 1 << 20;       // kept up to this much...
    static constexpr std::size_t spare_max_capacity = 4096;       // ...in buffers of at most this

    // Inbound, from the peer's current incarnation.
    std::uint64_t peer_incarnation = 0;  // 0: never talked to
    std::uint64_t received = 0;          // highest delivered
    std::uint64_t ack_sent = 0;          // the last ack the peer was told (frame or handshake)
    std::optional<TimePoint> ack_pending_since;
    bool ack_due = false;
    // The first envelope after a handshake may skip numbers: the sender dead-lettered them
    // (remote_unreachable) while the link was down, and will never send them.
    bool gap_allowed = false;

    std::optional<Bytes> handshake_out;
    TimePoint handshake_deadline{0};
    std::uint32_t client_version = protocol_version;  // what open_client's Hello says
    std::uint32_t hello_version = 0;                  // the version of the Hello written (client)
    std::size_t types_announced = 0;

    TimePoint last_in{0};
    TimePoint last_ping{0};
    bool ping_due = false;
    std::uint64_t ping_counter = 0;
    std::optional<TimePoint> ping_outstanding_at;  // when ping #ping_counter was written
    std::optional<std::uint64_t> pong_due;

    std::optional<TimePoint> unreachable_at;

    std::optional<std::string> goodbye_out;  // goodbye(): said in the frame that empties the queue
    bool goodbye_written = false;

    [[nodiscard]] std::size_t frame_limit() const noexcept {
        return peer ? static_cast<std::size_t>(std::min<std::uint64_t>(peer->max_frame_bytes, 0xffffffffu))
                    : opt.max_frame_bytes;
    }
    [[nodiscard]] static bool fits(std::size_t payload, std::size_t limit) noexcept {
        return wire::data_frame_overhead + wire::bin_size(payload) <= limit;
    }

    // Also records how many types it announces (the caller writes it).
    Hello own_handshake(std::uint32_t version) {
        Hello h;
        h.version = version;
        h.node = opt.node_name;
        h.incarnation = opt.incarnation;
        h.max_frame_bytes = opt.max_frame_bytes;
        h.seen_incarnation = peer_incarnation;
        h.last_received = peer_incarnation == 0 ? 0 : received;
        types_announced = 0;
        if (version >= 2 && opt.message_types) {
            std::vector<std::string> names = opt.message_types();
            Hello sized = h;
            sized.token = opt.token;  // a client's Hello carries it: size both alike
            names.resize(wire::types_that_fit(sized, names));
            types_announced = names.size();
            h.types = std::move(names);
        }
        return h;
    }

    void reset_connection_state() {
        handshake_out.reset();
        ack_due = false;
        ping_due = false;
        pong_due.reset();
        ping_outstanding_at.reset();
    }

    void lose(TimePoint now) {
        reset_connection_state();
        if (!buffer.empty() && !unreachable_at) unreachable_at = now + opt.reconnect_deadline;
    }

    void protocol_error(const std::string& reason, TimePoint now) {
        phase = Phase::closing;
        lose(now);
        events.on_protocol_error(reason);
    }

    void peer_down(const std::string& reason, TimePoint now) {
        phase = Phase::closing;
        lose(now);
        events.on_peer_down(reason);
    }

    // Empties the buffer into dead letters (counted); the caller announces them.
    std::vector<Bytes> take_buffer() {
        std::vector<Bytes> payloads;
        payloads.reserve(buffer.size());
        for (auto& o : buffer) payloads.push_back(std::move(o.payload));
        buffer.clear();
        buffer_bytes = 0;
        next_write = next_seq;
        counters.dead_lettered += payloads.size();
        return payloads;
    }

    void dead_letter_all(RemoteDeadLetter reason) {
        if (buffer.empty()) return;
        // The buffer is empty before the owner hears of it, so it may push from the callback.
        auto payloads = take_buffer();
        events.on_dead_letters(std::move(payloads), reason);
    }

    void apply_ack(std::uint64_t upto) {
        while (!buffer.empty() && buffer.front().seq <= upto) {
            Bytes& done = buffer.front().payload;
            buffer_bytes -= done.size();
            if (done.capacity() <= spare_max_capacity && spare_bytes + done.capacity() <= spare_max_bytes) {
                spare_bytes += done.capacity();
                spare.push_back(std::move(done));
            }
            buffer.pop_front();
            ++counters.acknowledged;
        }
        acked = std::max(acked, upto);
        if (next_write <= upto) next_write = buffer.empty() ? next_seq : buffer.front().seq;
    }

    struct Adopted {
        bool restarted = false;
        std::size_t replayed = 0;
        std::vector<Bytes> restarted_letters;
        std::vector<Bytes> too_large;
    };

    // Takes in the peer's half of a handshake (Hello or Welcome). nullopt: a protocol error was
    // raised and the connection is closing.
    std::optional<Adopted> adopt(const Hello& h, TimePoint now) {
        Adopted a;
        a.restarted = peer_incarnation != 0 && h.incarnation != peer_incarnation;
        // What the peer says it received counts only if it is about this incarnation of ours.
        const std::uint64_t last = h.seen_incarnation == opt.incarnation ? h.last_received : 0;
        const std::uint64_t written = a.restarted ? 0 : highest_written;
        const std::uint64_t acknowledged = a.restarted ? 0 : acked;
        if (last > written) {
            protocol_error("peer claims to have received " + std::to_string(last) + ", but only " +
                               std::to_string(written) + " were sent",
                           now);
            return std::nullopt;
        }
        if (last < acknowledged) {
            protocol_error("peer's last received " + std::to_string(last) + " is below its ack " +
                               std::to_string(acknowledged),
                           now);
            return std::nullopt;
        }
        if (!a.restarted) {
            for (const auto& o : buffer) {
                if (o.seq > written) break;
                if (o.seq > last && !fits(o.payload.size(), h.max_frame_bytes)) {
                    protocol_error("peer lowered max_frame_bytes to " + std::to_string(h.max_frame_bytes) +
                                       " below an envelope it was already sent",
                                   now);
                    return std::nullopt;
                }
            }
        }
        if (a.restarted) {
            // None of the old buffer goes to the new incarnation: the Pids it targets are gone.
            // Numbering starts over; the dead letters are announced once the state is consistent.
            a.restarted_letters = take_buffer();
            next_seq = 1;
            acked = 0;
            highest_written = 0;
            next_write = 1;
            received = 0;
            ack_sent = 0;
            ack_pending_since.reset();
        }
        peer_incarnation = h.incarnation;
        peer = h;
        apply_ack(last);
        // Envelopes never written were sized against our own limit; renumber them around any
        // that the peer's limit refuses (the peer has seen none of these numbers).
        if (std::any_of(buffer.begin(), buffer.end(), [&](const Outgoing& o) {
                return o.seq > highest_written && !fits(o.payload.size(), h.max_frame_bytes);
            })) {
            std::deque<Outgoing> kept;
            std::uint64_t seq = buffer.empty() ? next_seq : buffer.front().seq;
            for (auto& o : buffer) {
                if (o.seq > highest_written && !fits(o.payload.size(), h.max_frame_bytes)) {
                    buffer_bytes -= o.payload.size();
                    a.too_large.push_back(std::move(o.payload));
                    continue;
                }
                o.seq = seq++;
                kept.push_back(std::move(o));
            }
            buffer = std::move(kept);
            next_seq = seq;
            counters.dead_lettered += a.too_large.size();
        }
        next_write = buffer.empty() ? next_seq : buffer.front().seq;
        for (const auto& o : buffer) {
            if (o.seq > highest_written) break;
            ++a.replayed;
        }
        gap_allowed = true;
        ack_sent = received;  // the handshake just told the peer
        ack_pending_since.reset();
        reset_connection_state();
        last_in = now;
        last_ping = now;
        unreachable_at.reset();
        phase = Phase::ready;
        return a;
    }

    void announce(Adopted& a) {
        if (!a.restarted_letters.empty())
            events.on_dead_letters(std::move(a.restarted_letters), RemoteDeadLetter::remote_restarted);
        if (!a.too_large.empty()) events.on_dead_letters(std::move(a.too_large), RemoteDeadLetter::too_large);
        if (phase == Phase::ready) events.on_ready(*peer, a.restarted, a.replayed);
    }

    // The peer will not take the buffer any more (no reconnect in time, or it said goodbye).
    void give_up_buffer() {
        unreachable_at.reset();
        // Written and unacknowledged: the peer may hold it (its ack died with the connection).
        // Never written: it certainly does not. Two reasons, so no message that might have
        // arrived is reported as lost, and none reported lost might have arrived.
        std::vector<Bytes> maybe;
        while (!buffer.empty() && buffer.front().seq <= highest_written) {
            buffer_bytes -= buffer.front().payload.size();
            maybe.push_back(std::move(buffer.front().payload));
            buffer.pop_front();
        }
        counters.dead_lettered += maybe.size();
        // Both taken before the owner hears of either, so it may push from the callbacks.
        std::vector<Bytes> never = take_buffer();
        if (!maybe.empty()) events.on_dead_letters(std::move(maybe), RemoteDeadLetter::remote_maybe_delivered);
        if (!never.empty()) events.on_dead_letters(std::move(never), RemoteDeadLetter::remote_unreachable);
    }

    void on_data(wire::Data& d, TimePoint now) {
        if (d.pong && ping_outstanding_at && *d.pong == ping_counter) {
            counters.rtt = now - *ping_outstanding_at;
            ping_outstanding_at.reset();
        }
        if (d.ping) pong_due = *d.ping;
        if (d.ack) {
            if (*d.ack > highest_written) {
                protocol_error("ack for " + std::to_string(*d.ack) + ", but only " + std::to_string(highest_written) +
                                   " were sent",
                               now);
                return;
            }
            apply_ack(*d.ack);
        }
        for (std::size_t i = 0; i < d.envelopes.size(); ++i) {
            const std::uint64_t seq = d.first_seq + i;
            const bool first = gap_allowed;
            gap_allowed = false;
            if (seq <= received) {
                ++counters.duplicates_dropped;
                continue;
            }
            if (seq != received + 1 && !first) {
                protocol_error("envelope " + std::to_string(seq) + " after " + std::to_string(received) +
                                   ": sequence gap",
                               now);
                return;
            }
            received = seq;
            ++counters.delivered;
            if (!ack_pending_since) ack_pending_since = now;
            events.on_envelope(d.envelopes[i]);
            // The owner may have closed or reopened the link from inside the callback.
            if (phase != Phase::ready) return;
        }
        if (d.goodbye) {
            // The peer's incarnation leaves for good (PROTOCOL.md 4, rule 9): no reconnect will
            // come, so nothing waits for one. Its envelopes above were delivered first.
            phase = Phase::closing;
            reset_connection_state();
            give_up_buffer();
            events.on_peer_down("left: " + *d.goodbye);
        }
    }
};

Session::Session(SessionOptions options, SessionEvents& events) {
    check_options(options);
    s_ = std::make_unique<State>(std::move(options), events);
}

Session::~Session() = default;

void Session::open_client(TimePoint now) {
    if (s_->phase != State::Phase::disconnected) connection_lost(now);
    s_->phase = State::Phase::awaiting_welcome;
    Hello h = s_->own_handshake(s_->client_version);
    s_->hello_version = h.version;
    h.token = s_->opt.token;
    s_->handshake_out = wire::encode_handshake(wire::Kind::hello, h);
    s_->handshake_deadline = now + s_->opt.handshake_timeout;
}

void Session::open_server(const Hello& hello, TimePoint now) {
    if (s_->phase != State::Phase::disconnected) connection_lost(now);
    // The owner normally hands over read_hello's result; checking again keeps a hand-made Hello
    // from slipping past the rules.
    if (auto why = check_handshake(hello, s_->opt, true)) {
        s_->protocol_error(*why, now);
        return;
    }
    auto adopted = s_->adopt(hello, now);
    if (!adopted) return;
    // Answered in the Hello's version (any this build speaks; check_handshake refused others).
    s_->handshake_out = wire::encode_handshake(wire::Kind::welcome, s_->own_handshake(hello.version));
    s_->announce(*adopted);
}

void Session::connection_lost(TimePoint now) {
    if (s_->phase == State::Phase::disconnected) return;
    const bool was_closing = s_->phase == State::Phase::closing;
    s_->phase = State::Phase::disconnected;
    if (!was_closing) s_->lose(now);
    s_->reset_connection_state();
}

void Session::on_frame(ByteView frame, TimePoint now) {
    auto& s = *s_;
    if (s.phase == State::Phase::disconnected || s.phase == State::Phase::closing) return;
    ++s.counters.frames_in;
    s.counters.bytes_in += frame.size();
    if (frame.size() > s.opt.max_frame_bytes) {
        s.protocol_error("frame of " + std::to_string(frame.size()) + " bytes over the limit of " +
                             std::to_string(s.opt.max_frame_bytes),
                         now);
        return;
    }
    wire::Frame decoded;
    try {
        decoded = wire::decode(frame);
    } catch (const wire::WireError& e) {
        s.protocol_error(e.what(), now);
        return;
    }
    s.last_in = now;
    if (s.phase == State::Phase::awaiting_welcome) {
        const auto* h = std::get_if<wire::Handshake>(&decoded);
        if (h == nullptr || h->kind != wire::Kind::welcome) {
            s.protocol_error(h == nullptr ? "expected Welcome, got a data frame" : "expected Welcome, got Hello", now);
            return;
        }
        if (auto why = check_handshake(h->hello, s.opt, false)) {
            s.protocol_error(*why, now);
            return;
        }
        if (h->hello.version != s.hello_version) {
            s.protocol_error("Welcome in version " + std::to_string(h->hello.version) + " to a Hello in version " +
                                 std::to_string(s.hello_version),
                             now);
            return;
        }
        auto adopted = s.adopt(h->hello, now);
        if (adopted) s.announce(*adopted);
        return;
    }
    auto* d = std::get_if<wire::Data>(&decoded);
    if (d == nullptr) {
        s.protocol_error("handshake frame on an open link", now);
        return;
    }
    s.on_data(*d, now);
}

void Session::on_tick(TimePoint now) {
    auto& s = *s_;
    using P = State::Phase;
    if (s.phase == P::awaiting_welcome && now >= s.handshake_deadline) {
        s.peer_down("handshake not finished within " + ms(s.opt.handshake_timeout), now);
    }
    if (s.phase == P::ready) {
        const Duration silence = s.opt.heartbeat_interval * s.opt.heartbeat_misses;
        if (now >= s.last_in + silence) {
            s.peer_down("no frame from the peer for " + ms(now - s.last_in) + " (" +
                            std::to_string(s.opt.heartbeat_misses) + " heartbeats missed)",
                        now);
        } else {
            if (now >= s.last_ping + s.opt.heartbeat_interval) s.ping_due = true;
            if (s.ack_pending_since && now >= *s.ack_pending_since + s.opt.ack_interval) s.ack_due = true;
        }
    }
    if (s.phase != P::ready && s.unreachable_at && now >= *s.unreachable_at) s.give_up_buffer();
}

std::optional<TimePoint> Session::next_deadline() const {
    const auto& s = *s_;
    using P = State::Phase;
    std::optional<TimePoint> t;
    auto consider = [&](TimePoint x) {
        if (!t || x < *t) t = x;
    };
    if (s.phase == P::awaiting_welcome) consider(s.handshake_deadline);
    if (s.phase == P::ready) {
        consider(s.last_in + s.opt.heartbeat_interval * s.opt.heartbeat_misses);
        if (!s.ping_due) consider(s.last_ping + s.opt.heartbeat_interval);
        if (s.ack_pending_since && !s.ack_due) consider(*s.ack_pending_since + s.opt.ack_interval);
    } else if (s.unreachable_at) {
        consider(*s.unreachable_at);
    }
    return t;
}

Session::Push Session::push(Bytes payload, TimePoint now, WhenFull when_full) {
    auto& s = *s_;
    if (!State::fits(payload.size(), s.frame_limit())) return Push::too_large;
    // Control envelopes may have taken buffer_bytes past the bound (overshoot): no subtraction
    // from the bound may go below zero.
    const auto over_bytes = [&](std::size_t held) {
        return payload.size() > s.opt.buffer_max_bytes || held > s.opt.buffer_max_bytes - payload.size();
    };
    auto full = [&] { return s.buffer.size() >= s.opt.buffer_max_envelopes || over_bytes(s.buffer_bytes); };
    if (when_full != WhenFull::overshoot && full()) {
        if (when_full == WhenFull::refuse || payload.size() > s.opt.buffer_max_bytes) return Push::buffer_full;
        // The never-written envelopes are the buffer's tail, from `first` on. Evicting some of
        // them and renumbering the rest keeps [front.seq, next_seq) contiguous; the peer has
        // seen none of these numbers, so the renumbering is invisible to it.
        const std::size_t first = s.buffer.empty() || s.highest_written < s.buffer.front().seq
                                      ? 0
                                      : static_cast<std::size_t>(s.highest_written + 1 - s.buffer.front().seq);
        std::vector<std::size_t> chosen;
        std::size_t freed_bytes = 0;
        auto still_full = [&] {
            return s.buffer.size() - chosen.size() >= s.opt.buffer_max_envelopes || over_bytes(s.buffer_bytes - freed_bytes);
        };
        for (std::size_t i = first; i < s.buffer.size() && still_full(); ++i) {
            if (!s.buffer[i].evictable) continue;
            chosen.push_back(i);
            freed_bytes += s.buffer[i].payload.size();
        }
        if (still_full()) return Push::buffer_full;  // what is left was written once, or is control
        std::vector<Bytes> evicted;
        evicted.reserve(chosen.size());
        std::deque<State::Outgoing> kept;
        std::size_t c = 0;
        std::uint64_t seq = s.buffer[first].seq;
        for (std::size_t i = 0; i < s.buffer.size(); ++i) {
            if (c < chosen.size() && chosen[c] == i) {
                evicted.push_back(std::move(s.buffer[i].payload));
                ++c;
                continue;
            }
            if (i >= first) s.buffer[i].seq = seq++;
            kept.push_back(std::move(s.buffer[i]));
        }
        s.buffer = std::move(kept);
        s.next_seq = seq;
        if (s.next_write > s.next_seq) s.next_write = s.next_seq;
        s.buffer_bytes -= freed_bytes;
        s.counters.dead_lettered += evicted.size();
        s.events.on_dead_letters(std::move(evicted), RemoteDeadLetter::buffer_full);
    }
    s.buffer_bytes += payload.size();
    s.buffer.push_back({s.next_seq++, std::move(payload), when_full == WhenFull::evict_unwritten});
    ++s.counters.sent;
    if (s.phase != State::Phase::ready && !s.unreachable_at) s.unreachable_at = now + s.opt.reconnect_deadline;
    return Push::accepted;
}

Session::Push Session::push(ByteView payload, TimePoint now, WhenFull when_full) {
    auto& s = *s_;
    if (!State::fits(payload.size(), s.frame_limit())) return Push::too_large;
    Bytes b;
    if (!s.spare.empty()) {
        b = std::move(s.spare.back());
        s.spare.pop_back();
        s.spare_bytes -= b.capacity();
    }
    b.assign(payload.begin(), payload.end());
    return push(std::move(b), now, when_full);
}

bool Session::wants_write() const {
    const auto& s = *s_;
    if (s.handshake_out) return true;
    if (s.phase != State::Phase::ready) return false;
    return s.next_write < s.next_seq || s.ping_due || s.pong_due || s.ack_due ||
           s.received - s.ack_sent >= s.opt.ack_every || (s.goodbye_out && !s.goodbye_written);
}

void Session::goodbye(std::string reason) {
    if (s_->goodbye_out) return;
    if (reason.size() > wire::max_goodbye_bytes) reason.resize(wire::max_goodbye_bytes);
    s_->goodbye_out = std::move(reason);
}

bool Session::goodbye_written() const noexcept { return s_->goodbye_written; }

std::optional<Bytes> Session::next_frame(TimePoint now) {
    auto& s = *s_;
    auto count = [&](const Bytes& b) {
        ++s.counters.frames_out;
        s.counters.bytes_out += b.size();
    };
    if (s.handshake_out) {
        Bytes out = std::move(*s.handshake_out);
        s.handshake_out.reset();
        count(out);
        return out;
    }
    if (s.phase != State::Phase::ready || !wants_write()) return std::nullopt;

    std::optional<std::uint64_t> ack;
    if (s.received > s.ack_sent) ack = s.received;  // free to carry on any frame
    std::optional<std::uint64_t> ping;
    if (s.ping_due) {
        ping = ++s.ping_counter;
        s.ping_outstanding_at = now;
        s.last_ping = now;
        s.ping_due = false;
    }
    const std::optional<std::uint64_t> pong = s.pong_due;
    s.pong_due.reset();

    // As many queued envelopes as fit the peer's limit, in order.
    std::size_t first = 0;
    std::size_t n = 0;
    std::size_t room_left = s.frame_limit() - wire::data_frame_overhead;
    std::size_t bytes = 0;
    if (s.next_write < s.next_seq) {
        first = static_cast<std::size_t>(s.next_write - s.buffer.front().seq);
        std::size_t room = s.frame_limit() - wire::data_frame_overhead;
        for (std::size_t i = first; i < s.buffer.size(); ++i) {
            const std::size_t size = wire::bin_size(s.buffer[i].payload.size());
            if (size > room) break;
            room -= size;
            bytes += size;
            ++n;
        }
        room_left = room;
    }
    const std::uint64_t first_seq = n > 0 ? s.buffer[first].seq : 0;
    // The goodbye goes in the frame that writes the last queued envelope, so everything this side
    // sent reaches the peer before it hears that this side is gone.
    // (A goodbye that does not fit after them goes alone in the next frame; a str's header is no
    // larger than a bin's.)
    const bool bye = s.goodbye_out && !s.goodbye_written && (n == 0 ? s.next_write == s.next_seq : first_seq + n == s.next_seq) &&
                     wire::bin_size(s.goodbye_out->size()) <= room_left;
    wire::DataWriter writer(ack, ping, pong, first_seq, n, bytes, bye ? s.goodbye_out : std::nullopt);
    for (std::size_t i = first; i < first + n; ++i) {
        const auto& o = s.buffer[i];
        writer.add(o.payload);
        if (o.seq <= s.highest_written) ++s.counters.replayed;
    }
    if (n > 0) {
        s.next_write = first_seq + n;
        s.highest_written = std::max(s.highest_written, s.next_write - 1);
    }
    s.ack_sent = s.received;
    s.ack_pending_since.reset();
    s.ack_due = false;
    Bytes out = std::move(writer).finish();
    count(out);
    if (bye) {
        // Nothing more is read or written on this connection; the owner closes it.
        s.goodbye_written = true;
        s.phase = State::Phase::closing;
        s.lose(now);
    }
    return out;
}

bool Session::ready() const noexcept { return s_->phase == State::Phase::ready; }
std::uint32_t Session::version() const noexcept { return s_->peer ? s_->peer->version : 0; }
std::size_t Session::types_announced() const noexcept { return s_->peer ? s_->types_announced : 0; }

bool Session::downgrade(std::string_view close_reason) {
    const auto older = older_version_offered(close_reason, s_->client_version);
    if (!older) return false;
    s_->client_version = *older;
    return true;
}
const std::optional<Hello>& Session::peer() const noexcept { return s_->peer; }
const LinkCounters& Session::counters() const noexcept { return s_->counters; }
std::size_t Session::buffered_envelopes() const noexcept { return s_->buffer.size(); }
std::size_t Session::buffered_bytes() const noexcept { return s_->buffer_bytes; }

}  // namespace actors::remote
