#include <stdexcept>

#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;

namespace {
struct Ask {
    using Response = std::string;
    std::string question;
};
struct Note {
    int value;
};
struct Go {};

// What a receiver saw: the value and the sender.
struct Seen {
    int value;
    Pid sender;
};
}  // namespace

class Forward : public DeterministicEngine {
protected:
    // Answers Ask with "<name>: <question>" and records Notes.
    Pid spawn_answerer(const std::string& name) {
        return engine.spawn_fn(name, [seen = seen, name](Context& ctx, Message& m) {
            m.visit([&](const Ask& a) { ctx.respond(a, name + ": " + a.question); },
                    [&](const Note& n) { seen->push_back({n.value, m.sender()}); });
        });
    }
    // Forwards everything but lifecycle messages to `to`.
    Pid spawn_relay(const std::string& name, Pid to) {
        return engine.spawn_fn(name, [to](Context& ctx, Message& m) {
            if (m.is<Note>() || m.is<Ask>()) ctx.forward(to);
        });
    }

    std::shared_ptr<std::vector<Seen>> seen = std::make_shared<std::vector<Seen>>();
};

TEST_F(Forward, TheTargetSeesTheOriginalSender) {
    Pid target = spawn_answerer("target");
    Pid relay = spawn_relay("relay", target);
    Pid origin = engine.spawn_fn("origin", [relay](Context& ctx, Message& m) {
        if (m.is<Go>()) ctx.send(relay, Note{5});
    });
    engine.send(origin, Go{});
    run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_EQ((*seen)[0].value, 5);
    EXPECT_EQ((*seen)[0].sender, origin);
    expect_conserved();
}

TEST_F(Forward, AForwardedMessageFromOutsideKeepsNoSender) {
    Pid target = spawn_answerer("target");
    Pid relay = spawn_relay("relay", target);
    engine.send(relay, Note{1});
    run();
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_FALSE((*seen)[0].sender.valid());
}

TEST_F(Forward, AForwardedRequestIsAnsweredByTheTargetToTheOriginalRequester) {
    Pid target = spawn_answerer("target");
    Pid relay = spawn_relay("relay", target);
    auto f = engine.request(relay, Ask{"who answers?"});
    run();
    ASSERT_TRUE(f.ready());
    ASSERT_TRUE(f.result()->ok()) << f.result()->error().message();
    EXPECT_EQ(f.result()->value(), "target: who answers?");
    expect_conserved();
}

TEST_F(Forward, AnActorsForwardedRequestCompletesItsContinuation) {
    Pid target = spawn_answerer("target");
    Pid relay1 = spawn_relay("relay1", target);
    Pid relay2 = spawn_relay("relay2", relay1);  // two hops
    auto got = std::make_shared<std::vector<std::string>>();
    Pid asker = engine.spawn_fn("asker", [relay2, got](Context& ctx, Message& m) {
        if (m.is<Go>())
            ctx.request(relay2, Ask{"q"}, [got](Result<std::string> r) { got->push_back(r ? r.value() : r.error().message()); });
    });
    engine.send(asker, Go{});
    run();
    EXPECT_EQ(*got, (std::vector<std::string>{"target: q"}));
    expect_conserved();
}

TEST_F(Forward, AForwardedRequestToAStoppedActorFailsFast) {
    Pid target = spawn_answerer("target");
    engine.stop(target);
    run();
    Pid relay = spawn_relay("relay", target);
    auto f = engine.request(relay, Ask{"anyone?"});
    run();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::actor_stopped);
    expect_conserved();
}

TEST_F(Forward, ForwardingTwiceInOneHandlerThrowsLogicError) {
    Pid first = spawn_answerer("first");
    auto other = std::make_shared<std::vector<Seen>>();
    Pid second = engine.spawn_fn("second", [other](Context& ctx, Message& m) {
        if (auto* n = m.as<Note>()) other->push_back({n->value, ctx.sender()});
    });
    auto threw = std::make_shared<int>(0);
    Pid relay = engine.spawn_fn("relay", [first, second, threw](Context& ctx, Message& m) {
        if (!m.is<Note>()) return;
        ctx.forward(first);
        try {
            ctx.forward(second);
        } catch (const std::logic_error&) {
            ++*threw;
        }
    });
    engine.send(relay, Note{1});
    run();
    EXPECT_EQ(*threw, 1);
    EXPECT_EQ(seen->size(), 1u);
    EXPECT_TRUE(other->empty());
    EXPECT_EQ(sink.count<ActorFailed>(), 0u);
    expect_conserved();
}

TEST_F(Forward, ForwardingOutsideAMessageHandlerThrowsLogicError) {
    Pid target = spawn_answerer("target");
    auto threw = std::make_shared<bool>(false);
    struct ForwardsInStarted : Actor {
        ForwardsInStarted(Pid t, std::shared_ptr<bool> f) : to(t), flag(std::move(f)) {}
        void started(Context& ctx) override {
            try {
                ctx.forward(to);
            } catch (const std::logic_error&) {
                *flag = true;
            }
        }
        void receive(Context&, Message&) override {}
        Pid to;
        std::shared_ptr<bool> flag;
    };
    engine.spawn<ForwardsInStarted>("hook", {}, target, threw);
    run();
    EXPECT_TRUE(*threw);
    EXPECT_TRUE(seen->empty());
}

TEST_F(Forward, CountersStayConservedAndAForwardCountsAsHandled) {
    Pid target = spawn_answerer("target");
    Pid relay = spawn_relay("relay", target);
    for (int i = 0; i < 10; ++i) engine.send(relay, Note{i});
    run();
    ASSERT_EQ(seen->size(), 10u);
    for (int i = 0; i < 10; ++i) EXPECT_EQ((*seen)[static_cast<std::size_t>(i)].value, i) << "order kept";
    auto relay_info = engine.info(relay);
    EXPECT_EQ(relay_info->counters.received, 10u);
    EXPECT_EQ(relay_info->counters.processed, 10u);
    EXPECT_EQ(relay_info->counters.sent, 10u);
    EXPECT_EQ(engine.info(target)->counters.processed, 10u);
    auto c = engine.counters();
    EXPECT_EQ(c.sent, 20u);
    EXPECT_EQ(c.processed, 20u);
    EXPECT_EQ(c.dead_lettered, 0u);
    expect_conserved();
}

TEST_F(Forward, AHandlerThatThrowsAfterForwardingStillDeliversTheMessage) {
    Pid target = spawn_answerer("target");
    Pid relay = engine.spawn_fn("relay", [target](Context& ctx, Message& m) {
        if (!m.is<Ask>()) return;
        ctx.forward(target);
        throw std::runtime_error("relay broke after forwarding");
    });
    auto f = engine.request(relay, Ask{"still answered?"});
    run();
    ASSERT_TRUE(f.ready());
    ASSERT_TRUE(f.result()->ok()) << f.result()->error().message();
    EXPECT_EQ(f.result()->value(), "target: still answered?");
    EXPECT_EQ(sink.count<ActorFailed>(), 1u);
    EXPECT_EQ(sink.count<DeadLetter>(), 0u) << "the forwarded message is not a dead letter of the relay";
    expect_conserved();
}
