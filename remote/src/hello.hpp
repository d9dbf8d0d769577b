#pragma once
// The checks both ends of a handshake make on what the other side said.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "remote/session.hpp"

namespace actors::remote {

// nullopt when `peer` is acceptable, else the close reason. `check_token`: the server checks the
// client's token; the client does not get one back (a server that echoed it would prove nothing).
[[nodiscard]] std::optional<std::string> check_handshake(const Hello& peer, const SessionOptions& local, bool check_token);

// A close reason (as the client's transport reports it, e.g. "closed by peer: wrong token") that
// is one of check_handshake's refusals no retry can cure: a wrong token, a protocol version the
// peer does not speak, or this node's own name. The text it matches is the one check_handshake
// writes, so the two cannot drift apart. Transient closes (the peer shutting down, a handshake
// timeout, a replaced connection, a network error) are not refusals.
[[nodiscard]] bool is_permanent_refusal(std::string_view close_reason);

// A refusal of `refused` (our Hello's version) whose list of versions spoken holds an older one
// this build speaks too: the highest such, else nullopt.
[[nodiscard]] std::optional<std::uint32_t> older_version_offered(std::string_view close_reason, std::uint32_t refused);

// Throws std::invalid_argument naming the option that is out of range.
void check_options(const SessionOptions& options);

}  // namespace actors::remote
