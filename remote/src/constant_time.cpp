#include "constant_time.hpp"

#include <cstddef>

namespace actors::remote {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // Walk the longer length every time and fold the length difference in, so neither a short
    // guess nor an early mismatch returns sooner.
    const std::size_t n = a.size() > b.size() ? a.size() : b.size();
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
        const unsigned y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
        diff |= x ^ y;
    }
    // volatile: keep the optimiser from turning the loop into an early-exit memcmp.
    volatile unsigned result = diff;
    return result == 0;
}

}  // namespace actors::remote
