#pragma once
// Reconnect delays: exponential backoff with full jitter (each delay uniform in [0, cap], the cap
// doubling from `initial` up to `max`), so many nodes that lost one peer do not come back in
// lockstep. Seeded and portable: the same seed gives the same delays natively and in wasm.

#include <cstdint>

#include "actors/clock.hpp"

namespace actors::remote {

class Backoff {
public:
    // Throws std::invalid_argument unless 0 < initial <= max.
    Backoff(Duration initial, Duration max, std::uint64_t seed);

    // The delay before the next attempt; each call doubles the cap (until max).
    [[nodiscard]] Duration next() noexcept;
    // A connection succeeded: the next delay starts from `initial` again.
    void reset() noexcept { attempt_ = 0; }
    [[nodiscard]] unsigned attempt() const noexcept { return attempt_; }
    // The cap of the next delay (what next() draws below).
    [[nodiscard]] Duration cap() const noexcept;

private:
    Duration initial_;
    Duration max_;
    std::uint64_t state_;
    unsigned attempt_ = 0;
};

}  // namespace actors::remote
