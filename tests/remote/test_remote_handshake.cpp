// The handshake: Hello / Welcome, and every refusal with its close reason.
#include <gtest/gtest.h>

#include "session_pipe.hpp"

using namespace remote_test;

TEST(RemoteHandshake, BothSidesBecomeReadyAndLearnEachOther) {
    Pipe p;
    p.handshake();
    ASSERT_TRUE(p.a.session->ready());
    ASSERT_TRUE(p.b.session->ready());
    ASSERT_EQ(p.a.rec.readies.size(), 1u);
    ASSERT_EQ(p.b.rec.readies.size(), 1u);
    EXPECT_EQ(p.a.rec.readies[0].peer.node, "b");
    EXPECT_EQ(p.a.rec.readies[0].peer.incarnation, 0xb1u);
    EXPECT_FALSE(p.a.rec.readies[0].restarted);
    EXPECT_EQ(p.a.rec.readies[0].replayed, 0u);
    EXPECT_EQ(p.b.rec.readies[0].peer.node, "a");
    EXPECT_EQ(p.b.rec.readies[0].peer.incarnation, 0xa1u);
    EXPECT_EQ(p.b.session->peer()->max_frame_bytes, p.a.opt.max_frame_bytes);
    // The server does not echo the token: it would prove nothing.
    EXPECT_EQ(p.a.session->peer()->token, "");
    EXPECT_EQ(p.a.session->counters().frames_out, 1u);
    EXPECT_EQ(p.b.session->counters().frames_out, 1u);
}

TEST(RemoteHandshake, NotReadyBeforeWelcomeAndEnvelopesWait) {
    Pipe p;
    p.connect();
    EXPECT_FALSE(p.a.session->ready());
    EXPECT_EQ(p.push_a("early"), Session::Push::accepted);
    auto hello = p.a.session->next_frame(p.now);
    ASSERT_TRUE(hello);
    // Only the Hello goes out until the Welcome is in.
    EXPECT_FALSE(p.a.session->wants_write());
    EXPECT_FALSE(p.a.session->next_frame(p.now));
    p.to_b.push_back(*hello);
    p.deliver();
    EXPECT_EQ(p.b.rec.delivered, (std::vector<std::string>{"early"}));
}

TEST(RemoteHandshake, WrongTokenIsRefused) {
    auto ao = options("a", 1);
    ao.token = "guess";
    Pipe p(ao);
    p.handshake();
    ASSERT_EQ(p.refusals.size(), 1u);
    EXPECT_EQ(p.refusals[0], "wrong token");
    EXPECT_TRUE(p.b.rec.readies.empty());
    EXPECT_FALSE(p.a.session->ready());
}

TEST(RemoteHandshake, TokenOfAnotherLengthOrPrefixIsRefused) {
    const auto b = options("b", 2);
    for (const std::string token : {"", "secre", "secret!", "Secret", "secreT"}) {
        auto r = read_hello(hello_frame(1, protocol_version, "a", 1, token), b);
        ASSERT_TRUE(std::holds_alternative<Refusal>(r)) << token;
        EXPECT_EQ(std::get<Refusal>(r).reason, "wrong token");
    }
    EXPECT_TRUE(std::holds_alternative<Hello>(read_hello(hello_frame(1, protocol_version, "a", 1, "secret"), b)));
}

TEST(RemoteHandshake, TokenIgnoredOnlyWhenTurnedOffExplicitly) {
    auto ao = options("a", 1);
    ao.token = "";
    ao.require_token = false;
    auto bo = options("b", 2);
    bo.token = "";
    bo.require_token = false;
    Pipe p(ao, bo);
    p.handshake();
    EXPECT_TRUE(p.refusals.empty());
    EXPECT_TRUE(p.a.session->ready());
    // And a session that requires a token cannot be made without one.
    auto no_token = options("c", 3);
    no_token.token = "";
    Recorder r;
    EXPECT_THROW(Session(no_token, r), std::invalid_argument);
}

TEST(RemoteHandshake, UnknownVersionIsRefusedNamingTheVersionsSpoken) {
    const auto b = options("b", 2);
    // A later version may lay its Hello out differently: only kind and version are read.
    Bytes future;
    Appender app{future};
    msgpack::packer<Appender> pk(app);
    pk.pack_array(3);
    pk.pack(1);
    pk.pack(7);
    pk.pack("something else");
    auto r = read_hello(future, b);
    ASSERT_TRUE(std::holds_alternative<Refusal>(r));
    EXPECT_EQ(std::get<Refusal>(r).reason, "unsupported protocol version 7; this node speaks 1, 2");
}

