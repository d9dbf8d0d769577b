#include <string>

#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;

namespace {
struct Add {
    int n;
};
struct GetSum {
    using Response = int;
};
struct Unknown {};
}  // namespace

using MessageForms = DeterministicEngine;

TEST_F(MessageForms, AStringLiteralIsSentAsAStdString) {
    auto seen = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn_fn("strings", [seen](Context& ctx, Message& m) {
        if (auto* s = m.as<std::string>()) {
            seen->push_back(*s);
            if (*s == "ping") ctx.send(ctx.self(), "pong");  // from inside an actor too
        }
    });
    const char* c_string = "c string";
    engine.send(p, "ping");
    engine.send(p, c_string);
    engine.send_after(std::chrono::milliseconds(1), p, "later");
    run();
    advance(std::chrono::milliseconds(1));
    EXPECT_EQ(*seen, (std::vector<std::string>{"ping", "c string", "pong", "later"}));
}

TEST_F(MessageForms, AGenericLambdaIsTheFallbackForAnyOtherMessageWhereverItStands) {
    auto log = std::make_shared<std::vector<std::string>>();
    Pid p = engine.spawn_fn("visitor", [log](Context&, Message& m) {
        int sum = 0;
        const bool matched = m.visit([&](const auto& other) { log->push_back("other " + other.type_name()); },
                                     [&](const Add& a) { sum += a.n; log->push_back("add " + std::to_string(a.n)); },
                                     [&](const GetSum&) { return sum; });
        EXPECT_TRUE(matched);
    });
    run();
    log->clear();  // Initialized and Started went to the fallback
    engine.send(p, Add{2});
    engine.send(p, Unknown{});
    Future<int> sum = engine.request(p, GetSum{});
    run();
    ASSERT_EQ(log->size(), 2u);
    EXPECT_EQ((*log)[0], "add 2");
    EXPECT_EQ((*log)[1].rfind("other ", 0), 0u);
    EXPECT_NE((*log)[1].find("Unknown"), std::string::npos) << (*log)[1];
    ASSERT_NE(sum.result(), nullptr);
    EXPECT_TRUE(sum.result()->ok()) << "the typed handler answered, not the fallback";
}

TEST_F(MessageForms, AHandlerTakingTheMessageItselfIsAFallbackToo) {
    auto fallbacks = std::make_shared<int>(0);
    Pid p = engine.spawn_fn("visitor", [fallbacks](Context&, Message& m) {
        m.visit([&](Message&) { ++*fallbacks; }, [&](const Add&) {});
    });
    run();
    const int lifecycle = *fallbacks;
    engine.send(p, Add{1});
    engine.send(p, 5);
    run();
    EXPECT_EQ(*fallbacks, lifecycle + 1);
}

TEST_F(MessageForms, VisitWithoutAFallbackReportsThatNothingMatched) {
    Message* seen = nullptr;
    bool matched = true;
    Pid p = engine.spawn_fn("visitor", [&](Context&, Message& m) {
        if (!m.is<Unknown>()) return;
        seen = &m;
        matched = m.visit([](const Add&) {});
    });
    engine.send(p, Unknown{});
    run();
    EXPECT_NE(seen, nullptr);
    EXPECT_FALSE(matched);
}
