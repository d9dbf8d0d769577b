#pragma once
// The deterministic fixture: a cooperative engine on virtual time, plus a sink that records every
// event. Nothing runs unless the test drives it (run / advance), so every interleaving is exact.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "actors/actors.hpp"

namespace actors::testing {

class RecordingSink {
public:
    explicit RecordingSink(EventStream& stream) : stream_(stream) {
        id_ = stream.subscribe([this](const Event& e) { events_.push_back(e); });
    }
    ~RecordingSink() { stream_.unsubscribe(id_); }
    RecordingSink(const RecordingSink&) = delete;
    RecordingSink& operator=(const RecordingSink&) = delete;

    [[nodiscard]] const std::vector<Event>& events() const { return events_; }

    template <class T>
    [[nodiscard]] std::vector<T> of() const {
        std::vector<T> out;
        for (const auto& e : events_)
            if (auto* p = e.as<T>()) out.push_back(*p);
        return out;
    }
    template <class T>
    [[nodiscard]] std::size_t count() const { return of<T>().size(); }
    void clear() { events_.clear(); }

private:
    EventStream& stream_;
    SubscriptionId id_ = 0;
    std::vector<Event> events_;
};

// A cooperative engine on virtual time with a recording sink: nothing runs unless the test drives
// it. `tweak` adjusts the configuration (root supervisor, middleware, health options, ...).
struct TestEngine {
    explicit TestEngine(const std::function<void(EngineConfig&)>& tweak = {})
        : clock(std::make_shared<ManualClock>()), engine(make_config(clock, tweak)), sink(engine.events()) {}

    static EngineConfig make_config(std::shared_ptr<ManualClock> c, const std::function<void(EngineConfig&)>& tweak = {}) {
        EngineConfig cfg = EngineConfig::deterministic(std::move(c));
        cfg.default_request_timeout = std::chrono::seconds(1);
        if (tweak) tweak(cfg);
        return cfg;
    }

    std::size_t run() { return engine.run_until_idle(); }
    std::size_t advance(Duration d) { return engine.advance(d); }

    // Counters balance exactly once the engine is quiescent.
    void expect_conserved() {
        run();
        auto c = engine.counters();
        EXPECT_EQ(c.in_flight, 0u);
        EXPECT_EQ(c.sent, c.processed + c.dead_lettered + c.dropped)
            << "sent=" << c.sent << " processed=" << c.processed << " dead_lettered=" << c.dead_lettered
            << " dropped=" << c.dropped;
    }

    std::shared_ptr<ManualClock> clock;
    Engine engine;
    RecordingSink sink;
};

// The gtest fixture: TEST_F(SomeAlias, ...) with `using SomeAlias = DeterministicEngine;`.
class DeterministicEngine : public ::testing::Test, protected TestEngine {};

// A function actor that records the integers it receives.
struct Recorder {
    std::shared_ptr<std::vector<int>> seen = std::make_shared<std::vector<int>>();
    ReceiveFn fn() const {
        return [seen = seen](Context&, Message& m) {
            if (auto* v = m.as<int>()) seen->push_back(*v);
        };
    }
};

}  // namespace actors::testing
