#pragma once
// Two Sessions joined by an in-memory pipe, on virtual time: `a` is the client, `b` the server.
// Frames written are queued per direction and handed over by deliver(); cut() loses whatever is
// still queued, as a dropped TCP connection would.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <msgpack.hpp>

#include "remote/session.hpp"

namespace remote_test {

using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

inline Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
inline std::string text(ByteView b) { return std::string(b.begin(), b.end()); }

struct Recorder : SessionEvents {
    struct Ready {
        Hello peer;
        bool restarted;
        std::size_t replayed;
    };
    std::vector<Ready> readies;
    std::vector<std::string> delivered;
    std::vector<std::pair<std::vector<std::string>, RemoteDeadLetter>> dead;
    std::vector<std::string> downs;
    std::vector<std::string> errors;

    void on_ready(const Hello& peer, bool restarted, std::size_t replayed) override {
        readies.push_back({peer, restarted, replayed});
    }
    void on_envelope(ByteView payload) override { delivered.push_back(text(payload)); }
    void on_dead_letters(std::vector<Bytes> payloads, RemoteDeadLetter reason) override {
        std::vector<std::string> t;
        for (auto& p : payloads) t.push_back(text(p));
        dead.emplace_back(std::move(t), reason);
    }
    void on_peer_down(const std::string& reason) override { downs.push_back(reason); }
    void on_protocol_error(const std::string& reason) override { errors.push_back(reason); }

    [[nodiscard]] std::size_t dead_count(RemoteDeadLetter r) const {
        std::size_t n = 0;
        for (const auto& [p, why] : dead)
            if (why == r) n += p.size();
        return n;
    }
};

inline SessionOptions options(const std::string& name, std::uint64_t incarnation) {
    SessionOptions o;
    o.node_name = name;
    o.incarnation = incarnation;
    o.token = "secret";
    return o;
}

struct End {
    End(SessionOptions o) : opt(std::move(o)), session(std::make_unique<Session>(opt, rec)) {}
    SessionOptions opt;
    Recorder rec;
    std::unique_ptr<Session> session;
    // A process restart: a new incarnation and a fresh Session (nothing survives).
    void restart(std::uint64_t incarnation) {
        opt.incarnation = incarnation;
        rec = Recorder{};
        session = std::make_unique<Session>(opt, rec);
    }
};

struct Pipe {
    Pipe(SessionOptions ao = options("a", 0xa1), SessionOptions bo = options("b", 0xb1)) : a(std::move(ao)), b(std::move(bo)) {}

    End a;
    End b;
    TimePoint now{0};
    bool connected = false;
    bool server_open = false;  // b has a Session for this connection (its Hello was read)
    std::deque<Bytes> to_b, to_a;
    std::vector<std::string> refusals;  // close reasons of read_hello
    std::size_t frames_ab = 0, frames_ba = 0;

