#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "actors/actors.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;

namespace {
std::shared_ptr<ManualClock> manual() { return std::make_shared<ManualClock>(); }
CustomEvent custom(int i) { return CustomEvent{Pid{}, "t", std::to_string(i)}; }
}  // namespace

TEST(EventStream, SequenceNumbersStartAtOneAndIncreaseWithoutGaps) {
    EventStream s(16, manual());
    EXPECT_EQ(s.last_seq(), 0u);
    for (int i = 1; i <= 5; ++i) EXPECT_EQ(s.publish(custom(i)), static_cast<std::uint64_t>(i));
    auto b = s.read_since(0);
    ASSERT_EQ(b.events.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(b.events[i].seq, i + 1);
    EXPECT_EQ(b.missed, 0u);
    EXPECT_EQ(b.next, 5u);
}

TEST(EventStream, EventsCarryTheClockTimeAtPublication) {
    auto clock = manual();
    EventStream s(16, clock);
    s.publish(custom(1));
    clock->advance(5ms);
    s.publish(custom(2));
    auto b = s.read_since(0);
    EXPECT_EQ(b.events[0].time, TimePoint{0});
    EXPECT_EQ(b.events[1].time, TimePoint{5ms});
}

TEST(EventStream, ReadSinceReturnsOnlyNewerEventsAndHonoursMax) {
    EventStream s(16, manual());
    for (int i = 1; i <= 10; ++i) s.publish(custom(i));
    auto b = s.read_since(4, 3);
    ASSERT_EQ(b.events.size(), 3u);
    EXPECT_EQ(b.events.front().seq, 5u);
    EXPECT_EQ(b.next, 7u);
    auto rest = s.read_since(b.next);
    EXPECT_EQ(rest.events.size(), 3u);
    EXPECT_EQ(rest.next, 10u);
    auto none = s.read_since(rest.next);
    EXPECT_TRUE(none.events.empty());
    EXPECT_EQ(none.next, 10u);
}

TEST(EventStream, AReaderThatFellBehindIsToldExactlyHowManyItMissed) {
    EventStream s(4, manual());
    for (int i = 1; i <= 10; ++i) s.publish(custom(i));
    auto b = s.read_since(2);
    EXPECT_EQ(b.missed, 4u);  // 3..6 were overwritten; 7..10 remain
    ASSERT_EQ(b.events.size(), 4u);
    EXPECT_EQ(b.events.front().seq, 7u);
    EXPECT_EQ(b.next, 10u);
    auto from_start = s.read_since(0);
    EXPECT_EQ(from_start.missed, 6u);
}

TEST(EventStream, CallbacksSeeEveryEventInOrder) {
    EventStream s(8, manual());
    std::vector<std::uint64_t> seen;
    auto id = s.subscribe([&](const Event& e) { seen.push_back(e.seq); });
    for (int i = 0; i < 20; ++i) s.publish(custom(i));
    EXPECT_EQ(seen.size(), 20u);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_TRUE(s.unsubscribe(id));
    s.publish(custom(99));
    EXPECT_EQ(seen.size(), 20u);
    EXPECT_FALSE(s.unsubscribe(id));
}

TEST(EventStream, ANewSubscriberStartsAtNowNotAtTheOldestEvent) {
    EventStream s(8, manual());
    for (int i = 0; i < 5; ++i) s.publish(custom(i));
    std::vector<std::uint64_t> seen;
    s.subscribe([&](const Event& e) { seen.push_back(e.seq); });
    s.publish(custom(5));
    EXPECT_EQ(seen, std::vector<std::uint64_t>{6});
}

TEST(EventStream, EventsPublishedInsideACallbackAreDeliveredAfterItInOrder) {
    EventStream s(64, manual());
    std::vector<std::string> seen;
    s.subscribe([&](const Event& e) {
        auto* c = e.as<CustomEvent>();
        seen.push_back(c->data);
        if (c->data == "a") s.publish(CustomEvent{Pid{}, "t", "b"});
    });
    s.publish(CustomEvent{Pid{}, "t", "a"});
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));
}

TEST(EventStream, ACallbackThatFallsAWholeRingBehindIsToldWhatItMissed) {
    EventStream s(4, manual());
    std::vector<std::string> seen;
    std::optional<EventsMissed> missed;
    s.subscribe([&](const Event& e) {
        if (auto* m = e.as<EventsMissed>()) {
            missed = *m;
            return;
        }
        auto* c = e.as<CustomEvent>();
        seen.push_back(c->data);
        // Publishing 10 more from inside the first callback overruns a ring of 4.
        if (c->data == "0")
            for (int i = 1; i <= 10; ++i) s.publish(custom(i));
    });
    s.publish(custom(0));
    ASSERT_TRUE(missed.has_value());
    EXPECT_EQ(missed->count + seen.size(), 11u) << "every event is either seen or counted as missed";
    EXPECT_EQ(seen.back(), "10");
}

