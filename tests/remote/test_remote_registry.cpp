// The registry of remote message types and the envelope encoding: what crosses, byte for byte.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <vector>

#include <remote/envelope.hpp>
#include <remote/object_reader.hpp>
#include <remote/registry.hpp>

#include <actors/actors.hpp>

namespace {
using namespace actors;
using namespace actors::remote;

struct Move {
    int x = 0;
    int y = 0;
    std::string who;
    MSGPACK_DEFINE(x, y, who)
};
struct GetScore {
    using Response = long;
    std::string player;
    MSGPACK_DEFINE(player)
};
struct NotRegistered {
    int v = 0;
    MSGPACK_DEFINE(v)
};
struct Unnamed {
    MSGPACK_DEFINE()
};

struct RecordingSink : ReplySink {
    std::vector<Bytes> replies;
    std::vector<Error> failures;
    void reply(Bytes body) override { replies.push_back(std::move(body)); }
    void fail(Error e) override { failures.push_back(std::move(e)); }
};

TEST(RemoteRegistry, a_registered_type_round_trips_through_its_codec_with_its_sender) {
    register_message<Move>("test.move");
    auto m = detail::make_message<Move>(Pid{7, 3, 1}, Move{4, -2, "ann"});
    const MessageCodec* codec = codec_for(*m);
    ASSERT_NE(codec, nullptr);
    EXPECT_EQ(codec->name, "test.move");
    EXPECT_FALSE(codec->request);
    Bytes body = codec->encode(*m);
    ASSERT_EQ(codec_named("test.move"), codec);
    auto back = codec->decode(body, Pid{9, 5, 0});
    ASSERT_TRUE(back->is<Move>());
    EXPECT_EQ(back->as<Move>()->x, 4);
    EXPECT_EQ(back->as<Move>()->y, -2);
    EXPECT_EQ(back->as<Move>()->who, "ann");
    EXPECT_EQ(back->sender(), (Pid{9, 5, 0}));
}

TEST(RemoteRegistry, an_unregistered_type_has_no_codec_and_an_unknown_name_none_either) {
    auto m = detail::make_message<NotRegistered>(Pid{}, NotRegistered{1});
    EXPECT_EQ(codec_for(*m), nullptr);
    EXPECT_EQ(codec_named("no.such.name"), nullptr);
}

TEST(RemoteRegistry, registering_again_is_harmless_but_a_clash_of_name_or_type_throws) {
    register_message<Move>("test.move");
    register_message<Move>("test.move");
    EXPECT_THROW(register_message<Move>("test.move2"), std::logic_error);
    EXPECT_THROW(register_message<NotRegistered>("test.move"), std::logic_error);
    EXPECT_THROW(register_message<Unnamed>(""), std::logic_error);
    EXPECT_EQ(codec_named("test.move2"), nullptr);
}

TEST(RemoteRegistry, bytes_that_do_not_decode_as_the_type_throw_instead_of_making_a_message) {
    register_message<Move>("test.move");
    const MessageCodec* codec = codec_named("test.move");
    Bytes garbage{0xc1, 0x00, 0x12};
    EXPECT_ANY_THROW((void)codec->decode(garbage, Pid{}));
    Bytes a_string = detail_registry::pack(std::string("not a move"));
    EXPECT_ANY_THROW((void)codec->decode(a_string, Pid{}));
}

// Every kind of msgpack value a user's type may hold, through the codec (read_object, not
// msgpack's parser): what was packed comes back.
struct Everything {
    bool b = false;
    std::int64_t negative = 0;
    std::uint64_t big = 0;
    float f = 0;
    double d = 0;
    std::string text;
    std::vector<char> blob;  // bin
    std::map<std::string, std::vector<int>> nested;
    std::optional<int> none;
    MSGPACK_DEFINE(b, negative, big, f, d, text, blob, nested, none)
    friend bool operator==(const Everything&, const Everything&) = default;
};

TEST(RemoteRegistry, a_body_of_every_msgpack_kind_decodes_to_what_was_packed) {
    register_message<Everything>("test.everything");
    const MessageCodec* codec = codec_named("test.everything");
    ASSERT_NE(codec, nullptr);
    Everything v;
    v.b = true;
    v.negative = -(std::int64_t{1} << 40);
    v.big = ~std::uint64_t{0};
    v.f = 1.5f;
    v.d = -2.25;
    v.text = std::string(300, 'x');  // str16
    v.blob = {0, 1, 2, char(255)};
    v.nested = {{"a", {1, -1, 70000}}, {"", {}}};
    auto m = codec->decode(detail_registry::pack(v), Pid{});
    ASSERT_NE(m->as<Everything>(), nullptr);
    EXPECT_EQ(*m->as<Everything>(), v);
}

TEST(RemoteRegistry, a_hostile_body_is_refused_without_reserving_what_its_counts_claim) {
    register_message<Move>("test.move");
    const MessageCodec* codec = codec_named("test.move");
    // An array32 and a map32 of 2^32 - 1 entries in 5 bytes: refused as truncated, nothing reserved.
    EXPECT_THROW((void)codec->decode(Bytes{0xdd, 0xff, 0xff, 0xff, 0xff}, Pid{}), std::invalid_argument);
    EXPECT_THROW((void)codec->decode(Bytes{0xdf, 0xff, 0xff, 0xff, 0xff}, Pid{}), std::invalid_argument);
    EXPECT_THROW((void)codec->decode(Bytes{0xc1}, Pid{}), std::invalid_argument);  // never used
    Bytes trailing = detail_registry::pack(Move{1, 2, "a"});
    trailing.push_back(0xc0);
    EXPECT_THROW((void)codec->decode(trailing, Pid{}), std::invalid_argument);
    // Nesting: 64 arrays deep is read (and then refused by the type), 65 is refused by the reader.
    msgpack::zone zone;
    Bytes deep(64, 0x91);
    deep.push_back(0x01);
    EXPECT_NO_THROW((void)detail_registry::read_object(deep, zone, detail_registry::max_body_depth));
    deep.insert(deep.begin(), 0x91);
    EXPECT_THROW((void)detail_registry::read_object(deep, zone, detail_registry::max_body_depth), std::invalid_argument);
}

TEST(RemoteRegistry, a_request_from_the_wire_answers_through_its_sink_exactly_once) {
    register_message<GetScore>("test.get_score");
    const MessageCodec* codec = codec_named("test.get_score");
    ASSERT_TRUE(codec->request);
    auto sink = std::make_shared<RecordingSink>();
    {
        auto m = codec->decode(detail_registry::pack(GetScore{"bob"}), Pid{});
        codec->attach_reply(*m, sink);
        ASSERT_TRUE(m->expects_reply());
        m->respond(*m->as<GetScore>(), 41L);
        m->respond(*m->as<GetScore>(), 42L);  // a second answer does nothing
    }
    ASSERT_EQ(sink->replies.size(), 1u);
    EXPECT_TRUE(sink->failures.empty());
    EXPECT_EQ(detail_registry::unpack<long>(sink->replies[0]), 41L);

    auto dropped = std::make_shared<RecordingSink>();
    {
        auto m = codec->decode(detail_registry::pack(GetScore{"eve"}), Pid{});
        codec->attach_reply(*m, dropped);
    }  // let go unanswered
    ASSERT_EQ(dropped->failures.size(), 1u);
    EXPECT_EQ(dropped->failures[0].code, ErrorCode::no_reply);
}

TEST(RemoteRegistry, a_reply_from_the_wire_completes_the_typed_future_or_fails_it_when_it_does_not_decode) {
    register_message<GetScore>("test.get_score");
    const MessageCodec* codec = codec_named("test.get_score");
    auto ok = std::make_shared<detail::FutureState<long>>(false);
    detail::FutureReplyTo<long> to(ok);
    codec->complete(to, detail_registry::pack(7L));
    Future<long> f(ok);
    ASSERT_TRUE(f.ready());

    auto bad = std::make_shared<detail::FutureState<long>>(false);
    detail::FutureReplyTo<long> to_bad(bad);
    codec->complete(to_bad, detail_registry::pack(std::string("seven")));
    std::optional<Result<long>> got;
    Future<long>(bad).then([&](Result<long> r) { got = std::move(r); });
    ASSERT_TRUE(got.has_value());
    ASSERT_FALSE(got->ok());
    EXPECT_EQ(got->error().code, ErrorCode::invalid_argument);
}

TEST(RemoteEnvelope, every_field_round_trips) {
    Envelope e;
    e.kind = EnvelopeKind::terminated;
    e.target = {"lobby", 42, 3};
    e.sender = {"game", 7, 0};
    e.type = "test.move";
    e.body = {1, 2, 3, 0, 255};
    e.request_id = 1ull << 40;
    e.code = 5;
    e.detail = "gone";
    e.flag = true;
    EXPECT_EQ(decode_envelope(encode(e)), e);
}

TEST(RemoteEnvelope, the_links_two_ends_by_number_and_a_type_by_index_round_trip_and_are_shorter) {
    Envelope named;
    named.target = {"lobby", 42, 3};
    named.sender = {"game", 7, 0};
    named.type = "test.move";
    named.body = {1, 2};
    Envelope numbered = named;
    numbered.target = {"", 42, 3, NodeRef::receiver_node};
    numbered.sender = {"", 7, 0, NodeRef::sender_node};
    numbered.type.clear();
    numbered.type_id = 5;
    EXPECT_EQ(decode_envelope(encode(numbered)), numbered);
    EXPECT_EQ(encode(named).size() - encode(numbered).size(), std::string("lobby" "game" "test.move").size());
    // A third node still goes by name next to them.
    Envelope third = numbered;
    third.sender = {"elsewhere", 9, 1};
    EXPECT_EQ(decode_envelope(encode(third)), third);
    // Only 0 and 1 name an end of the link: [0, [2, 42, 3], ...] is refused.
    Bytes bad = encode(numbered);
    ASSERT_EQ(bad[2], 0x93);  // the target's array
    ASSERT_EQ(bad[3], 0x01);  // receiver_node
    bad[3] = 0x02;
    EXPECT_THROW((void)decode_envelope(bad), std::invalid_argument);
}

TEST(RemoteEnvelope, numbers_and_strings_of_every_width_round_trip_in_their_smallest_encoding) {
    for (const std::uint64_t id : {0ull, 127ull, 128ull, 255ull, 256ull, 65535ull, 65536ull, 0xffffffffull, 0x100000000ull, ~0ull}) {
        for (const std::size_t len : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{255}, std::size_t{256}, std::size_t{65536}}) {
            Envelope e;
            e.kind = EnvelopeKind::request;
            e.target = {std::string(len, 'n'), id, static_cast<std::uint32_t>(id)};
            e.sender = {"", id, 1, NodeRef::sender_node};
            e.type = std::string(len, 't');
            e.body.assign(len, 0xab);
            e.request_id = id;
            e.code = static_cast<std::uint8_t>(id);
            e.detail = std::string(len, 'd');
            const Bytes bytes = encode(e);
            EXPECT_EQ(decode_envelope(bytes), e) << id << " " << len;
            // The smallest encoding of the request id: 1, 2, 3, 5 or 9 bytes.
            const std::size_t id_size = id < 128 ? 1 : id < 256 ? 2 : id < 65536 ? 3 : id <= 0xffffffffull ? 5 : 9;
            const std::size_t str_header = len < 32 ? 1 : len < 256 ? 2 : len < 65536 ? 3 : 5;
            const std::size_t bin_header = len < 256 ? 2 : len < 65536 ? 3 : 5;
            const std::size_t gen_size = static_cast<std::uint32_t>(id) < 128 ? 1 : static_cast<std::uint32_t>(id) < 256 ? 2
                                         : static_cast<std::uint32_t>(id) < 65536 ? 3 : 5;
            const std::size_t code_size = static_cast<std::uint8_t>(id) < 128 ? 1 : 2;
            const std::size_t expected = 1 + 1 + (1 + str_header + len + id_size + gen_size) + (1 + 1 + id_size + 1) +
                                         (str_header + len) + (bin_header + len) + id_size + code_size + (str_header + len) + 1;
            EXPECT_EQ(bytes.size(), expected) << id << " " << len;
        }
    }
}

TEST(RemoteEnvelope, malformed_bytes_are_refused_with_a_reason_never_a_crash) {
    Envelope e;
    e.type = "x";
    Bytes good = encode(e);
    EXPECT_THROW((void)decode_envelope(Bytes{}), std::invalid_argument);
    EXPECT_THROW((void)decode_envelope(Bytes{0x93, 0x01}), std::invalid_argument);  // truncated array
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_THROW((void)decode_envelope(trailing), std::invalid_argument);
    Bytes bad_kind = good;
    bad_kind[1] = 0x7f;  // kind 127
    EXPECT_THROW((void)decode_envelope(bad_kind), std::invalid_argument);
    Bytes not_array = detail_registry::pack(std::string("hello"));
    EXPECT_THROW((void)decode_envelope(not_array), std::invalid_argument);
    // Every prefix of a good envelope is refused cleanly.
    for (std::size_t n = 0; n < good.size(); ++n)
        EXPECT_THROW((void)decode_envelope(ByteView(good.data(), n)), std::invalid_argument) << n;
}

}  // namespace
