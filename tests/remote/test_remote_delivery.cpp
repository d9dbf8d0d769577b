// Envelopes over a healthy link and across reconnects: order, coalescing, frame limits, batched
// cumulative acks (by count and by time), replay, duplicates, the bounded buffer, heartbeats.
#include <gtest/gtest.h>

#include "session_pipe.hpp"

using namespace remote_test;

TEST(RemoteDelivery, EnvelopesArriveInOrderBothWays) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("a", 0, 50)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    for (const auto& s : numbered("b", 0, 30)) ASSERT_EQ(p.push_b(s), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, numbered("a", 0, 50));
    EXPECT_EQ(p.a.rec.delivered, numbered("b", 0, 30));
    EXPECT_EQ(p.a.session->counters().sent, 50u);
    EXPECT_EQ(p.b.session->counters().delivered, 50u);
    expect_conserved(p.a, p.b);
    expect_conserved(p.b, p.a);
}

TEST(RemoteDelivery, QueuedEnvelopesShareOneFrame) {
    Pipe p;
    p.handshake();
    const auto before = p.a.session->counters().frames_out;
    for (const auto& s : numbered("m", 0, 200)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    EXPECT_EQ(p.a.session->counters().frames_out, before + 1);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered.size(), 200u);
}

TEST(RemoteDelivery, FramesStayWithinThePeersLimit) {
    auto bo = options("b", 2);
    bo.max_frame_bytes = 1024;
    Pipe p(options("a", 1), bo);
    p.handshake();
    const std::string big(300, 'x');
    for (int i = 0; i < 10; ++i) ASSERT_EQ(p.push_a(big + std::to_string(i)), Session::Push::accepted);
    p.flush();
    ASSERT_GE(p.to_b.size(), 4u);  // three 300-byte envelopes at most per 1024-byte frame
    for (const auto& f : p.to_b) EXPECT_LE(f.size(), 1024u);
    p.deliver();
    ASSERT_EQ(p.b.rec.delivered.size(), 10u);
    EXPECT_TRUE(p.b.rec.errors.empty());
    // One that could never fit is refused at push, and stays with the caller.
    EXPECT_EQ(p.push_a(std::string(1024, 'y')), Session::Push::too_large);
    EXPECT_EQ(p.a.session->counters().sent, 10u);
}

TEST(RemoteDelivery, AckAfterAckEveryEnvelopes) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 249)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.session->counters().delivered, 249u);
    EXPECT_FALSE(p.b.session->wants_write());  // 249 < 250 and no time has passed
    EXPECT_EQ(p.a.session->counters().acknowledged, 0u);
    ASSERT_EQ(p.push_a("m249"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.a.session->counters().acknowledged, 250u);
    EXPECT_EQ(p.a.session->buffered_envelopes(), 0u);
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, AckAfterAckIntervalWhenFewArrive) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 10)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered.size(), 10u);
    ASSERT_TRUE(p.b.session->next_deadline());
    EXPECT_EQ(*p.b.session->next_deadline(), p.now + 20ms);
    p.advance(19ms);
    EXPECT_EQ(p.a.session->counters().acknowledged, 0u);
    p.advance(1ms);
    EXPECT_EQ(p.a.session->counters().acknowledged, 10u);
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, AcksRideOnFramesGoingTheOtherWay) {
    Pipe p;
    p.handshake();
    ASSERT_EQ(p.push_a("question"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.a.session->counters().acknowledged, 0u);
    ASSERT_EQ(p.push_b("answer"), Session::Push::accepted);  // a reply carries the ack for free
    p.deliver();
    EXPECT_EQ(p.a.session->counters().acknowledged, 1u);
    EXPECT_EQ(p.a.rec.delivered, (std::vector<std::string>{"answer"}));
}

TEST(RemoteDelivery, LostFramesAreReplayedAfterReconnect) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 5)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    p.cut();  // the frame dies on the wire
    ASSERT_EQ(p.push_a("m5"), Session::Push::accepted);  // queued while down
    EXPECT_TRUE(p.b.rec.delivered.empty());
    p.handshake();
    ASSERT_EQ(p.a.rec.readies.size(), 2u);
    EXPECT_EQ(p.a.rec.readies[1].replayed, 5u);
    EXPECT_FALSE(p.a.rec.readies[1].restarted);
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 6));
    EXPECT_EQ(p.a.session->counters().replayed, 5u);
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, ReplayStartsAfterWhatThePeerReceived) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 5)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.deliver();  // b has all five, but its ack (due in 20 ms) never leaves
    EXPECT_EQ(p.a.session->counters().acknowledged, 0u);
    p.cut();
    p.handshake();  // b's Welcome says it received 5: nothing to replay
    EXPECT_EQ(p.a.rec.readies[1].replayed, 0u);
    EXPECT_EQ(p.a.session->counters().acknowledged, 5u);
    EXPECT_EQ(p.b.rec.delivered.size(), 5u);
    EXPECT_EQ(p.b.session->counters().duplicates_dropped, 0u);
}

