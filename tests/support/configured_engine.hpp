#pragma once
// A deterministic engine with a test-chosen configuration (root supervisor, middleware, health
// options, seed...), for the tests that cannot use the fixture's default EngineConfig. Same
// drive verbs as DeterministicEngine: run() = run_until_idle, advance(d) = move virtual time.

#include <functional>
#include <memory>

#include "support/deterministic_engine.hpp"

namespace actors::testing {

struct ConfiguredEngine {
    explicit ConfiguredEngine(const std::function<void(EngineConfig&)>& tweak)
        : clock(std::make_shared<ManualClock>()), engine(configure(clock, tweak)), sink(engine.events()) {}

    static EngineConfig configure(std::shared_ptr<ManualClock> c, const std::function<void(EngineConfig&)>& tweak) {
        EngineConfig cfg = EngineConfig::deterministic(std::move(c));
        cfg.default_request_timeout = std::chrono::seconds(1);
        if (tweak) tweak(cfg);
        return cfg;
    }

    std::size_t run() { return engine.run_until_idle(); }
    std::size_t advance(Duration d) { return engine.advance(d); }

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

// The engine time at which each event of type T was published, in order.
template <class T>
std::vector<TimePoint> times_of(const RecordingSink& sink) {
    std::vector<TimePoint> out;
    for (const auto& e : sink.events())
        if (e.is<T>()) out.push_back(e.time);
    return out;
}

// Position of the first event matching `pred` in the sink (events().size() if none).
template <class T, class Pred>
std::size_t index_of(const RecordingSink& sink, Pred pred) {
    const auto& ev = sink.events();
    for (std::size_t i = 0; i < ev.size(); ++i)
        if (auto* p = ev[i].as<T>(); p && pred(*p)) return i;
    return ev.size();
}

}  // namespace actors::testing
