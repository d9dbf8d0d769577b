#pragma once
// Pid: the address of an actor. A plain value: copy it, hash it, print it, send to it.

#include <compare>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace actors {

struct Pid {
    // The engine ("node") that owns the actor; engines in one process get distinct ids, so a
    // Pid from another engine is never mistaken for a local one.
    std::uint32_t node = 0;
    // Unique within its engine and never reused, so a stale Pid can not reach a newer actor.
    std::uint64_t id = 0;
    // Incarnation: 0 at spawn, incremented on each supervised restart. Routing uses node and
    // id only; a message sent to an older generation reaches the current incarnation.
    std::uint32_t generation = 0;

    [[nodiscard]] constexpr bool valid() const noexcept { return id != 0; }
    [[nodiscard]] constexpr explicit operator bool() const noexcept { return valid(); }

    // Same actor, whatever its incarnation.
    [[nodiscard]] constexpr bool same_actor(const Pid& o) const noexcept {
        return node == o.node && id == o.id;
    }

    friend constexpr bool operator==(const Pid&, const Pid&) = default;
    friend constexpr auto operator<=>(const Pid&, const Pid&) = default;

    // "<node.id.generation>", e.g. "<1.42.0>", in the spirit of Erlang's pids.
    [[nodiscard]] std::string to_string() const;
};

std::ostream& operator<<(std::ostream& os, const Pid& pid);

}  // namespace actors

template <>
struct std::hash<actors::Pid> {
    std::size_t operator()(const actors::Pid& p) const noexcept {
        std::uint64_t h = p.id * 0x9E3779B97F4A7C15ull;
        h ^= (std::uint64_t{p.node} << 32 | p.generation) + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
        return static_cast<std::size_t>(h);
    }
};