TEST(EventStream, AThrowingCallbackDoesNotStopOtherSubscribers) {
    EventStream s(8, manual());
    int good = 0;
    s.subscribe([](const Event&) { throw std::runtime_error("bad subscriber"); });
    s.subscribe([&](const Event&) { ++good; });
    s.publish(custom(1));
    s.publish(custom(2));
    EXPECT_EQ(good, 2);
}

TEST(EventStream, ACallbackMayUnsubscribeItselfAndGetsNothingMore) {
    EventStream s(8, manual());
    int calls = 0;
    SubscriptionId id = 0;
    id = s.subscribe([&](const Event&) {
        ++calls;
        EXPECT_TRUE(s.unsubscribe(id));
    });
    s.publish(custom(1));
    s.publish(custom(2));
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(s.subscriber_count(), 0u);
}

TEST(EventStream, ASubscriberUnsubscribedByAnEarlierCallbackIsNotCalledForTheSameEvent) {
    EventStream s(8, manual());
    SubscriptionId second = 0;
    int second_calls = 0;
    s.subscribe([&](const Event&) {
        if (second) s.unsubscribe(second);
    });
    second = s.subscribe([&](const Event&) { ++second_calls; });
    s.publish(custom(1));
    s.publish(custom(2));
    EXPECT_EQ(second_calls, 0);
    EXPECT_EQ(s.subscriber_count(), 1u);
}

TEST(EventStream, ZeroCapacityIsRejected) { EXPECT_THROW(EventStream(0, manual()), std::invalid_argument); }

TEST(EventStream, DescribeGivesOneReadableLine) {
    Event e{7, TimePoint{}, DeadLetter{Pid{1, 2, 0}, Pid{}, "Ping", DeadLetterReason::actor_stopped}};
    EXPECT_EQ(describe(e), "#7 dead_letter target=<1.2.0> sender=- type=Ping reason=actor_stopped");
    EXPECT_STREQ(kind_name(e.body), "dead_letter");
}

using EngineEvents = actors::testing::DeterministicEngine;

TEST_F(EngineEvents, AnActorCanSubscribeAndReceivesEventsAsMessages) {
    auto seen = std::make_shared<std::vector<std::string>>();
    Pid watcher = engine.spawn_fn("watcher", [seen](Context&, Message& m) {
        if (auto* e = m.as<Event>()) seen->push_back(kind_name(e->body));
    });
    run();
    engine.subscribe(watcher);
    Pid other = engine.spawn_fn("other", [](Context&, Message&) {});
    run();
    engine.stop(other);
    run();
    EXPECT_EQ(*seen, (std::vector<std::string>{"spawned", "started", "stopped"}));
}

TEST_F(EngineEvents, ActorSubscriptionEndsWhenTheActorStops) {
    Pid watcher = engine.spawn_fn("watcher", [](Context&, Message&) {});
    run();
    engine.subscribe(watcher);
    std::size_t before = engine.events().subscriber_count();
    engine.stop(watcher);
    run();
    engine.events().publish(CustomEvent{Pid{}, "x", "y"});
    EXPECT_EQ(engine.events().subscriber_count(), before - 1);
}

TEST_F(EngineEvents, EngineUnsubscribeEndsWhatEngineSubscribeStarted) {
    auto seen = std::make_shared<int>(0);
    Pid watcher = engine.spawn_fn("watcher", [seen](Context&, Message& m) {
        if (m.is<Event>()) ++*seen;
    });
    run();
    const std::size_t before = engine.events().subscriber_count();
    engine.subscribe(watcher);
    engine.subscribe(watcher);  // twice: unsubscribe ends both
    EXPECT_EQ(engine.events().subscriber_count(), before + 2);
    EXPECT_TRUE(engine.unsubscribe(watcher));
    EXPECT_EQ(engine.events().subscriber_count(), before);
    engine.spawn_fn("other", [](Context&, Message&) {});
    run();
    EXPECT_EQ(*seen, 0);
    EXPECT_TRUE(engine.alive(watcher)) << "unsubscribing does not stop the actor";
    EXPECT_FALSE(engine.unsubscribe(watcher)) << "nothing left to end";
    EXPECT_FALSE(engine.unsubscribe(Pid{}));
}

