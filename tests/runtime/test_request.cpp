#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::DeterministicEngine;

namespace {
struct GetTotal {
    using Response = long;
};
struct Add {
    long n;
};
struct Ask {  // answered by respond()
    using Response = std::string;
    std::string question;
};
struct Later {  // answered later, through a kept Responder
    using Response = int;
};
struct Ignored {  // never answered, never dropped
    using Response = int;
};
struct Dropped {  // received and dropped without answer
    using Response = int;
};
struct Boom {
    using Response = int;
};

struct Accumulator : Actor {
    long total = 0;
    std::vector<Responder<int>> later;
    std::vector<Responder<int>> ignored;
    void receive(Context& ctx, Message& m) override {
        m.visit([&](const Add& a) { total += a.n; },
                [&](const GetTotal&) { return total; },
                [&](const Ask& q) { ctx.respond(q, "you asked: " + q.question); },
                [&](const Later& l) { later.push_back(m.take_responder(l)); },
                [&](const Ignored& i) { ignored.push_back(m.take_responder(i)); },
                [&](const Dropped&) {},
                [&](const Boom&) -> int { throw std::runtime_error("kaboom"); },
                [&](const std::string& s) {
                    if (s == "flush")
                        for (auto& r : later) r.reply(7);
                });
    }
};
}  // namespace

using RequestTest = DeterministicEngine;

TEST_F(RequestTest, ReturnsTheTypedReplyFromAVisitHandler) {
    Pid acc = engine.spawn<Accumulator>("acc");
    engine.send(acc, Add{40});
    engine.send(acc, Add{2});
    Future<long> f = engine.request(acc, GetTotal{});
    EXPECT_FALSE(f.ready());
    run();
    ASSERT_TRUE(f.ready());
    ASSERT_TRUE(f.result()->ok());
    EXPECT_EQ(f.result()->value(), 42);
}

TEST_F(RequestTest, RespondAnswersWithTheRequestsResponseType) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Ask{"why?"});
    run();
    EXPECT_EQ(f.result()->value(), "you asked: why?");
}

TEST_F(RequestTest, ThenRunsTheContinuationWithTheResult) {
    Pid acc = engine.spawn<Accumulator>("acc");
    std::optional<long> got;
    engine.request(acc, GetTotal{}).then([&](Result<long> r) { got = r.value(); });
    EXPECT_FALSE(got);
    run();
    EXPECT_EQ(got, 0);
}

TEST_F(RequestTest, ThenOnACompletedFutureRunsAtOnce) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, GetTotal{});
    run();
    bool called = false;
    f.then([&](Result<long> r) { called = r.ok(); });
    EXPECT_TRUE(called);
}

TEST_F(RequestTest, ASecondThenOnAPendingFutureThrowsAndTheFirstContinuationStillRuns) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, GetTotal{});
    int first = 0, second = 0;
    f.then([&](Result<long>) { ++first; });
    EXPECT_THROW(f.then([&](Result<long>) { ++second; }), std::logic_error);
    run();
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 0);
}

TEST_F(RequestTest, ASecondThenOnACompletedFutureThrowsInsteadOfRunningAgain) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, GetTotal{});
    run();
    int first = 0, second = 0;
    f.then([&](Result<long>) { ++first; });
    EXPECT_THROW(f.then([&](Result<long>) { ++second; }), std::logic_error);
    auto copy = f;  // a copy shares the state, and so the rule
    EXPECT_THROW(copy.then([&](Result<long>) { ++second; }), std::logic_error);
    EXPECT_EQ(first, 1);
    EXPECT_EQ(second, 0);
}

TEST_F(RequestTest, DeferredResponderAnswersLater) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Later{});
    run();
    EXPECT_FALSE(f.ready());
    engine.send(acc, std::string("flush"));
    run();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->value(), 7);
}