    // Opens a connection: a writes Hello; b's side reads it when delivered.
    void connect() {
        connected = true;
        server_open = false;
        a.session->open_client(now);
    }
    void cut() {
        to_a.clear();
        to_b.clear();
        if (!connected) return;
        connected = false;
        a.session->connection_lost(now);
        if (server_open) b.session->connection_lost(now);
        server_open = false;
    }
    // Moves what each side wants to write into the pipe.
    void flush() {
        if (!connected) return;
        for (int i = 0; i < 10000 && a.session->wants_write(); ++i)
            if (auto f = a.session->next_frame(now)) to_b.push_back(std::move(*f));
        if (!server_open) return;
        for (int i = 0; i < 10000 && b.session->wants_write(); ++i)
            if (auto f = b.session->next_frame(now)) to_a.push_back(std::move(*f));
    }
    // Hands every queued frame to its receiver (and what they write in answer), until quiet.
    void deliver() {
        for (int round = 0; round < 1000 && connected; ++round) {
            flush();
            if (to_a.empty() && to_b.empty()) return;
            while (connected && !to_b.empty()) {
                Bytes f = std::move(to_b.front());
                to_b.pop_front();
                ++frames_ab;
                to_server(f);
            }
            while (connected && !to_a.empty()) {
                Bytes f = std::move(to_a.front());
                to_a.pop_front();
                ++frames_ba;
                a.session->on_frame(f, now);
                react();
            }
        }
    }
    // Hands over one queued frame in one direction (nothing if that queue is empty).
    void deliver_one(bool towards_b) {
        auto& q = towards_b ? to_b : to_a;
        if (!connected || q.empty()) return;
        Bytes f = std::move(q.front());
        q.pop_front();
        if (towards_b) {
            ++frames_ab;
            to_server(f);
        } else {
            ++frames_ba;
            a.session->on_frame(f, now);
            react();
        }
    }
    void to_server(const Bytes& f) {
        if (!server_open) {
            auto r = read_hello(f, b.opt);
            if (auto* refusal = std::get_if<Refusal>(&r)) {
                refusals.push_back(refusal->reason);
                cut();
                return;
            }
            server_open = true;
            b.session->open_server(std::get<Hello>(r), now);
        } else {
            b.session->on_frame(f, now);
        }
        react();
    }
    // An owner closes the connection when its session reports a protocol error or a down peer.
    std::size_t seen_errors_a = 0, seen_errors_b = 0, seen_downs_a = 0, seen_downs_b = 0;
    void react() {
        const bool closing = a.rec.errors.size() != seen_errors_a || b.rec.errors.size() != seen_errors_b ||
                             a.rec.downs.size() != seen_downs_a || b.rec.downs.size() != seen_downs_b;
        seen_errors_a = a.rec.errors.size();
        seen_errors_b = b.rec.errors.size();
        seen_downs_a = a.rec.downs.size();
        seen_downs_b = b.rec.downs.size();
        if (closing) cut();
    }
    void tick() {
        a.session->on_tick(now);
        if (server_open || !connected) b.session->on_tick(now);
        react();
    }
    // Moves virtual time in steps of at most `step`, ticking and delivering at each.
    void advance(Duration d, Duration step = 1ms) {
        const TimePoint end = now + d;
        while (now < end) {
            now = std::min(end, now + step);
            tick();
            deliver();
        }
    }
    void handshake() {
        connect();
        deliver();
    }
    Session::Push push_a(const std::string& s) { return a.session->push(bytes(s), now); }
    Session::Push push_b(const std::string& s) { return b.session->push(bytes(s), now); }
};

// A frame built by hand, as a foreign implementation following PROTOCOL.md would write it.
struct Appender {
    Bytes& out;
    void write(const char* p, std::size_t n) { out.insert(out.end(), p, p + n); }
};

inline Bytes hello_frame(std::uint64_t kind, std::uint64_t version, const std::string& node, std::uint64_t inc,
                         const std::string& token, std::uint64_t max_frame = 1u << 20, std::uint64_t seen = 0,
                         std::uint64_t last = 0) {
    Bytes out;
    Appender app{out};
    msgpack::packer<Appender> p(app);
    p.pack_array(8);
    p.pack(kind);
    p.pack(version);
    p.pack(node);
    p.pack(inc);
    p.pack(token);
    p.pack(max_frame);
    p.pack(seen);
    p.pack(last);
    return out;
}

inline Bytes data_frame(std::optional<std::uint64_t> ack, std::uint64_t first_seq, const std::vector<std::string>& envs,
                        std::optional<std::uint64_t> ping = std::nullopt, std::optional<std::uint64_t> pong = std::nullopt) {
    Bytes out;
    Appender app{out};
    msgpack::packer<Appender> p(app);
    p.pack_array(6);
    p.pack(3);
    auto opt = [&](std::optional<std::uint64_t> v) {
        if (v) p.pack(*v); else p.pack_nil();
    };
    opt(ack);
    opt(ping);
    opt(pong);
    p.pack(first_seq);
    p.pack_array(static_cast<std::uint32_t>(envs.size()));
    for (const auto& e : envs) {
        p.pack_bin(static_cast<std::uint32_t>(e.size()));
        p.pack_bin_body(e.data(), static_cast<std::uint32_t>(e.size()));
    }
    return out;
}

inline std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
    std::vector<std::string> v;
    for (int i = from; i < to; ++i) v.push_back(prefix + std::to_string(i));
    return v;
}

// The conservation identity, one direction: what `from` sent is what `to` delivered plus what
// `from` dead-lettered plus what is in flight. In flight is the unacknowledged buffer, part of
// which the receiver may already hold (its ack not back yet).
inline void expect_conserved(const End& from, const End& to) {
    const auto& s = from.session->counters();
    const auto& r = to.session->counters();
    EXPECT_EQ(s.in_flight(), from.session->buffered_envelopes());
    EXPECT_EQ(s.sent, s.acknowledged + s.dead_lettered + s.in_flight());
    EXPECT_LE(s.acknowledged, r.delivered);
    EXPECT_LE(r.delivered, s.acknowledged + s.in_flight());
}

}  // namespace remote_test
