#pragma once
// A small seeded generator (splitmix64). The standard distributions are not used on purpose:
// libstdc++ and libc++ (Emscripten) implement them differently, and a scenario must pick the
// same crashes natively and in the browser for the same EngineConfig::random_seed.

#include <cstdint>
#include <string_view>

#include "actors/clock.hpp"

namespace actors {
class Context;
}

namespace actors::scenarios::detail {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0) noexcept : state_(seed) {}

    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // In [0, n); 0 when n is 0. The modulo bias is far below anything a demo could show.
    std::uint64_t below(std::uint64_t n) noexcept { return n == 0 ? 0 : next() % n; }
    bool one_in(std::uint64_t n) noexcept { return below(n) == 0; }
    // In [lo, hi].
    Duration between(Duration lo, Duration hi) noexcept {
        const auto span = static_cast<std::uint64_t>((hi - lo).count());
        return lo + Duration{static_cast<Duration::rep>(below(span + 1))};
    }

private:
    std::uint64_t state_;
};

[[nodiscard]] std::uint64_t hash_name(std::string_view name) noexcept;

// An actor's generator, from the engine's seed, its name and its incarnation: a run repeats on
// the cooperative engine, and a restarted actor does not replay its predecessor's choices.
[[nodiscard]] Rng rng_for(const Context& ctx);

}  // namespace actors::scenarios::detail