TEST(RemoteHandshake, WelcomeOfAnotherVersionIsAProtocolError) {
    Pipe p;
    p.connect();
    (void)p.a.session->next_frame(p.now);
    p.a.session->on_frame(hello_frame(2, 9, "b", 2, ""), p.now);
    ASSERT_EQ(p.a.rec.errors.size(), 1u);
    EXPECT_EQ(p.a.rec.errors[0], "unsupported protocol version 9; this node speaks 1, 2");
    EXPECT_FALSE(p.a.session->ready());
}

TEST(RemoteHandshake, BadHellosAreRefusedWithTheirReason) {
    const auto b = options("b", 2);
    auto reason = [&](const Bytes& frame) {
        auto r = read_hello(frame, b);
        return std::holds_alternative<Refusal>(r) ? std::get<Refusal>(r).reason : std::string("accepted");
    };
    EXPECT_EQ(reason(hello_frame(1, 1, "b", 1, "secret")), "peer uses this node's own name 'b'");
    EXPECT_EQ(reason(hello_frame(1, 1, "", 1, "secret")), "bad node name: must be 1..255 bytes");
    EXPECT_EQ(reason(hello_frame(1, 1, std::string(256, 'x'), 1, "secret")), "bad node name: must be 1..255 bytes");
    EXPECT_EQ(reason(hello_frame(1, 1, "a", 0, "secret")), "bad incarnation 0");
    EXPECT_EQ(reason(hello_frame(1, 1, "a", 1, "secret", 100)), "max_frame_bytes 100 below the minimum 1024");
    EXPECT_EQ(reason(hello_frame(1, 1, "a", 1, "secret", 4096, 0, 5)), "last_received without seen_incarnation");
    EXPECT_EQ(reason(hello_frame(2, 1, "a", 1, "secret")), "expected Hello, got Welcome");
    EXPECT_EQ(reason(data_frame(std::nullopt, 1, {"x"})), "expected Hello, got a data frame");
    EXPECT_EQ(reason(Bytes{0xc1}), "malformed msgpack: parse error");
    EXPECT_EQ(reason(Bytes(b.max_frame_bytes + 1, 0x90)), "frame of 1048577 bytes over the limit of 1048576");
    EXPECT_EQ(reason(hello_frame(1, 1, "a", 1, "secret")), "accepted");
}

TEST(RemoteHandshake, WelcomeMissingTooLongIsPeerDown) {
    Pipe p;
    p.connect();
    (void)p.a.session->next_frame(p.now);  // the Hello goes nowhere: the server never answers
    ASSERT_TRUE(p.a.session->next_deadline());
    EXPECT_EQ(*p.a.session->next_deadline(), p.now + p.a.opt.handshake_timeout);
    p.now += p.a.opt.handshake_timeout - 1ms;
    p.a.session->on_tick(p.now);
    EXPECT_TRUE(p.a.rec.downs.empty());
    p.now += 1ms;
    p.tick();  // the owner closes the connection
    ASSERT_EQ(p.a.rec.downs.size(), 1u);
    EXPECT_EQ(p.a.rec.downs[0], "handshake not finished within 5000 ms");
    EXPECT_FALSE(p.a.session->ready());
    // The owner reconnects later; the session is usable again.
    EXPECT_FALSE(p.connected);
    p.handshake();
    EXPECT_TRUE(p.a.session->ready());
}

TEST(RemoteHandshake, OptionsOutOfRangeAreRefused) {
    Recorder r;
    auto bad = [&](auto change) {
        auto o = options("a", 1);
        change(o);
        EXPECT_THROW(Session(o, r), std::invalid_argument);
    };
    bad([](SessionOptions& o) { o.node_name = ""; });
    bad([](SessionOptions& o) { o.incarnation = 0; });
    bad([](SessionOptions& o) { o.max_frame_bytes = 100; });
    bad([](SessionOptions& o) { o.ack_every = 0; });
    bad([](SessionOptions& o) { o.heartbeat_misses = 0; });
    bad([](SessionOptions& o) { o.buffer_max_envelopes = 0; });
}

