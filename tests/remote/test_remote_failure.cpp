// What happens when the other side goes away: heartbeat loss, a restarted peer (new
// incarnation), and a reconnect that does not come in time.
#include <gtest/gtest.h>

#include "session_pipe.hpp"

using namespace remote_test;

TEST(RemoteFailure, SilentPeerIsDownAfterHeartbeatMisses) {
    Pipe p;
    p.handshake();
    // The peer freezes: its socket stays open, nothing arrives. Only a's timers run.
    const Duration silence = p.a.opt.heartbeat_interval * p.a.opt.heartbeat_misses;
    for (TimePoint end = p.now + silence - 1ms; p.now < end;) {
        p.now += 1ms;
        p.a.session->on_tick(p.now);
        (void)p.a.session->next_frame(p.now);  // pings go out and are lost
    }
    EXPECT_TRUE(p.a.rec.downs.empty());
    p.now += 1ms;
    p.a.session->on_tick(p.now);
    ASSERT_EQ(p.a.rec.downs.size(), 1u);
    EXPECT_EQ(p.a.rec.downs[0], "no frame from the peer for 3000 ms (6 heartbeats missed)");
    EXPECT_FALSE(p.a.session->ready());
    p.a.session->on_tick(p.now + 10ms);
    EXPECT_EQ(p.a.rec.downs.size(), 1u);  // said once
}

TEST(RemoteFailure, PeerDownKeepsTheBufferForTheReconnect) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 4)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    p.to_b.clear();  // lost
    p.now += p.a.opt.heartbeat_interval * p.a.opt.heartbeat_misses;
    p.tick();
    ASSERT_EQ(p.a.rec.downs.size(), 1u);
    EXPECT_FALSE(p.connected);
    EXPECT_EQ(p.a.session->buffered_envelopes(), 4u);
    p.handshake();
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 4));
    EXPECT_TRUE(p.a.rec.dead.empty());
}

TEST(RemoteFailure, RestartedServerGetsNoneOfTheOldBuffer) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("old", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.deliver();  // b delivered them; acks not back yet
    ASSERT_EQ(p.push_a("old3"), Session::Push::accepted);
    p.flush();
    p.cut();
    p.b.restart(0xb2);
    ASSERT_EQ(p.push_a("old4"), Session::Push::accepted);  // still aimed at the old incarnation
    p.handshake();
    ASSERT_EQ(p.a.rec.readies.size(), 2u);
    EXPECT_TRUE(p.a.rec.readies[1].restarted);
    EXPECT_EQ(p.a.rec.readies[1].replayed, 0u);
    EXPECT_EQ(p.a.rec.readies[1].peer.incarnation, 0xb2u);
    ASSERT_EQ(p.a.rec.dead.size(), 1u);
    EXPECT_EQ(p.a.rec.dead[0].second, RemoteDeadLetter::remote_restarted);
    EXPECT_EQ(p.a.rec.dead[0].first, (std::vector<std::string>{"old0", "old1", "old2", "old3", "old4"}));
    EXPECT_TRUE(p.b.rec.delivered.empty());
    // Numbering starts over with the new incarnation.
    ASSERT_EQ(p.push_a("new0"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"new0"}));
    const auto& c = p.a.session->counters();
    EXPECT_EQ(c.sent, 6u);
    EXPECT_EQ(c.dead_lettered, 5u);
    EXPECT_EQ(c.sent, c.acknowledged + c.dead_lettered + c.in_flight());
}

TEST(RemoteFailure, RestartedClientIsANewPeerToTheServer) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("b", 0, 3)) ASSERT_EQ(p.push_b(s), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.a.rec.delivered.size(), 3u);
    ASSERT_EQ(p.push_b("b3"), Session::Push::accepted);
    p.cut();
    p.a.restart(0xa2);
    p.handshake();
    ASSERT_EQ(p.b.rec.readies.size(), 2u);
    EXPECT_TRUE(p.b.rec.readies[1].restarted);
    EXPECT_EQ(p.b.rec.dead_count(RemoteDeadLetter::remote_restarted), 4u);
    // The new a's first envelope is number 1 again, and b takes it (not a duplicate).
    ASSERT_EQ(p.push_a("hello"), Session::Push::accepted);
    ASSERT_EQ(p.push_b("welcome back"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"hello"}));
    EXPECT_EQ(p.a.rec.delivered, (std::vector<std::string>{"welcome back"}));
    EXPECT_EQ(p.b.session->counters().duplicates_dropped, 0u);
}

