// The event stream on the wire (remote/event_codec.hpp): every event kind and a snapshot round
// trip exactly; what is not an event is refused with a reason, without reserving memory for it.
#include <gtest/gtest.h>

#include <remote/event_codec.hpp>

#include <msgpack.hpp>

#include <cstdint>
#include <set>

namespace {
using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

Pid pid(std::uint64_t id, std::uint32_t gen = 0) { return Pid{3, id, gen}; }

LinkStats link_stats() {
    LinkStats l;
    l.node = "beta";
    l.incarnation = 0xfeedfacecafebeefull;
    l.connected = true;
    l.sent = 10;
    l.acknowledged = 8;
    l.in_flight = 2;
    l.bytes_out = 1234;
    l.rtt = 420us;
    return l;
}

// One event of every kind, with every field away from its default.
std::vector<Event> one_of_each() {
    StatsSampled stats;
    stats.interval = 250ms;
    stats.counters = EngineCounters{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    stats.actors.push_back(ActorSample{pid(4), 17, ActorCounters{5, 4, 3, 2, 1}});
    stats.links.push_back(link_stats());
    std::vector<EventBody> bodies{
        ActorSpawned{pid(1), pid(0, 2), "pool/worker-1", 1024},
        ActorStarted{pid(1)},
        ActorStopped{pid(1), StopReason::failed, "boom"},
        DeadLetter{pid(2), pid(1), "Ping", DeadLetterReason::remote_unreachable},
        MailboxOverflow{pid(2), 64, OverflowPolicy::reject_sender, "Job"},
        ActorFailed{pid(2), "std::runtime_error: x", "Job", 7},
        ActorRestarted{pid(2, 1), 2, 9, 150ms, 300ms, "x"},
        ActorResumed{pid(2), "y"},
        MaxRestartsExceeded{pid(2), 5, 10s},
        Escalated{pid(2), Pid{}, "limit"},
        ActorUnhealthy{pid(5), HealthSignal::mailbox_lag, 1500ms, "lagging"},
        ActorHealthy{pid(5), HealthSignal::slow_handler, 3ms},
        CustomEvent{pid(6), "chat", "{\"from\":\"ann\"}"},
        stats,
        EventsMissed{100, 42},
        NodeConnected{"beta", 0xfeedfacecafebeefull, 77, true},
        NodeDisconnected{"beta", "connection reset"},
        NodeDown{"beta", "6 heartbeats missed"},
        LinkReplayed{"beta", 250},
        MemberJoined{"m1", "127.0.0.1:4100", {"user", "room"}},
        MemberLeft{"m1", "127.0.0.1:4100", MemberLeftReason::lease_expired},
        ActivationStarted{"user", "alice", "m1", pid(7)},
        ActivationStopped{"user", "alice", "m1", pid(7), ActivationStopReason::handed_over},
    };
    std::vector<Event> out;
    std::uint64_t seq = 1;
    for (auto& b : bodies) out.push_back(Event{seq++, TimePoint{std::chrono::milliseconds(1000 + seq)}, std::move(b)});
    return out;
}

TEST(EventCodec, every_kind_round_trips_exactly) {
    const auto events = one_of_each();
    std::set<std::size_t> kinds;
    for (const Event& e : events) {
        kinds.insert(e.body.index());
        const Bytes bytes = encode_event(e);
        const Event back = decode_event(bytes);
        EXPECT_EQ(back.seq, e.seq);
        EXPECT_EQ(back.time, e.time);
        EXPECT_EQ(back.body.index(), e.body.index()) << event_kind_names[e.body.index()];
        EXPECT_EQ(describe(back), describe(e));
        EXPECT_EQ(encode_event(back), bytes) << event_kind_names[e.body.index()] << ": a field was lost";
    }
    EXPECT_EQ(kinds.size(), std::variant_size_v<EventBody>) << "one_of_each() misses a kind";
    const Event decoded = decode_event(encode_event(events[13]));
    const auto* s = decoded.as<StatsSampled>();
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->links.size(), 1u);
    EXPECT_EQ(s->links[0].incarnation, 0xfeedfacecafebeefull);
    EXPECT_EQ(s->links[0].rtt, Duration(420us));
    EXPECT_EQ(s->actors[0].counters.received, 5u);
}

// The encoder writes msgpack by hand (speed); at every width boundary its bytes must be exactly
// what msgpack-cxx packs for the same values, so any msgpack reader (the JS one included) reads them.
TEST(EventCodec, its_msgpack_is_byte_for_byte_what_msgpack_cxx_writes_at_every_width) {
    const std::vector<std::int64_t> signed_values{0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL, INT64_MAX,
                                                  -1, -32, -33, -128, -129, -32768, -32769, INT32_MIN, INT32_MIN - 1LL, INT64_MIN};
    const std::vector<std::uint64_t> unsigned_values{0, 127, 128, 255, 256, 65535, 65536, 4294967295ULL, 4294967296ULL, UINT64_MAX};
    const std::vector<std::size_t> lengths{0, 1, 31, 32, 255, 256, 65535, 65536};
    auto pack_pid = [](auto& p, const Pid& x) {
        p.pack_array(3);
        p.pack(std::uint64_t{x.node});
        p.pack(std::uint64_t{x.id});
        p.pack(std::uint64_t{x.generation});
    };
    for (const std::int64_t v : signed_values) {  // a time and a duration are signed nanoseconds
        const Event e{7, TimePoint{std::chrono::nanoseconds(v)}, MaxRestartsExceeded{pid(1), 3, std::chrono::nanoseconds(v)}};
        msgpack::sbuffer buffer;
        msgpack::packer<msgpack::sbuffer> p(buffer);
        p.pack_array(6);
        p.pack(std::uint64_t{7});
        p.pack(v);
        p.pack(std::uint64_t{e.body.index()});
        pack_pid(p, pid(1));
        p.pack(std::uint64_t{3});
        p.pack(v);
        EXPECT_EQ(encode_event(e), Bytes(reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                         reinterpret_cast<const std::uint8_t*>(buffer.data()) + buffer.size()))
            << "signed " << v;
    }
    for (const std::uint64_t v : unsigned_values) {
        const Event e{v, TimePoint{}, EventsMissed{v, v}};
        msgpack::sbuffer buffer;
        msgpack::packer<msgpack::sbuffer> p(buffer);
        p.pack_array(5);
        p.pack(v);
        p.pack(std::int64_t{0});
        p.pack(std::uint64_t{e.body.index()});
        p.pack(v);
        p.pack(v);
        EXPECT_EQ(encode_event(e), Bytes(reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                         reinterpret_cast<const std::uint8_t*>(buffer.data()) + buffer.size()))
            << "unsigned " << v;
    }
    for (const std::size_t n : lengths) {  // strings, and arrays of that many elements
        MemberJoined joined{std::string(n, 'm'), "a", std::vector<std::string>(n, "k")};
        const Event e{1, TimePoint{}, joined};
        msgpack::sbuffer buffer;
        msgpack::packer<msgpack::sbuffer> p(buffer);
        p.pack_array(6);
        p.pack(std::uint64_t{1});
        p.pack(std::int64_t{0});
        p.pack(std::uint64_t{e.body.index()});
        p.pack(joined.member);
        p.pack(joined.address);
        p.pack(joined.kinds);
        EXPECT_EQ(encode_event(e), Bytes(reinterpret_cast<const std::uint8_t*>(buffer.data()),
                                         reinterpret_cast<const std::uint8_t*>(buffer.data()) + buffer.size()))
            << "length " << n;
        EXPECT_EQ(describe(decode_event(encode_event(e))), describe(e)) << "length " << n;
    }
    const Event flags{2, TimePoint{}, NodeConnected{"b", 1, 2, true}};
    EXPECT_EQ(encode_event(flags).back(), 0xc3);  // true
}

TEST(EventCodec, a_custom_events_typed_value_stays_behind) {
    const Event e{9, TimePoint{}, CustomEvent::with_value(pid(1), "t", "d", 42)};
    const Event back = decode_event(encode_event(e));
    const auto* c = back.as<CustomEvent>();
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->topic, "t");
    EXPECT_EQ(c->data, "d");
    EXPECT_FALSE(c->has_value());
}

