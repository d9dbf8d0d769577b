#pragma once
// The engine's clock in the page: performance.now() called directly. Through the C library,
// steady_clock::now() is clock_gettime, a JS function that writes a timespec into wasm memory
// (and under node allocates an array per read, from process.hrtime()); the engine reads its clock
// for every event it stamps, two per actor spawned, which made the clock a fifth of a spawn.

#include <emscripten/em_js.h>

#include <chrono>

#include "actors/clock.hpp"

EM_JS(double, actors_page_now_ms, (), { return performance.now(); });

namespace actors::js {

class PageClock final : public Clock {
public:
    PageClock() noexcept : epoch_ms_(actors_page_now_ms()) {}
    [[nodiscard]] TimePoint now() const noexcept override {
        return TimePoint{static_cast<TimePoint::rep>((actors_page_now_ms() - epoch_ms_) * 1e6)};
    }

private:
    double epoch_ms_;
};

}  // namespace actors::js