TEST(RemoteFailure, NoReconnectWithinTheDeadlineDeadLettersTheBuffer) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    p.cut();
    ASSERT_TRUE(p.a.session->next_deadline());
    EXPECT_EQ(*p.a.session->next_deadline(), p.now + p.a.opt.reconnect_deadline);
    p.advance(p.a.opt.reconnect_deadline - 1ms, 100ms);
    EXPECT_TRUE(p.a.rec.dead.empty());
    p.advance(1ms);
    ASSERT_EQ(p.a.rec.dead.size(), 1u);
    // Written before the cut: the peer may have them (here the cut lost them on the wire).
    EXPECT_EQ(p.a.rec.dead[0].second, RemoteDeadLetter::remote_maybe_delivered);
    EXPECT_EQ(p.a.rec.dead[0].first, numbered("m", 0, 3));
    EXPECT_EQ(p.a.session->buffered_envelopes(), 0u);
    EXPECT_EQ(std::string(to_string(RemoteDeadLetter::remote_unreachable)), "remote_unreachable");
    // Pushed afterwards: a deadline of their own.
    ASSERT_EQ(p.push_a("late"), Session::Push::accepted);
    EXPECT_EQ(*p.a.session->next_deadline(), p.now + p.a.opt.reconnect_deadline);
    // The same incarnation comes back: the dead-lettered numbers are skipped, nothing is lost
    // or doubled from here on.
    p.handshake();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"late"}));
    EXPECT_TRUE(p.b.rec.errors.empty());
    ASSERT_EQ(p.push_a("later"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"late", "later"}));
    const auto& c = p.a.session->counters();
    EXPECT_EQ(c.sent, 5u);
    EXPECT_EQ(c.dead_lettered, 3u);
    expect_conserved(p.a, p.b);
}

TEST(RemoteFailure, PushedBeforeAnyConnectionWaitsForTheDeadline) {
    Pipe p;
    ASSERT_EQ(p.push_a("first"), Session::Push::accepted);
    p.advance(p.a.opt.reconnect_deadline / 2, 100ms);
    p.handshake();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"first"}));
    EXPECT_TRUE(p.a.rec.dead.empty());
    p.advance(p.a.opt.reconnect_deadline, 100ms);
    EXPECT_TRUE(p.a.rec.dead.empty());
}

TEST(RemoteFailure, EnvelopesLargerThanTheNewPeersLimitAreDeadLettered) {
    auto bo = options("b", 2);
    bo.max_frame_bytes = 1024;
    Pipe p(options("a", 1), bo);
    // Before the first handshake only a's own (1 MiB) limit is known.
    ASSERT_EQ(p.push_a("small0"), Session::Push::accepted);
    ASSERT_EQ(p.push_a(std::string(2000, 'x')), Session::Push::accepted);
    ASSERT_EQ(p.push_a("small1"), Session::Push::accepted);
    p.handshake();
    EXPECT_EQ(p.a.rec.dead_count(RemoteDeadLetter::too_large), 1u);
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"small0", "small1"}));
    EXPECT_TRUE(p.b.rec.errors.empty());
    p.advance(20ms);
    expect_conserved(p.a, p.b);
    EXPECT_EQ(p.a.session->counters().in_flight(), 0u);
}

