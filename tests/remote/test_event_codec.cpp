// The event stream on the wire (remote/event_codec.hpp): every event kind and a snapshot round
// trip exactly; what is not an event is refused with a reason, without reserving memory for it.
#include <gtest/gtest.h>

#include <remote/event_codec.hpp>

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