TEST(RemoteDelivery, DuplicatesAreDropped) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    ASSERT_EQ(p.to_b.size(), 1u);
    p.to_b.push_back(p.to_b.front());  // the same frame twice
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 3));
    EXPECT_EQ(p.b.session->counters().duplicates_dropped, 3u);
    EXPECT_TRUE(p.b.rec.errors.empty());
}

TEST(RemoteDelivery, BufferFullByCount) {
    auto ao = options("a", 1);
    ao.buffer_max_envelopes = 3;
    Pipe p(ao);
    p.handshake();
    for (const auto& s : numbered("m", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    EXPECT_EQ(p.push_a("m3"), Session::Push::buffer_full);
    p.deliver();
    EXPECT_EQ(p.push_a("m3"), Session::Push::buffer_full);  // written, but not acknowledged yet
    p.advance(20ms);
    EXPECT_EQ(p.push_a("m3"), Session::Push::accepted);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 4));
    EXPECT_EQ(p.a.session->counters().sent, 4u);  // refusals are not counted as sent
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, BufferFullByBytes) {
    auto ao = options("a", 1);
    ao.buffer_max_bytes = 100;
    Pipe p(ao);
    EXPECT_EQ(p.push_a(std::string(60, 'x')), Session::Push::accepted);  // before any connection too
    EXPECT_EQ(p.push_a(std::string(41, 'y')), Session::Push::buffer_full);
    EXPECT_EQ(p.push_a(std::string(40, 'z')), Session::Push::accepted);
    EXPECT_EQ(p.a.session->buffered_bytes(), 100u);
    EXPECT_EQ(p.push_a(""), Session::Push::accepted);  // an empty payload costs no bytes
    EXPECT_EQ(p.push_a("!"), Session::Push::buffer_full);
    p.handshake();
    p.advance(20ms);
    EXPECT_EQ(p.a.session->buffered_bytes(), 0u);
    EXPECT_EQ(p.b.rec.delivered.size(), 3u);
}

// drop_oldest on a link: the oldest envelopes never written make room; the ones written once
// stay (they may have been delivered), and the renumbering is invisible to the peer.
TEST(RemoteDelivery, EvictUnwrittenMakesRoomFromTheOldestNeverWritten) {
    auto ao = options("a", 1);
    ao.buffer_max_envelopes = 3;
    Pipe p(ao);
    p.handshake();
    const auto evict = Session::WhenFull::evict_unwritten;
    ASSERT_EQ(p.a.session->push(bytes("w0"), p.now, evict), Session::Push::accepted);
    p.flush();  // w0 is on the wire: it must not be evicted
    ASSERT_EQ(p.a.session->push(bytes("u1"), p.now, evict), Session::Push::accepted);
    ASSERT_EQ(p.a.session->push(bytes("u2"), p.now, evict), Session::Push::accepted);
    EXPECT_EQ(p.a.session->push(bytes("u3"), p.now, evict), Session::Push::accepted);
    ASSERT_EQ(p.a.rec.dead.size(), 1u);
    EXPECT_EQ(p.a.rec.dead[0].first, std::vector<std::string>{"u1"});
    EXPECT_EQ(p.a.rec.dead[0].second, RemoteDeadLetter::buffer_full);
    EXPECT_EQ(p.a.session->buffered_envelopes(), 3u);
    p.deliver();
    p.advance(20ms);
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"w0", "u2", "u3"}));
    EXPECT_TRUE(p.b.rec.errors.empty()) << p.b.rec.errors.front();
    EXPECT_EQ(p.a.session->counters().dead_lettered, 1u);
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, EvictUnwrittenRefusesWhenEverythingWasWritten) {
    auto ao = options("a", 1);
    ao.buffer_max_envelopes = 2;
    Pipe p(ao);
    p.handshake();
    const auto evict = Session::WhenFull::evict_unwritten;
    for (const auto& s : numbered("m", 0, 2)) ASSERT_EQ(p.a.session->push(bytes(s), p.now, evict), Session::Push::accepted);
    p.flush();  // both written, neither acknowledged yet
    p.cut();    // and written on a connection now lost: replayed later, never evicted
    EXPECT_EQ(p.a.session->push(bytes("m2"), p.now, evict), Session::Push::buffer_full);
    EXPECT_TRUE(p.a.rec.dead.empty());
    p.handshake();
    p.advance(20ms);
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 2));
    expect_conserved(p.a, p.b);
}