TEST_F(RequestTest, TimesOutAtExactlyTheTimeoutInVirtualTime) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Ignored{}, 250ms);
    run();
    advance(249ms);
    EXPECT_FALSE(f.ready());
    advance(1ms);
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::timeout);
    EXPECT_NE(f.result()->error().detail.find("within 250 ms"), std::string::npos) << f.result()->error().detail;
}

TEST_F(RequestTest, UsesTheEngineDefaultTimeoutWhenNoneIsGiven) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Ignored{});
    advance(engine.config().default_request_timeout - 1ns);
    EXPECT_FALSE(f.ready());
    advance(1ns);
    EXPECT_EQ(f.result()->error().code, ErrorCode::timeout);
}

TEST_F(RequestTest, AReplyCancelsTheTimeoutTimer) {
    Pid acc = engine.spawn<Accumulator>("acc");
    const std::size_t baseline = engine.cooperative()->pending_timers();  // the health monitor's
    auto f = engine.request(acc, GetTotal{}, 10s);
    EXPECT_EQ(engine.cooperative()->pending_timers(), baseline + 1);
    run();
    EXPECT_TRUE(f.result()->ok());
    EXPECT_EQ(engine.cooperative()->pending_timers(), baseline);
}

TEST_F(RequestTest, FailsFastForAnUnknownActor) {
    const std::size_t baseline = engine.cooperative()->pending_timers();
    auto f = engine.request(Pid{engine.node(), 999999, 0}, GetTotal{});
    ASSERT_TRUE(f.ready()) << "must fail at once, not by timeout";
    EXPECT_EQ(f.result()->error().code, ErrorCode::no_such_actor);
    EXPECT_EQ(engine.cooperative()->pending_timers(), baseline) << "its timeout timer is cancelled";
}

TEST_F(RequestTest, FailsFastForAStoppedActor) {
    Pid acc = engine.spawn<Accumulator>("acc");
    engine.stop(acc);
    run();
    auto f = engine.request(acc, GetTotal{});
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::actor_stopped);
}

TEST_F(RequestTest, FailsWhenTheTargetStopsWithTheRequestQueued) {
    Pid acc = engine.spawn<Accumulator>("acc");
    run();
    auto f = engine.request(acc, GetTotal{});
    engine.stop(acc);  // system queue first: the stop overtakes the request
    run();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::actor_stopped);
}

TEST_F(RequestTest, HandlerThatDropsTheRequestFailsItWithNoReply) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Dropped{});
    run();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::no_reply);
}

TEST_F(RequestTest, HandlerThatThrowsGivesTheRequesterThatError) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, Boom{});
    run();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::handler_failed);
    EXPECT_EQ(f.result()->error().detail, "kaboom");
}

TEST_F(RequestTest, GetOnACooperativeEngineThrowsInsteadOfHanging) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto f = engine.request(acc, GetTotal{});
    EXPECT_THROW((void)f.get(), std::logic_error);
    run();
    EXPECT_EQ(f.get().value(), 0);  // complete: get() returns without blocking
}

TEST_F(RequestTest, NonPositiveTimeoutIsRejected) {
    Pid acc = engine.spawn<Accumulator>("acc");
    EXPECT_THROW(engine.request(acc, GetTotal{}, 0ms), std::invalid_argument);
    EXPECT_THROW(engine.request(acc, GetTotal{}, -5ms), std::invalid_argument);
}

TEST_F(RequestTest, ValueOfAFailedResultThrowsActorErrorWithTheCode) {
    auto f = engine.request(Pid{engine.node(), 424242, 0}, GetTotal{});
    try {
        (void)f.result()->value();
        FAIL();
    } catch (const ActorError& e) {
        EXPECT_EQ(e.error().code, ErrorCode::no_such_actor);
    }
}

