// The remote protocol's state machine and frame decoder. The first byte picks what the rest is:
//   0: a Hello for read_hello (an accepted one must pass every handshake rule);
//   1: a frame arriving on an open link (server side), 2: on a client awaiting its Welcome:
//      either a protocol error after which the link still works on the next connection, or an
//      acceptable frame, and the counters' identity holds; and the frame decoder's fast path for
//      data frames agrees with msgpack's object tree (wire::decode_general), result or reason;
//   else: a script of push/flush/deliver/cut/reconnect/time on a pair of sessions over an
//      in-memory pipe, checked after every step against a reference model of each direction:
//      delivered exactly once and in order (a prefix of what was pushed while nothing was
//      dead-lettered), sent == acknowledged + dead_lettered + in flight, a push refused exactly
//      when the buffer is full (or, evicting, only then and evicting only envelopes pushed to be
//      evictable and never delivered; control pushes never refused), no protocol error on an
//      honest pipe; and after healing, every envelope pushed delivered or dead-lettered.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "byte_script.hpp"
#include "remote/session.hpp"
#include "wire.hpp"

using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;
using actors::fuzz::ByteScript;

namespace {

struct Recorder : SessionEvents {
    std::vector<Bytes> delivered;
    std::vector<std::pair<Bytes, RemoteDeadLetter>> dead;
    std::size_t readies = 0, downs = 0, errors = 0;
    void on_ready(const Hello&, bool, std::size_t) override { ++readies; }
    void on_envelope(ByteView p) override { delivered.emplace_back(p.begin(), p.end()); }
    void on_dead_letters(std::vector<Bytes> payloads, RemoteDeadLetter why) override {
        for (auto& p : payloads) dead.emplace_back(std::move(p), why);
    }
    void on_peer_down(const std::string&) override { ++downs; }
    void on_protocol_error(const std::string&) override { ++errors; }
};

SessionOptions options(const char* name, std::uint64_t incarnation) {
    SessionOptions o;
    o.node_name = name;
    o.incarnation = incarnation;
    o.token = "t";
    o.ack_every = 4;
    o.max_frame_bytes = 1024;
    o.buffer_max_envelopes = 16;
    o.buffer_max_bytes = 4096;
    o.heartbeat_interval = 20ms;
    o.heartbeat_misses = 3;
    o.handshake_timeout = 50ms;
    o.reconnect_deadline = 200ms;
    return o;
}

struct Pipe {
    SessionOptions ao = options("a", 0xa1), bo = options("b", 0xb1);
    Recorder ra, rb;
    Session a{ao, ra}, b{bo, rb};
    TimePoint now{0};
    bool connected = false, server_open = false;
    std::deque<Bytes> to_a, to_b;
    std::size_t seen = 0;

    void connect() {
        connected = true;
        server_open = false;
        a.open_client(now);
    }
    void cut() {
        to_a.clear();
        to_b.clear();
        if (!connected) return;
        connected = false;
        a.connection_lost(now);
        if (server_open) b.connection_lost(now);
        server_open = false;
    }
    void react() {
        const std::size_t n = ra.downs + rb.downs + ra.errors + rb.errors;
        if (n != seen) {
            seen = n;
            cut();
        }
    }
    void flush() {
        if (!connected) return;
        for (int i = 0; i < 64 && a.wants_write(); ++i)
            if (auto f = a.next_frame(now)) to_b.push_back(std::move(*f));
        if (!server_open) return;
        for (int i = 0; i < 64 && b.wants_write(); ++i)
            if (auto f = b.next_frame(now)) to_a.push_back(std::move(*f));
    }
    void deliver_one(bool towards_b) {
        auto& q = towards_b ? to_b : to_a;
        if (!connected || q.empty()) return;
        Bytes f = std::move(q.front());
        q.pop_front();
        FUZZ_CHECK(f.size() <= 1024);  // both announced 1024
        if (!towards_b) {
            a.on_frame(f, now);
        } else if (server_open) {
            b.on_frame(f, now);
        } else {
            auto r = read_hello(f, bo);
            FUZZ_CHECK(std::holds_alternative<Hello>(r));  // an honest client's Hello
            server_open = true;
            b.open_server(std::get<Hello>(r), now);
        }
        react();
    }
    void deliver_all() {
        for (int round = 0; round < 200 && connected; ++round) {
            flush();
            if (to_a.empty() && to_b.empty()) return;
            while (connected && !to_b.empty()) deliver_one(true);
            while (connected && !to_a.empty()) deliver_one(false);
        }
    }
    void tick() {
        a.on_tick(now);
        if (server_open || !connected) b.on_tick(now);
        react();
    }
    void handshake() {
        connect();
        deliver_all();
    }
};

void check_identity(const Session& s) {
    const auto& c = s.counters();
    FUZZ_CHECK(c.acknowledged + c.dead_lettered <= c.sent);
    FUZZ_CHECK(c.in_flight() == s.buffered_envelopes());
}

std::uint64_t index_of(const Bytes& payload) {
    std::uint64_t v = 0;
    for (std::size_t i = 1; i < payload.size() && payload[i] >= '0' && payload[i] <= '9'; ++i)
        v = v * 10 + (payload[i] - '0');
    return v;
}

// One direction of the reference model.
struct Model {
    explicit Model(char p) : prefix(p) {}
    char prefix;
    std::uint64_t pushed = 0;
    std::size_t checked = 0;  // delivered entries already checked
    std::uint64_t last = 0;   // index+1 of the last delivered
    std::set<std::uint64_t> evictable, evicted;  // pushed with evict_unwritten; evicted since

