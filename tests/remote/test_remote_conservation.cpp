// Random (seeded) sequences of pushes both ways, partial deliveries, cuts, reconnects and time:
// after every step the counters obey the conservation identity, and what arrives is exactly once
// and in order; at the end everything sent was delivered or dead-lettered, with nothing left over.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>

#include "session_pipe.hpp"

using namespace remote_test;

namespace {

struct Direction {
    End& from;
    End& to;
    std::string prefix;
    std::uint64_t pushed = 0;
    // How many deliveries earlier steps already checked: the delivered list only grows, so each
    // step checks what is new (checking the whole list every step made the test quadratic: two
    // minutes a test under ThreadSanitizer).
    std::size_t checked = 0;
};

std::uint64_t index_of(const std::string& payload, const std::string& prefix) {
    return std::stoull(payload.substr(prefix.size()));
}

// While nothing is dead-lettered, the receiver holds exactly a prefix of what was sent.
void check_exact(Direction& d) {
    const auto& delivered = d.to.rec.delivered;
    for (std::size_t i = d.checked; i < delivered.size(); ++i) ASSERT_EQ(index_of(delivered[i], d.prefix), i);
    d.checked = delivered.size();
    expect_conserved(d.from, d.to);
}

// With dead letters (remote_maybe_delivered takes envelopes written but not acknowledged), still
// in order and never twice; an envelope both delivered and dead-lettered is only ever a
// maybe-delivered one, and none dead-lettered as remote_unreachable (never written) arrived.
void check_ordered(Direction& d) {
    const auto& delivered = d.to.rec.delivered;
    for (std::size_t i = std::max<std::size_t>(d.checked, 1); i < delivered.size(); ++i)
        ASSERT_LT(index_of(delivered[i - 1], d.prefix), index_of(delivered[i], d.prefix));
    d.checked = delivered.size();
    const auto& c = d.from.session->counters();
    ASSERT_EQ(c.in_flight(), d.from.session->buffered_envelopes());
    ASSERT_EQ(c.sent, c.acknowledged + c.dead_lettered + c.in_flight());
}

void run(std::uint32_t seed, bool short_deadline) {
    auto ao = options("a", 0xa1);
    auto bo = options("b", 0xb1);
    for (auto* o : {&ao, &bo}) {
        o->ack_every = 8;
        o->buffer_max_envelopes = 40;
        o->max_frame_bytes = 1024;
        o->reconnect_deadline = short_deadline ? std::chrono::milliseconds(60) : std::chrono::hours(1);
    }
    Pipe p(ao, bo);
    Direction ab{p.a, p.b, "a"}, ba{p.b, p.a, "b"};
    std::mt19937 rng(seed);
    auto roll = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
    auto push = [&](Direction& d) {
        // Some large ones, so frames fill to the 1024-byte limit and split.
        const std::string payload = d.prefix + std::to_string(d.pushed) + std::string(roll(4) == 0 ? 300 : 0, '.');
        const auto r = d.from.session->push(bytes(payload), p.now);
        if (r == Session::Push::accepted) ++d.pushed;
    };
    for (int step = 0; step < 3000; ++step) {
        switch (roll(12)) {
            case 0: case 1: case 2: push(ab); break;
            case 3: push(ba); break;
            case 4: p.flush(); break;
            case 5: case 6: p.deliver_one(true); break;
            case 7: p.deliver_one(false); break;
            case 8: if (roll(6) == 0) p.cut(); break;
            case 9: if (!p.connected) p.connect(); break;
            case 10: p.now += std::chrono::milliseconds(roll(30)); p.tick(); break;
            case 11: p.deliver(); break;
        }
        ASSERT_TRUE(p.a.rec.errors.empty()) << p.a.rec.errors[0];
        ASSERT_TRUE(p.b.rec.errors.empty()) << p.b.rec.errors[0];
        for (Direction* d : {&ab, &ba}) {
            if (short_deadline) check_ordered(*d); else check_exact(*d);
            if (::testing::Test::HasFatalFailure()) return;
        }
    }
    // Heal: connect, let everything through and every ack come back.
    if (!p.connected) p.connect();
    p.deliver();
    p.advance(100ms);
    ASSERT_TRUE(p.a.session->ready());
    if (std::getenv("REMOTE_CONSERVATION_STATS")) {
        const auto& c = p.a.session->counters();
        std::printf("seed %u: sent %llu replayed %llu dead %llu dups %llu readies %zu\n", seed,
                    static_cast<unsigned long long>(c.sent), static_cast<unsigned long long>(c.replayed),
                    static_cast<unsigned long long>(c.dead_lettered),
                    static_cast<unsigned long long>(p.b.session->counters().duplicates_dropped), p.a.rec.readies.size());
    }
    for (const Direction* d : {&ab, &ba}) {
        const auto& c = d->from.session->counters();
        EXPECT_EQ(c.in_flight(), 0u);
        EXPECT_EQ(c.sent, d->pushed);
        std::set<std::uint64_t> delivered, dead;
        for (const auto& s : d->to.rec.delivered) delivered.insert(index_of(s, d->prefix));
        for (const auto& [payloads, why] : d->from.rec.dead)
            for (const auto& s : payloads) {
                EXPECT_TRUE(why == RemoteDeadLetter::remote_unreachable || why == RemoteDeadLetter::remote_maybe_delivered);
                const std::uint64_t i = index_of(s, d->prefix);
                dead.insert(i);
                if (why == RemoteDeadLetter::remote_unreachable) {
                    EXPECT_FALSE(delivered.count(i)) << d->prefix << i << " never written, yet delivered";
                }
            }
        EXPECT_EQ(delivered.size(), d->to.rec.delivered.size());  // never twice
        EXPECT_EQ(dead.size(), c.dead_lettered);
        for (std::uint64_t i = 0; i < d->pushed; ++i)
            EXPECT_TRUE(delivered.count(i) || dead.count(i)) << d->prefix << i << " lost";
        if (!short_deadline) {
            EXPECT_TRUE(dead.empty());
            EXPECT_EQ(d->to.session->counters().delivered, c.sent);
            EXPECT_EQ(c.acknowledged, c.sent);
        } else {
            // What the receiver delivered is what was acknowledged, plus maybe-delivered dead
            // letters whose ack was lost with the connection.
            EXPECT_GE(d->to.session->counters().delivered, c.acknowledged);
            EXPECT_EQ(c.acknowledged + c.dead_lettered, c.sent);
        }
    }
}

}  // namespace

TEST(RemoteConservation, RandomCutsAndReplaysLoseNothingAndDoubleNothing) {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        run(seed, false);
        if (HasFailure()) return;
    }
}

TEST(RemoteConservation, WithReconnectDeadlinesEverythingIsDeliveredOrDeadLettered) {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        run(seed, true);
        if (HasFailure()) return;
    }
}