TEST(RemoteDelivery, EvictUnwrittenSkipsEnvelopesPushedToBeKept) {
    auto ao = options("a", 1);
    ao.buffer_max_envelopes = 3;
    Pipe p(ao);  // not connected: nothing is written
    ASSERT_EQ(p.push_a("kept"), Session::Push::accepted);
    ASSERT_EQ(p.a.session->push(bytes("old"), p.now, Session::WhenFull::evict_unwritten), Session::Push::accepted);
    ASSERT_EQ(p.a.session->push(bytes("ctl"), p.now, Session::WhenFull::overshoot), Session::Push::accepted);
    EXPECT_EQ(p.a.session->push(bytes("new"), p.now, Session::WhenFull::evict_unwritten), Session::Push::accepted);
    ASSERT_EQ(p.a.rec.dead.size(), 1u);
    EXPECT_EQ(p.a.rec.dead[0].first, std::vector<std::string>{"old"});
    EXPECT_EQ(p.a.session->push(bytes("newer"), p.now, Session::WhenFull::evict_unwritten), Session::Push::accepted);
    EXPECT_EQ(p.a.rec.dead.back().first, std::vector<std::string>{"new"});
    ASSERT_EQ(p.a.session->push(bytes("ctl2"), p.now, Session::WhenFull::overshoot), Session::Push::accepted);
    EXPECT_EQ(p.a.session->buffered_envelopes(), 4u);  // control overshoots the bound of 3
    // Evicting "newer" alone would not bring 4 under 3: refused, and nothing is evicted for it.
    EXPECT_EQ(p.a.session->push(bytes("last"), p.now, Session::WhenFull::evict_unwritten), Session::Push::buffer_full);
    EXPECT_EQ(p.a.rec.dead.size(), 2u);
    EXPECT_EQ(p.push_a("refused"), Session::Push::buffer_full);
    p.handshake();
    p.advance(20ms);
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"kept", "ctl", "newer", "ctl2"}));
    EXPECT_TRUE(p.b.rec.errors.empty());
    expect_conserved(p.a, p.b);
}

// Found by the fuzzer: with control envelopes past the byte bound, the room left must not wrap.
TEST(RemoteDelivery, ControlEnvelopesPastTheByteBoundLeaveNoRoomForOthers) {
    auto ao = options("a", 1);
    ao.buffer_max_bytes = 100;
    Pipe p(ao);
    ASSERT_EQ(p.a.session->push(bytes(std::string(90, 'c')), p.now, Session::WhenFull::overshoot), Session::Push::accepted);
    ASSERT_EQ(p.a.session->push(bytes(std::string(30, 'c')), p.now, Session::WhenFull::overshoot), Session::Push::accepted);
    EXPECT_EQ(p.a.session->buffered_bytes(), 120u);
    EXPECT_EQ(p.push_a("x"), Session::Push::buffer_full);
    EXPECT_EQ(p.a.session->push(bytes("y"), p.now, Session::WhenFull::evict_unwritten), Session::Push::buffer_full);
}

TEST(RemoteDelivery, HeartbeatsMeasureTheRoundTrip) {
    Pipe p;
    p.handshake();
    p.now += p.a.opt.heartbeat_interval;
    p.a.session->on_tick(p.now);
    ASSERT_TRUE(p.a.session->wants_write());
    auto ping = p.a.session->next_frame(p.now);
    ASSERT_TRUE(ping);
    p.now += 7ms;
    p.b.session->on_frame(*ping, p.now);
    auto pong = p.b.session->next_frame(p.now);
    ASSERT_TRUE(pong);
    p.now += 3ms;
    p.a.session->on_frame(*pong, p.now);
    EXPECT_EQ(p.a.session->counters().rtt, 10ms);
}

TEST(RemoteDelivery, AHealthyIdleLinkStaysUp) {
    Pipe p;
    p.handshake();
    p.advance(30s, 100ms);
    EXPECT_TRUE(p.a.rec.downs.empty());
    EXPECT_TRUE(p.b.rec.downs.empty());
    EXPECT_TRUE(p.a.session->ready());
    EXPECT_TRUE(p.b.session->ready());
}
