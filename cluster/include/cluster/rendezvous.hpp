#pragma once
// Rendezvous (highest-random-weight) hashing: every member scores each identity, the highest
// score wins. Everyone who knows the same member list picks the same owner with no coordination;
// a member that joins or leaves moves only the identities it wins or held.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cluster/member.hpp"

namespace actors::cluster {

// Stable across platforms and builds (std::hash is neither).
[[nodiscard]] std::uint64_t rendezvous_score(std::string_view identity, std::string_view member) noexcept;
// The member with the highest score (ties: the smaller name); nullopt for an empty list.
[[nodiscard]] std::optional<std::string> rendezvous_owner(std::string_view identity, std::span<const Member> members);

}  // namespace actors::cluster
