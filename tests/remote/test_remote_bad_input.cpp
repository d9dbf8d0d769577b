// Bad input from the network on an open link: each is a protocol error with a clear reason, the
// connection closes, and the link's state survives for the next connection.
#include <gtest/gtest.h>

#include "session_pipe.hpp"

using namespace remote_test;

namespace {

// b receives `frame` on an open link; returns its protocol errors.
std::vector<std::string> feed_b(const Bytes& frame) {
    Pipe p;
    p.handshake();
    p.b.session->on_frame(frame, p.now);
    return p.b.rec.errors;
}

}  // namespace

TEST(RemoteBadInput, AckForANumberNeverSent) {
    Pipe p;
    p.handshake();
    ASSERT_EQ(p.push_b("one"), Session::Push::accepted);
    p.deliver();
    p.b.session->on_frame(data_frame(5, 0, {}), p.now);
    ASSERT_EQ(p.b.rec.errors.size(), 1u);
    EXPECT_EQ(p.b.rec.errors[0], "ack for 5, but only 1 were sent");
    EXPECT_FALSE(p.b.session->ready());
    EXPECT_EQ(p.b.session->counters().acknowledged, 0u);
}

TEST(RemoteBadInput, MalformedFrames) {
    EXPECT_EQ(feed_b(Bytes{0xc1}), (std::vector<std::string>{"malformed msgpack: parse error"}));
    // An array header announcing 4 billion elements in five bytes: refused without reserving them.
    EXPECT_EQ(feed_b(Bytes{0xdd, 0xff, 0xff, 0xff, 0xff}),
              (std::vector<std::string>{"malformed msgpack: a length exceeds the frame"}));
    Bytes truncated = data_frame(std::nullopt, 1, {"hello"});
    truncated.pop_back();
    EXPECT_EQ(feed_b(truncated), (std::vector<std::string>{"malformed msgpack: frame truncated"}));
    Bytes trailing = data_frame(std::nullopt, 1, {"hello"});
    trailing.push_back(0x90);
    EXPECT_EQ(feed_b(trailing), (std::vector<std::string>{"malformed msgpack: 1 bytes after the frame"}));
    EXPECT_EQ(feed_b(Bytes{0x92, 0x09, 0x00}), (std::vector<std::string>{"bad frame: unknown kind 9"}));
    EXPECT_EQ(feed_b(Bytes{0x01}), (std::vector<std::string>{"bad frame: frame is uint, expected array"}));
    EXPECT_EQ(feed_b(Bytes{0x91, 0x03}), (std::vector<std::string>{"bad frame: data frame has 1 fields, expected 6"}));
    EXPECT_EQ(feed_b(Bytes{}), (std::vector<std::string>{"bad frame: empty"}));
    // [3, nil, nil, nil, 1, ["str, not bin"]]
    Bytes wrong_type{0x96, 0x03, 0xc0, 0xc0, 0xc0, 0x01, 0x91, 0xa1, 'x'};
    EXPECT_EQ(feed_b(wrong_type), (std::vector<std::string>{"bad frame: envelope is str, expected bin"}));
    Bytes zero_seq = data_frame(std::nullopt, 0, {"x"});
    EXPECT_EQ(feed_b(zero_seq), (std::vector<std::string>{"bad frame: envelopes numbered from 0"}));
    Bytes deep{0x96, 0x03, 0xc0, 0xc0, 0xc0, 0x01, 0x91, 0x91, 0x91, 0x90};
    EXPECT_EQ(feed_b(deep), (std::vector<std::string>{"malformed msgpack: nested too deep"}));
}

TEST(RemoteBadInput, FrameOverTheLimit) {
    auto bo = options("b", 2);
    bo.max_frame_bytes = 2048;
    Pipe p(options("a", 1), bo);
    p.handshake();
    p.b.session->on_frame(data_frame(std::nullopt, 1, {std::string(3000, 'x')}), p.now);
    ASSERT_EQ(p.b.rec.errors.size(), 1u);
    EXPECT_EQ(p.b.rec.errors[0], "frame of 3010 bytes over the limit of 2048");
    EXPECT_TRUE(p.b.rec.delivered.empty());
}

