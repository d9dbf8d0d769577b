#pragma once
#include <string_view>

namespace actors::remote {

// Equality whose running time depends only on the lengths, never on where the bytes first differ,
// so a peer guessing a token learns nothing from how fast it is refused.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace actors::remote