TEST_F(RequestTest, ActorRequestContinuationRunsInsideTheRequestingActor) {
    Pid acc = engine.spawn<Accumulator>("acc");
    engine.send(acc, Add{5});
    auto got = std::make_shared<std::vector<std::string>>();
    Pid asker = engine.spawn_fn("asker", [acc, got](Context& ctx, Message& m) {
        if (m.is<std::string>()) {
            ctx.request(acc, GetTotal{}, [got, self = ctx.self()](Context& c, Result<long> r) {
                got->push_back("total=" + std::to_string(r.value()) + (c.self() == self ? " in self" : " elsewhere"));
            });
            got->push_back("asked");
        }
    });
    engine.send(asker, std::string("go"));
    run();
    EXPECT_EQ(*got, (std::vector<std::string>{"asked", "total=5 in self"}));
}

TEST_F(RequestTest, ActorRequestTimeoutIsDeliveredToTheRequester) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto code = std::make_shared<std::optional<ErrorCode>>();
    Pid asker = engine.spawn_fn("asker", [acc, code](Context& ctx, Message& m) {
        if (m.is<std::string>())
            ctx.request(acc, Ignored{}, 100ms, [code](Result<int> r) { *code = r.error().code; });
    });
    engine.send(asker, std::string("go"));
    run();
    advance(100ms);
    ASSERT_TRUE(code->has_value());
    EXPECT_EQ(**code, ErrorCode::timeout);
}

TEST_F(RequestTest, ContinuationIsDroppedIfTheRequesterStoppedMeanwhile) {
    Pid acc = engine.spawn<Accumulator>("acc");
    auto called = std::make_shared<bool>(false);
    Pid asker = engine.spawn_fn("asker", [acc, called](Context& ctx, Message& m) {
        if (m.is<std::string>()) ctx.request(acc, Later{}, [called](Result<int>) { *called = true; });
    });
    engine.send(asker, std::string("go"));
    run();
    engine.stop(asker);
    run();
    engine.send(acc, std::string("flush"));
    run();
    EXPECT_FALSE(*called);
}

TEST_F(RequestTest, AContinuationThatThrowsDoesNotFailTheActorThatReplied) {
    Pid acc = engine.spawn<Accumulator>("acc");
    engine.request(acc, GetTotal{}).then([](Result<long>) { throw std::runtime_error("oops in continuation"); });
    run();
    EXPECT_TRUE(engine.alive(acc));
    EXPECT_EQ(sink.count<ActorFailed>(), 0u);
    EXPECT_EQ(sink.count<DeadLetter>(), 0u);
}

TEST_F(RequestTest, GetOnATemporaryFutureReturnsAUsableCopy) {
    Pid acc = engine.spawn<Accumulator>("acc");
    engine.stop(acc);
    run();
    Result<long> r = engine.request(acc, GetTotal{}).get();  // fails fast, so get() does not block
    EXPECT_EQ(r.error().code, ErrorCode::actor_stopped);
}

TEST_F(RequestTest, ResponderCopiesShareOneAnswerAndFitInAStdFunction) {
    auto kept = std::make_shared<std::function<void()>>();
    Pid p = engine.spawn_fn("defer", [kept](Context&, Message& m) {
        if (auto* l = m.as<Later>()) {
            Responder<int> r = m.take_responder(*l);
            Responder<int> copy = r;
            *kept = [r, copy] {
                copy.reply(1);
                r.reply(2);  // too late: the first answer won
            };
        }
    });
    auto f = engine.request(p, Later{});
    run();
    EXPECT_FALSE(f.ready());
    (*kept)();
    EXPECT_EQ(f.result()->value(), 1);
}

TEST_F(RequestTest, TheLastResponderCopyDroppedUnansweredFailsWithNoReply) {
    auto kept = std::make_shared<std::vector<Responder<int>>>();
    Pid p = engine.spawn_fn("defer", [kept](Context&, Message& m) {
        if (auto* l = m.as<Later>()) {
            Responder<int> r = m.take_responder(*l);
            kept->push_back(r);
            kept->push_back(r);
        }
    });
    auto f = engine.request(p, Later{});
    run();
    kept->pop_back();
    EXPECT_FALSE(f.ready());
    kept->pop_back();
    ASSERT_TRUE(f.ready());
    EXPECT_EQ(f.result()->error().code, ErrorCode::no_reply);
}
