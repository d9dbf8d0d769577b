#pragma once
// Base64 (RFC 4648, with padding), as etcd's JSON gateway carries keys and values.

#include <optional>
#include <string>
#include <string_view>

namespace actors::cluster::detail {

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not canonical padded base64.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace actors::cluster::detail