// The reconnect deadline tells apart what the peer may hold from what it cannot: written but
// unacknowledged (delivered here, its ack lost with the connection) is remote_maybe_delivered,
// never written is remote_unreachable, so nothing reported lost has arrived.
TEST(RemoteFailure, AtTheDeadlineWrittenButUnacknowledgedIsMaybeDeliveredAndUnwrittenIsUnreachable) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("w", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    p.deliver_one(true);  // b delivers all three; its ack (batched) has not gone out yet
    ASSERT_EQ(p.b.rec.delivered, numbered("w", 0, 3));
    p.cut();
    for (const auto& s : numbered("u", 0, 2)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.advance(p.a.opt.reconnect_deadline, 100ms);
    ASSERT_EQ(p.a.rec.dead.size(), 2u);
    EXPECT_EQ(p.a.rec.dead[0].second, RemoteDeadLetter::remote_maybe_delivered);
    EXPECT_EQ(p.a.rec.dead[0].first, numbered("w", 0, 3));
    EXPECT_EQ(p.a.rec.dead[1].second, RemoteDeadLetter::remote_unreachable);
    EXPECT_EQ(p.a.rec.dead[1].first, numbered("u", 0, 2));
    EXPECT_EQ(std::string(to_string(RemoteDeadLetter::remote_maybe_delivered)), "remote_maybe_delivered");
    const auto& c = p.a.session->counters();
    EXPECT_EQ(c.sent, c.acknowledged + c.dead_lettered + c.in_flight());
    EXPECT_EQ(c.dead_lettered, 5u);
    // The same incarnation comes back: nothing is written twice, the link goes on.
    p.handshake();
    ASSERT_EQ(p.push_a("after"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered.back(), "after");
    EXPECT_EQ(p.b.session->counters().duplicates_dropped, 0u);
}

// A side that leaves for good says goodbye in its last frame: the peer treats it as gone at
// once, after delivering what that frame and the ones before it carried (PROTOCOL.md 4, rule 9).
TEST(RemoteFailure, AGoodbyeEndsThePeerAtOnceAfterWhatWasSentBeforeIt) {
    Pipe p;
    p.handshake();
    ASSERT_EQ(p.push_a("x"), Session::Push::accepted);
    ASSERT_EQ(p.push_a("y"), Session::Push::accepted);
    p.a.session->goodbye("page closed");
    EXPECT_TRUE(p.a.session->wants_write());
    p.deliver();  // no time passes
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"x", "y"}));
    ASSERT_EQ(p.b.rec.downs.size(), 1u);
    EXPECT_EQ(p.b.rec.downs[0], "left: page closed");
    EXPECT_TRUE(p.a.session->goodbye_written());
    EXPECT_FALSE(p.a.session->ready());  // nothing more is read or written on that connection
    EXPECT_FALSE(p.b.session->ready());
    EXPECT_TRUE(p.a.rec.downs.empty());
}

TEST(RemoteFailure, AGoodbyeWaitsForEveryQueuedEnvelopeEvenOverManyFrames) {
    SessionOptions small = options("b", 0xb1);
    small.max_frame_bytes = 1024;  // a's frames to b hold a few envelopes each
    Pipe p(options("a", 0xa1), small);
    p.handshake();
    const auto sent = numbered(std::string(200, 'm'), 0, 40);
    for (const auto& s : sent) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.a.session->goodbye("shutting down");
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, sent);
    EXPECT_GT(p.frames_ab, 5u);
    ASSERT_EQ(p.b.rec.downs.size(), 1u);
    EXPECT_EQ(p.b.rec.downs[0], "left: shutting down");
}

// The peer that is left behind gives up at once what it had for the leaver: written and not
// acknowledged may have arrived, never written certainly did not.
TEST(RemoteFailure, AfterAGoodbyeThePeersBufferIsDeadLetteredWithoutWaiting) {
    Pipe p;
    p.handshake();
    ASSERT_EQ(p.push_b("p"), Session::Push::accepted);
    p.flush();
    p.to_a.clear();  // written by b, never read by a
    ASSERT_EQ(p.push_b("q"), Session::Push::accepted);  // not written yet
    p.a.session->goodbye("bye");
    auto frame = p.a.session->next_frame(p.now);
    ASSERT_TRUE(frame.has_value());
    p.b.session->on_frame(*frame, p.now);
    ASSERT_EQ(p.b.rec.downs.size(), 1u);
    EXPECT_EQ(p.b.rec.dead_count(RemoteDeadLetter::remote_maybe_delivered), 1u);
    EXPECT_EQ(p.b.rec.dead_count(RemoteDeadLetter::remote_unreachable), 1u);
    EXPECT_EQ(p.b.session->buffered_envelopes(), 0u);
    EXPECT_EQ(p.b.session->counters().in_flight(), 0u);
}