    void check(const Session& from, const Recorder& from_rec, const Recorder& to_rec) {
        check_identity(from);
        for (; checked < to_rec.delivered.size(); ++checked) {
            const Bytes& p = to_rec.delivered[checked];
            FUZZ_CHECK(!p.empty() && p[0] == static_cast<std::uint8_t>(prefix));
            const std::uint64_t i = index_of(p);
            FUZZ_CHECK(i < pushed);
            FUZZ_CHECK(i + 1 > last);                                   // in order, never twice
            FUZZ_CHECK(evicted.count(i) == 0);                          // evicted: never delivered
            if (from_rec.dead.empty()) FUZZ_CHECK(i == last);           // a prefix: nothing skipped
            last = i + 1;
        }
    }
};

void push(Pipe& p, ByteScript& in, bool from_a, Model& m) {
    Session& s = from_a ? p.a : p.b;
    const SessionOptions& o = from_a ? p.ao : p.bo;
    std::string payload = std::string(1, m.prefix) + std::to_string(m.pushed) + ".";
    payload.append(in.byte() % 4 == 0 ? 600 : in.byte() % 16, 'x');
    const bool room = s.buffered_envelopes() < o.buffer_max_envelopes &&
                      s.buffered_bytes() + payload.size() <= o.buffer_max_bytes;
    // Each flow-control mode: refuse (the default), evict the oldest never-written envelopes
    // pushed so (drop_oldest), or overshoot the bounds (control envelopes).
    const std::uint8_t mode = in.byte() % 4;
    const auto when_full = mode == 2 ? Session::WhenFull::evict_unwritten
                           : mode == 3 ? Session::WhenFull::overshoot
                                       : Session::WhenFull::refuse;
    const Recorder& rec = from_a ? p.ra : p.rb;
    const std::size_t dead_before = rec.dead.size();
    const auto r = s.push(Bytes(payload.begin(), payload.end()), p.now, when_full);
    FUZZ_CHECK(r != Session::Push::too_large);
    if (when_full == Session::WhenFull::refuse) FUZZ_CHECK((r == Session::Push::accepted) == room);
    if (when_full == Session::WhenFull::overshoot) FUZZ_CHECK(r == Session::Push::accepted);
    if (room) FUZZ_CHECK(r == Session::Push::accepted && rec.dead.size() == dead_before);  // evicts only when full
    if (r != Session::Push::accepted) FUZZ_CHECK(rec.dead.size() == dead_before);  // a refusal evicts nothing
    // What was evicted was pushed to be evictable, and none of it has been delivered.
    for (std::size_t d = dead_before; d < rec.dead.size(); ++d) {
        FUZZ_CHECK(rec.dead[d].second == RemoteDeadLetter::buffer_full);
        const std::uint64_t i = index_of(rec.dead[d].first);
        FUZZ_CHECK(m.evictable.count(i) == 1);
        m.evicted.insert(i);
    }
    if (r == Session::Push::accepted) {
        if (when_full == Session::WhenFull::evict_unwritten) m.evictable.insert(m.pushed);
        ++m.pushed;
    }
}

void run_script(ByteScript& in) {
    Pipe p;
    Model ab('a'), ba('b');
    for (int step = 0; step < 2000 && !in.done(); ++step) {
        const std::uint8_t op = in.byte();
        switch (op % 10) {
            case 0: case 1: push(p, in, true, ab); break;
            case 2: push(p, in, false, ba); break;
            case 3: p.flush(); break;
            case 4: p.deliver_one(true); break;
            case 5: p.deliver_one(false); break;
            case 6: if (op & 0x10) p.cut(); break;
            case 7: if (!p.connected) p.connect(); break;
            case 8: p.now += std::chrono::milliseconds(in.byte() % 64); p.tick(); break;
            case 9: p.deliver_all(); break;
        }
        FUZZ_CHECK(p.ra.errors == 0 && p.rb.errors == 0);
        ab.check(p.a, p.ra, p.rb);
        ba.check(p.b, p.rb, p.ra);
    }
    // Heal: one clean connection, everything through, every ack back.
    if (!p.connected) p.connect();
    for (int i = 0; i < 20; ++i) {
        p.deliver_all();
        p.now += 5ms;
        p.tick();
        if (!p.connected) p.connect();
    }
    p.deliver_all();
    FUZZ_CHECK(p.a.ready() && p.b.ready());
    FUZZ_CHECK(p.ra.errors == 0 && p.rb.errors == 0);
    ab.check(p.a, p.ra, p.rb);
    ba.check(p.b, p.rb, p.ra);
    for (auto [from, from_rec, to_rec, m] : {std::tuple{&p.a, &p.ra, &p.rb, &ab}, std::tuple{&p.b, &p.rb, &p.ra, &ba}}) {
        const auto& c = from->counters();
        FUZZ_CHECK(c.in_flight() == 0);
        FUZZ_CHECK(c.sent == m->pushed);
        FUZZ_CHECK(c.acknowledged + c.dead_lettered == c.sent);
        std::set<std::uint64_t> got;
        for (const auto& d : to_rec->delivered) got.insert(index_of(d));
        std::set<std::uint64_t> dead;
        for (const auto& [payload, why] : from_rec->dead) {
            // One incarnation each, honest sizes: only the deadline and evictions dead-letter.
            FUZZ_CHECK(why == RemoteDeadLetter::remote_unreachable || why == RemoteDeadLetter::remote_maybe_delivered ||
                       why == RemoteDeadLetter::buffer_full);
            // Only a maybe-delivered one (written, never acknowledged) may also have arrived.
            if (why != RemoteDeadLetter::remote_maybe_delivered) FUZZ_CHECK(got.count(index_of(payload)) == 0);
            dead.insert(index_of(payload));
        }
        FUZZ_CHECK(dead.size() == c.dead_lettered);
        for (std::uint64_t i = 0; i < m->pushed; ++i) FUZZ_CHECK(got.count(i) || dead.count(i));
        FUZZ_CHECK(to_rec->delivered.size() >= c.acknowledged);
    }
}

// After a frame from the fuzzer, a link that errored must work again on the next connection.
void check_recovers(Pipe& p) {
    p.cut();
    p.rb.delivered.clear();
    p.ra.delivered.clear();
    p.handshake();
    FUZZ_CHECK(p.a.ready() && p.b.ready());
    const std::string s = "after";
    FUZZ_CHECK(p.a.push(Bytes(s.begin(), s.end()), p.now) == Session::Push::accepted);
    p.deliver_all();
    FUZZ_CHECK(!p.rb.delivered.empty() && p.rb.delivered.back() == Bytes(s.begin(), s.end()));
}


// decode (a fast path for data frames, then msgpack's tree) against decode_general (the tree
// alone): the same frame or the same close reason.
void check_decoders_agree(ByteView frame) {
    std::optional<wire::Frame> fast, general;
    std::string fast_error, general_error;
    try {
        fast = wire::decode(frame);
    } catch (const wire::WireError& e) {
        fast_error = e.what();
    }
    try {
        general = wire::decode_general(frame);
    } catch (const wire::WireError& e) {
        general_error = e.what();
    }
    FUZZ_CHECK(fast_error == general_error);
    FUZZ_CHECK(fast.has_value() == general.has_value());
    if (!fast) return;
    FUZZ_CHECK(fast->index() == general->index());
    if (const auto* a = std::get_if<wire::Data>(&*fast)) {
        const auto& b = std::get<wire::Data>(*general);
        FUZZ_CHECK(a->ack == b.ack && a->ping == b.ping && a->pong == b.pong && a->first_seq == b.first_seq);
        FUZZ_CHECK(a->envelopes.size() == b.envelopes.size());
        for (std::size_t i = 0; i < a->envelopes.size() && i < b.envelopes.size(); ++i)
            FUZZ_CHECK(a->envelopes[i].data() == b.envelopes[i].data() && a->envelopes[i].size() == b.envelopes[i].size());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteView frame(data + 1, size - 1);
    switch (data[0]) {
        case 0: {
            auto r = read_hello(frame, options("b", 0xb1));
            if (const auto* h = std::get_if<Hello>(&r)) {
                FUZZ_CHECK(h->version >= oldest_protocol_version && h->version <= protocol_version);
                FUZZ_CHECK(!h->node.empty() && h->node.size() <= 255 && h->node != "b");
                FUZZ_CHECK(h->incarnation != 0 && h->token == "t" && h->max_frame_bytes >= 1024);
            } else {
                FUZZ_CHECK(!std::get<Refusal>(r).reason.empty());
            }
            return 0;
        }
        case 1: {
            check_decoders_agree(frame);
            Pipe p;
            p.handshake();
            FUZZ_CHECK(p.b.ready());
            p.b.on_frame(frame, p.now);
            check_identity(p.b);
            if (p.rb.errors > 0) {
                FUZZ_CHECK(!p.b.ready() && !p.b.wants_write());
                p.react();
                check_recovers(p);
            }
            return 0;
        }
        case 2: {
            check_decoders_agree(frame);
            Pipe p;
            p.connect();
            (void)p.a.next_frame(p.now);
            p.a.on_frame(frame, p.now);
            check_identity(p.a);
            if (p.ra.errors > 0) {
                FUZZ_CHECK(!p.a.ready());
                p.react();
                check_recovers(p);
            }
            return 0;
        }
        default: {
            ByteScript in(data + 1, size - 1);
            run_script(in);
            return 0;
        }
    }
}