TEST_F(EngineEvents, AFullSubscriberMailboxDoesNotFeedOnItself) {
    SpawnOptions o;
    o.mailbox = {2, OverflowPolicy::drop_newest};
    Pid watcher = engine.spawn_fn("watcher", [](Context&, Message&) {}, o);
    run();
    engine.subscribe(watcher);
    for (int i = 0; i < 10; ++i) engine.events().publish(CustomEvent{Pid{}, "x", std::to_string(i)});
    run();
    // 10 custom events; the watcher's own overflow and dead letter events are not fed back to it.
    EXPECT_LT(engine.events().last_seq(), 200u);
}

TEST_F(EngineEvents, ContextPublishesCustomEventsWithItselfAsSource) {
    Pid p = engine.spawn_fn("publisher", [](Context& ctx, Message& m) {
        if (m.is<Started>()) ctx.publish("greeting", "hello");
    });
    run();
    auto custom_events = sink.of<CustomEvent>();
    ASSERT_EQ(custom_events.size(), 1u);
    EXPECT_EQ(custom_events[0].source, p);
    EXPECT_EQ(custom_events[0].topic, "greeting");
}

namespace {
struct OrderCreated {
    int id;
    std::vector<std::string> items;
};
}  // namespace

TEST_F(EngineEvents, ContextPublishCarriesATypedValueToInProcessSubscribers) {
    std::vector<CustomEvent> seen;
    const SubscriptionId sub = engine.events().subscribe([&](const Event& e) {
        if (auto* c = e.as<CustomEvent>()) seen.push_back(*c);
    });
    Pid p = engine.spawn_fn("shop", [](Context& ctx, Message& m) {
        if (m.is<Started>()) ctx.publish("orders", "created #17", OrderCreated{17, {"tea", "cake"}});
    });
    run();
    engine.events().unsubscribe(sub);
    ASSERT_EQ(seen.size(), 1u);
    const CustomEvent& c = seen[0];
    EXPECT_EQ(c.source, p);
    EXPECT_EQ(c.topic, "orders");
    EXPECT_EQ(c.data, "created #17") << "the text stays what JS and the dashboard see";
    ASSERT_TRUE(c.has_value());
    const OrderCreated* order = c.value<OrderCreated>();
    ASSERT_NE(order, nullptr);
    EXPECT_EQ(order->id, 17);
    EXPECT_EQ(order->items, (std::vector<std::string>{"tea", "cake"}));
    EXPECT_EQ(c.value<int>(), nullptr) << "a value of another type is not there";
    EXPECT_NE(c.value_type_name().find("OrderCreated"), std::string::npos) << c.value_type_name();
    // The ring holds the same event, value and all, for cursor readers.
    auto batch = engine.events().read_since(0);
    auto it = std::find_if(batch.events.begin(), batch.events.end(), [](const Event& e) { return e.is<CustomEvent>(); });
    ASSERT_NE(it, batch.events.end());
    EXPECT_EQ(it->as<CustomEvent>()->value<OrderCreated>(), order) << "copies of the event share one value";
}

TEST(EventStream, ACustomEventWithoutATypedValueHasNoneAndCopiesShareTheValue) {
    CustomEvent plain{Pid{}, "t", "d"};
    EXPECT_FALSE(plain.has_value());
    EXPECT_EQ(plain.value<std::string>(), nullptr);
    EXPECT_EQ(plain.value_type_name(), "");

    CustomEvent typed = CustomEvent::with_value(Pid{}, "t", "d", 42);
    CustomEvent copy = typed;
    ASSERT_NE(copy.value<int>(), nullptr);
    EXPECT_EQ(*copy.value<int>(), 42);
    EXPECT_EQ(copy.value<int>(), typed.value<int>());
    EXPECT_EQ(copy.value<long>(), nullptr) << "exactly the published type, no conversions";
    EXPECT_EQ(copy.value<const int&>(), typed.value<int>()) << "cv and reference do not matter";
}

TEST_F(EngineEvents, SnapshotPlusEventsSinceItsSequenceGiveTheWholePicture) {
    Pid a = engine.spawn_fn("a", [](Context&, Message&) {});
    run();
    Snapshot snap = engine.snapshot();
    ASSERT_EQ(snap.actors.size(), 1u);
    EXPECT_EQ(snap.actors[0].pid, a);
    EXPECT_EQ(snap.actors[0].state, ActorState::running);
    Pid b = engine.spawn_fn("b", [](Context&, Message&) {});
    run();
    auto later = engine.events().read_since(snap.last_seq);
    ASSERT_FALSE(later.events.empty());
    auto* spawned = later.events[0].as<ActorSpawned>();
    ASSERT_NE(spawned, nullptr);
    EXPECT_EQ(spawned->pid, b);
}

