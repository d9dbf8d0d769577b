#include "remote/backoff.hpp"

#include <stdexcept>

namespace actors::remote {
namespace {

// splitmix64: tiny, portable and well mixed; std's distributions differ between libraries, so the
// draw is done here to keep native and wasm delays identical for one seed.
std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

}  // namespace

Backoff::Backoff(Duration initial, Duration max, std::uint64_t seed)
    : initial_(initial), max_(max), state_(seed) {
    if (initial <= Duration::zero() || max < initial)
        throw std::invalid_argument("Backoff: need 0 < initial <= max");
}

Duration Backoff::cap() const noexcept {
    auto c = initial_;
    for (unsigned i = 0; i < attempt_ && c < max_; ++i) c = c > max_ / 2 ? max_ : c * 2;
    return c < max_ ? c : max_;
}

Duration Backoff::next() noexcept {
    const auto c = static_cast<std::uint64_t>(cap().count());
    ++attempt_;
    // Uniform in [0, c]; the modulo bias is below 2^-40 for any cap under 2^24 seconds.
    return Duration(static_cast<Duration::rep>(splitmix64(state_) % (c + 1)));
}

}  // namespace actors::remote
