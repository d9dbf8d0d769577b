#pragma once
// Helpers for tests that build their own TestEngine with a tweaked configuration.

#include <functional>
#include <memory>

#include "support/deterministic_engine.hpp"

namespace actors::testing {

using ConfiguredEngine = TestEngine;

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