// Found by fuzz/event_stream_fuzzer: cursor + 1 wrapped for UINT64_MAX, and such a cursor read
// as "from the oldest event, some missed" instead of "at the end".
TEST(EventStream, ACursorAtTheVeryEndOfTheRangeReturnsNothingAndMissesNothing) {
    EventStream s(3, manual());
    for (int i = 1; i <= 5; ++i) s.publish(custom(i));
    for (std::uint64_t cursor : {std::uint64_t{5}, std::uint64_t{6}, std::numeric_limits<std::uint64_t>::max() - 1,
                                 std::numeric_limits<std::uint64_t>::max()}) {
        auto b = s.read_since(cursor);
        EXPECT_TRUE(b.events.empty()) << cursor;
        EXPECT_EQ(b.missed, 0u) << cursor;
        EXPECT_EQ(b.next, 5u) << cursor;
    }
}

TEST(EventStream, TallyCountsEachKindPublishedUpToLastSeqEvenAfterTheRingOverwroteThem) {
    EventStream s(2, manual());
    for (int i = 0; i < 5; ++i) s.publish(custom(i));
    s.publish(DeadLetter{Pid{}, Pid{}, "Ping", DeadLetterReason::no_such_actor});
    s.publish(ActorFailed{Pid{1, 1, 0}, "boom", "Ping", 1});
    const EventTally t = s.tally();
    EXPECT_EQ(t.last_seq, 7u);
    EXPECT_EQ(t.of<CustomEvent>(), 5u);
    EXPECT_EQ(t.of<DeadLetter>(), 1u);
    EXPECT_EQ(t.of<ActorFailed>(), 1u);
    EXPECT_EQ(t.of<ActorSpawned>(), 0u);
    std::uint64_t total = 0;
    for (std::uint64_t n : t.by_kind) total += n;
    EXPECT_EQ(total, t.last_seq);
}

// The dispatcher keeps the subscriber list it last took (so an event does not cost a lock and a
// reference count for it); unsubscribing must still let go of the callback and what it holds.
TEST(EventStream, UnsubscribeLetsGoOfTheCallbackAndItsCapturesAtOnce) {
    EventStream s(16, manual());
    auto held = std::make_shared<int>(7);
    int seen = 0;
    auto other = s.subscribe([&](const Event&) { ++seen; });
    auto id = s.subscribe([held, &seen](const Event&) { seen += *held; });
    s.publish(custom(1));
    EXPECT_EQ(seen, 8);
    EXPECT_EQ(held.use_count(), 2);
    EXPECT_TRUE(s.unsubscribe(id));
    EXPECT_EQ(held.use_count(), 1);
    s.publish(custom(2));
    EXPECT_EQ(seen, 9);  // the other one still hears, the removed one does not
    EXPECT_TRUE(s.unsubscribe(other));
}

// A callback that unsubscribes itself keeps running to its end (its captures stay valid while it
// runs), and is never called again.
TEST(EventStream, ACallbackThatUnsubscribesItselfFinishesWithItsCapturesIntact) {
    EventStream s(16, manual());
    auto held = std::make_shared<int>(5);
    int calls = 0, last = 0;
    SubscriptionId id = 0;
    id = s.subscribe([held, &calls, &last, &s, &id](const Event&) {
        ++calls;
        s.unsubscribe(id);
        last = *held;  // still ours after unsubscribing
    });
    s.publish(custom(1));
    s.publish(custom(2));
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(last, 5);
}

// State kept outside the engine is restated in every snapshot, numbered like it, until its owner
// takes the restater away; it is not an event of the stream (nothing is published).
TEST(EventStream, StandingStateIsRestatedInEverySnapshotUntilRemoved) {
    Engine engine(EngineConfig::cooperative());
    engine.events().publish(custom(1));
    int members = 1;
    const std::uint64_t id = engine.events().add_standing([&members](std::vector<EventBody>& out) {
        for (int i = 0; i < members; ++i) out.push_back(MemberJoined{"m" + std::to_string(i), "127.0.0.1:1", {}});
    });
    members = 2;
    const std::uint64_t before = engine.events().last_seq();
    Snapshot s = engine.snapshot();
    ASSERT_EQ(s.standing.size(), 2u);
    EXPECT_EQ(s.standing[1].as<MemberJoined>()->member, "m1");
    EXPECT_EQ(s.standing[0].seq, s.last_seq);
    EXPECT_EQ(engine.events().last_seq(), before);
    engine.events().remove_standing(id);
    EXPECT_TRUE(engine.snapshot().standing.empty());
    EXPECT_THROW(engine.events().add_standing({}), InvalidArgument);
}
