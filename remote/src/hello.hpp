#pragma once
// The checks both ends of a handshake make on what the other side said.
#include <optional>
#include <string>

#include "remote/session.hpp"

namespace actors::remote {

// nullopt when `peer` is acceptable, else the close reason. `check_token`: the server checks the
// client's token; the client does not get one back (a server that echoed it would prove nothing).
[[nodiscard]] std::optional<std::string> check_handshake(const Hello& peer, const SessionOptions& local, bool check_token);

// Throws std::invalid_argument naming the option that is out of range.
void check_options(const SessionOptions& options);

}  // namespace actors::remote
