// JavaScript's JSON messages as remote types: the msgpack form of a JSON value, what JSON cannot
// hold refused with a reason, and two Nodes (cooperative engines, in-memory network) where a
// native actor on one answers the JSON requests of an actor on the other, as a server's actor
// answers a browser tab's.
#include <gtest/gtest.h>

#include <memory_transport.hpp>
#include <remote/js_messages.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include <actors/actors.hpp>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

json::Value round_trip(const json::Value& v) {
    register_js_messages();
    const MessageCodec* c = codec_named(js_message_name);
    EXPECT_NE(c, nullptr);
    auto m = actors::detail::make_message<js::JsMessage>(Pid{}, js::JsMessage{v});
    Bytes bytes = c->encode(*m);
    auto back = c->decode(bytes, Pid{});
    return back->as<js::JsMessage>()->body;
}

Bytes packed(const std::function<void(msgpack::packer<msgpack::sbuffer>&)>& f) {
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> p(buffer);
    f(p);
    return Bytes(reinterpret_cast<const std::uint8_t*>(buffer.data()), reinterpret_cast<const std::uint8_t*>(buffer.data()) + buffer.size());
}

TEST(RemoteJsMessages, every_json_shape_round_trips_with_object_keys_in_order) {
    const json::Value v = json::parse(
        R"({"z":1,"a":[true,false,null,-3,0.5,1e300,-9007199254740993,"π"],"m":{"":{},"k":[]},"s":""})");
    EXPECT_EQ(round_trip(v), v);
    EXPECT_EQ(json::dump(round_trip(v)), json::dump(v));
    for (const json::Value& x : {json::Value{}, json::Value{true}, json::Value{42}, json::Value{-0.25}, json::Value{"x"}})
        EXPECT_EQ(round_trip(x), x);
}

TEST(RemoteJsMessages, integral_numbers_travel_as_msgpack_integers_so_other_readers_see_ints) {
    register_js_messages();
    auto m = actors::detail::make_message<js::JsMessage>(Pid{}, js::JsMessage{json::parse("[7,-7,1.5]")});
    Bytes b = codec_named(js_message_name)->encode(*m);
    msgpack::object_handle h = msgpack::unpack(reinterpret_cast<const char*>(b.data()), b.size());
    ASSERT_EQ(h.get().type, msgpack::type::ARRAY);
    EXPECT_EQ(h.get().via.array.ptr[0].type, msgpack::type::POSITIVE_INTEGER);
    EXPECT_EQ(h.get().via.array.ptr[1].type, msgpack::type::NEGATIVE_INTEGER);
    EXPECT_EQ(h.get().via.array.ptr[2].type, msgpack::type::FLOAT64);
}

TEST(RemoteJsMessages, what_json_cannot_hold_is_refused_with_a_reason) {
    register_js_messages();
    const MessageCodec* c = codec_named(js_request_name);
    ASSERT_NE(c, nullptr);
    auto refused = [&](const Bytes& b) -> std::string {
        try {
            (void)c->decode(b, Pid{});
        } catch (const std::exception& e) {
            return e.what();
        }
        return "decoded";
    };
    EXPECT_NE(refused(packed([](auto& p) { p.pack_map(1); p.pack(1); p.pack(2); })).find("keys must be strings"), std::string::npos);
    EXPECT_NE(refused(packed([](auto& p) { p.pack_bin(1); p.pack_bin_body("x", 1); })).find("binary"), std::string::npos);
    EXPECT_NE(refused(packed([](auto& p) { p.pack_double(std::numeric_limits<double>::quiet_NaN()); })).find("NaN"), std::string::npos);
    EXPECT_NE(refused(packed([](auto& p) { p.pack_ext(1, 1); p.pack_ext_body("x", 1); })).find("extension"), std::string::npos);
    EXPECT_NE(refused(Bytes{0x91}), "decoded");  // an array of one with nothing in it
}

// A native "room" on the server answers JSON requests and sends JSON to whoever asked.
struct Room final : Actor {
    void receive(Context& ctx, Message& m) override {
        if (auto* r = m.as<js::JsRequest>()) {
            json::Value answer;
            answer.set("echo", r->body).set("from", "server");
            m.respond(*r, std::move(answer));
            ctx.send(m.sender(), js::JsMessage{json::parse(R"({"type":"welcome"})")});
        }
    }
};

struct Side {
    explicit Side(const std::string& name, std::shared_ptr<actors::remote::testing::MemoryNetwork> net)
        : engine(EngineConfig::deterministic(std::make_shared<ManualClock>())) {
        NodeOptions o;
        o.name = name;
        o.token = "secret";
        node = std::make_unique<Node>(engine, o, std::make_shared<actors::remote::testing::MemoryTransport>(std::move(net)));
    }
    Engine engine;
    std::unique_ptr<Node> node;
    ~Side() { node.reset(); }
};

TEST(RemoteJsMessages, a_json_request_to_a_server_actor_is_answered_and_the_server_sends_back_to_the_asker) {
    register_js_messages();
    auto net = actors::remote::testing::MemoryNetwork::make();
    Side server("server", net), tab("tab", net);
    server.engine.spawn<Room>("room");
    auto port = server.node->listen({});
    (void)tab.node->connect("ws://127.0.0.1:" + std::to_string(port));
    auto settle = [&] {
        for (int i = 0; i < 20; ++i) {
            server.engine.run_until_idle();
            tab.engine.run_until_idle();
        }
    };
    settle();
    std::optional<Pid> room;
    tab.node->lookup("server", "room").then([&](Result<Pid> r) { if (r.ok()) room = r.value(); });
    settle();
    ASSERT_TRUE(room.has_value());

    std::vector<json::Value> got;
    std::optional<json::Value> answer;
    tab.engine.spawn_fn("user", [&](Context& ctx, Message& m) {
        if (m.is<std::string>()) {
            ctx.request(*room, js::JsRequest{json::parse(R"({"say":"hi"})")}, Duration(1s), [&](Result<json::Value> r) {
                if (r.ok()) answer = r.value();
            });
        } else if (auto* j = m.as<js::JsMessage>()) {
            got.push_back(j->body);
        }
    });
    tab.engine.send(*tab.engine.lookup("user"), std::string("go"));
    settle();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(json::dump(*answer), R"({"echo":{"say":"hi"},"from":"server"})");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(json::dump(got[0]), R"({"type":"welcome"})");
}

}  // namespace