TEST(EventCodec, a_snapshot_round_trips_exactly) {
    Snapshot s;
    s.last_seq = 99;
    s.published = PublishedTotals{1, 2, 3, 4, 5, 6, 7, 8};
    s.time = TimePoint{5s};
    s.counters = EngineCounters{10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
    ActorInfo a;
    a.pid = pid(1, 2);
    a.name = "room";
    a.parent = pid(0);
    a.state = ActorState::restarting;
    a.mailbox_depth = 3;
    a.mailbox_capacity = 100;
    a.overflow = OverflowPolicy::drop_oldest;
    a.counters = ActorCounters{1, 2, 3, 4, 5};
    a.children = {pid(7), pid(8)};
    a.restarts = 2;
    a.failures = 3;
    a.health = 5;
    a.last_error = "oops";
    s.actors = {a, ActorInfo{}};
    s.links = {link_stats()};
    const Bytes bytes = encode_snapshot(s);
    const Snapshot back = decode_snapshot(bytes);
    EXPECT_EQ(encode_snapshot(back), bytes);
    EXPECT_EQ(back.last_seq, 99u);
    EXPECT_EQ(back.published.escalations, 8u);
    ASSERT_EQ(back.actors.size(), 2u);
    EXPECT_EQ(back.actors[0].name, "room");
    EXPECT_EQ(back.actors[0].children, a.children);
    EXPECT_EQ(back.actors[0].state, ActorState::restarting);
    ASSERT_EQ(back.links.size(), 1u);
    EXPECT_EQ(back.links[0].node, "beta");
    EXPECT_TRUE(back.standing.empty());

    // With standing state (a cluster's members and activations): a seventh field, read back.
    s.standing = {Event{99, TimePoint{5s}, MemberJoined{"m1", "127.0.0.1:4100", {"user"}}},
                  Event{99, TimePoint{5s}, ActivationStarted{"user", "alice", "m1", pid(7)}}};
    const Bytes with = encode_snapshot(s);
    const Snapshot back2 = decode_snapshot(with);
    EXPECT_EQ(encode_snapshot(back2), with);
    ASSERT_EQ(back2.standing.size(), 2u);
    EXPECT_EQ(describe(back2.standing[0]), describe(s.standing[0]));
    EXPECT_EQ(describe(back2.standing[1]), describe(s.standing[1]));
    EXPECT_EQ(back2.actors.size(), 2u);
}

std::string refusal(const Bytes& b) {
    try {
        (void)decode_event(b);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

TEST(EventCodec, what_is_not_an_event_is_refused_with_a_reason) {
    const Bytes good = encode_event(one_of_each()[3]);
    EXPECT_NE(refusal(Bytes(good.begin(), good.end() - 1)).find("malformed event"), std::string::npos);  // truncated
    Bytes trailing = good;
    trailing.push_back(0xc0);
    EXPECT_NE(refusal(trailing).find("trailing"), std::string::npos);
    EXPECT_NE(refusal(Bytes{0x93, 0x01, 0x00, 0x7f}).find("unknown kind 127"), std::string::npos);
    EXPECT_NE(refusal(Bytes{0x94, 0x01, 0x00, 0x01, 0x01}).find("pid"), std::string::npos);  // a number for a pid
    EXPECT_NE(refusal(Bytes{0x93, 0x01, 0x00, 0x01}).find("ends early"), std::string::npos);
    // An array header claiming 2^32-1 elements in 5 bytes: refused, nothing reserved for it.
    EXPECT_NE(refusal(Bytes{0xdd, 0xff, 0xff, 0xff, 0xff}).find("malformed event"), std::string::npos);
    EXPECT_NE(refusal(Bytes{}).find("malformed event"), std::string::npos);
    // A dead letter with an unknown reason.
    Bytes bad_reason = good;
    bad_reason.back() = 0x7f;
    EXPECT_NE(refusal(bad_reason).find("unknown"), std::string::npos);
}

}  // namespace