// Version 2 (PROTOCOL.md 2.1, 8): the client says 2 and announces its message types; a server
// answers a Hello in the version it came in; an older server's refusal names what it speaks
// and the client retries with that.
TEST(RemoteHandshake, Version2AnnouncesTheMessageTypesBothWays) {
    auto ao = options("a", 0xa1);
    ao.message_types = [] { return std::vector<std::string>{"game.move", "game.score"}; };
    auto bo = options("b", 0xb1);
    bo.message_types = [] { return std::vector<std::string>{"lobby.join"}; };
    Pipe p(ao, bo);
    p.handshake();
    ASSERT_TRUE(p.a.session->ready() && p.b.session->ready());
    EXPECT_EQ(p.a.session->version(), 2u);
    EXPECT_EQ(p.b.session->version(), 2u);
    EXPECT_EQ(p.b.session->peer()->types, (std::vector<std::string>{"game.move", "game.score"}));
    EXPECT_EQ(p.a.session->peer()->types, (std::vector<std::string>{"lobby.join"}));
    EXPECT_EQ(p.a.session->types_announced(), 2u);
    EXPECT_EQ(p.b.session->types_announced(), 1u);
}

TEST(RemoteHandshake, TypesAnnouncedStopWhereTheHandshakeWouldPassTheSmallestFrameLimit) {
    auto ao = options("a", 0xa1);
    std::vector<std::string> many;
    for (int i = 0; i < 100; ++i) many.push_back("a.rather.long.message.type.name." + std::to_string(i));
    ao.message_types = [many] { return many; };
    Pipe p(ao);
    p.connect();
    auto hello = p.a.session->next_frame(p.now);
    ASSERT_TRUE(hello);
    EXPECT_LE(hello->size(), 1024u);
    p.to_b.push_back(*hello);
    p.deliver();
    ASSERT_TRUE(p.b.session->ready());
    const auto& told = p.b.session->peer()->types;
    ASSERT_GT(told.size(), 0u);
    ASSERT_LT(told.size(), many.size());
    EXPECT_EQ(told, std::vector<std::string>(many.begin(), many.begin() + static_cast<long>(told.size())));
    EXPECT_EQ(p.a.session->types_announced(), told.size());
}

TEST(RemoteHandshake, AVersion1HelloIsAnsweredInVersion1) {
    auto bo = options("b", 0xb1);
    bo.message_types = [] { return std::vector<std::string>{"lobby.join"}; };
    Pipe p(options("a", 0xa1), bo);
    p.b.session->open_server(std::get<Hello>(read_hello(hello_frame(1, 1, "a", 0xa1, "secret"), bo)), p.now);
    auto welcome = p.b.session->next_frame(p.now);
    ASSERT_TRUE(welcome);
    const auto o = msgpack::unpack(reinterpret_cast<const char*>(welcome->data()), welcome->size());
    ASSERT_EQ(o->type, msgpack::type::ARRAY);
    EXPECT_EQ(o->via.array.size, 8u);  // the version-1 layout: no types
    EXPECT_EQ(o->via.array.ptr[1].as<std::uint32_t>(), 1u);
    EXPECT_EQ(p.b.session->version(), 1u);
    EXPECT_EQ(p.b.session->types_announced(), 0u);
}

TEST(RemoteHandshake, AWelcomeInAnotherSpokenVersionThanTheHelloIsAProtocolError) {
    Pipe p;
    p.connect();
    (void)p.a.session->next_frame(p.now);  // Hello, version 2
    p.a.session->on_frame(hello_frame(2, 1, "b", 2, ""), p.now);
    ASSERT_EQ(p.a.rec.errors.size(), 1u);
    EXPECT_EQ(p.a.rec.errors[0], "Welcome in version 1 to a Hello in version 2");
}

TEST(RemoteHandshake, AClientRefusedForItsVersionRetriesWithAnOlderOneTheServerNamed) {
    Pipe p;
    EXPECT_FALSE(p.a.session->downgrade("closed by peer: wrong token"));
    EXPECT_FALSE(p.a.session->downgrade("closed by peer: unsupported protocol version 2; this node speaks 3, 4"));
    ASSERT_TRUE(p.a.session->downgrade("closed by peer: unsupported protocol version 2; this node speaks 1"));
    EXPECT_FALSE(p.a.session->downgrade("closed by peer: unsupported protocol version 1; this node speaks 1"));
    p.connect();
    auto hello = p.a.session->next_frame(p.now);
    ASSERT_TRUE(hello);
    const auto o = msgpack::unpack(reinterpret_cast<const char*>(hello->data()), hello->size());
    EXPECT_EQ(o->via.array.ptr[1].as<std::uint32_t>(), 1u);
    EXPECT_EQ(o->via.array.size, 8u);
    p.to_b.push_back(*hello);
    p.deliver();
    EXPECT_TRUE(p.a.session->ready());
    EXPECT_EQ(p.a.session->version(), 1u);
    EXPECT_EQ(p.b.session->version(), 1u);
}