TEST(RemoteBadInput, SequenceGapOnAnOpenLink) {
    Pipe p;
    p.handshake();
    p.b.session->on_frame(data_frame(std::nullopt, 1, {"one"}), p.now);
    p.b.session->on_frame(data_frame(std::nullopt, 3, {"three"}), p.now);
    ASSERT_EQ(p.b.rec.errors.size(), 1u);
    EXPECT_EQ(p.b.rec.errors[0], "envelope 3 after 1: sequence gap");
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"one"}));
}

TEST(RemoteBadInput, HandshakeFrameOnAnOpenLink) {
    EXPECT_EQ(feed_b(hello_frame(1, 1, "a", 0xa1, "secret")),
              (std::vector<std::string>{"handshake frame on an open link"}));
}

TEST(RemoteBadInput, DataInsteadOfWelcome) {
    Pipe p;
    p.connect();
    (void)p.a.session->next_frame(p.now);
    p.a.session->on_frame(data_frame(std::nullopt, 1, {"x"}), p.now);
    ASSERT_EQ(p.a.rec.errors.size(), 1u);
    EXPECT_EQ(p.a.rec.errors[0], "expected Welcome, got a data frame");
    EXPECT_TRUE(p.a.rec.delivered.empty());
}

TEST(RemoteBadInput, PeerClaimingToHaveReceivedMoreThanWasSent) {
    Pipe p;
    p.connect();
    (void)p.a.session->next_frame(p.now);
    p.a.session->on_frame(hello_frame(2, protocol_version, "b", 0xb1, "", 1u << 20, 0xa1, 9), p.now);
    ASSERT_EQ(p.a.rec.errors.size(), 1u);
    EXPECT_EQ(p.a.rec.errors[0], "peer claims to have received 9, but only 0 were sent");
    EXPECT_FALSE(p.a.session->ready());
}

TEST(RemoteBadInput, AfterAProtocolErrorTheLinkRecoversOnTheNextConnection) {
    Pipe p;
    p.handshake();
    for (const auto& s : numbered("m", 0, 3)) ASSERT_EQ(p.push_a(s), Session::Push::accepted);
    p.flush();
    p.to_b.clear();
    p.a.session->on_frame(Bytes{0xc1}, p.now);
    ASSERT_EQ(p.a.rec.errors.size(), 1u);
    // Until the owner has closed it, the broken connection is deaf and mute.
    EXPECT_FALSE(p.a.session->wants_write());
    p.a.session->on_frame(data_frame(std::nullopt, 1, {"ignored"}), p.now);
    EXPECT_TRUE(p.a.rec.delivered.empty());
    EXPECT_EQ(p.a.rec.errors.size(), 1u);
    p.react();  // the owner closes
    p.handshake();
    EXPECT_EQ(p.b.rec.delivered, numbered("m", 0, 3));
    EXPECT_EQ(p.a.rec.readies.back().replayed, 3u);
}

// The decoder reads the data frames a Session writes by their fixed shape and hands any other
// frame to msgpack's object tree: a frame another writer laid out differently (wider integers,
// an array16 header, a field added by a later version) means the same.
TEST(RemoteBadInput, DataFramesInOtherValidEncodingsAreReadTheSame) {
    // [3 as uint8, nil, ping 7 as int8, nil, first_seq 1 as uint16, array16 of ["a", "b"]]
    const Bytes wide{0x96, 0xcc, 0x03, 0xc0, 0xd0, 0x07, 0xc0, 0xcd, 0x00, 0x01, 0xdc, 0x00, 0x02, 0xc4, 0x01, 'a', 0xc4, 0x01, 'b'};
    // The same with no goodbye (nil at position 6) and a field after it (an array32 header of
    // 8 fields): read past, not refused.
    const Bytes longer{0xdd, 0x00, 0x00, 0x00, 0x08, 0x03, 0xc0, 0x07, 0xc0, 0x01, 0x92, 0xc4, 0x01, 'a', 0xc4, 0x01, 'b', 0xc0, 0xa1, '?'};
    for (const Bytes& frame : {wide, longer}) {
        Pipe p;
        p.handshake();
        p.b.session->on_frame(frame, p.now);
        EXPECT_TRUE(p.b.rec.errors.empty());
        EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"a", "b"}));
        EXPECT_TRUE(p.b.session->wants_write());  // the ping is answered
    }
    // A negative number where a sequence number goes is refused, in any width.
    EXPECT_EQ(feed_b(Bytes{0x96, 0x03, 0xc0, 0xc0, 0xc0, 0xd0, 0xff, 0x90}),
              (std::vector<std::string>{"bad frame: first_seq is negative int, expected uint"}));
}
