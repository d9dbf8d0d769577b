#include "cluster/rendezvous.hpp"

namespace actors::cluster {

namespace {
std::uint64_t fnv1a(std::uint64_t h, std::string_view s) noexcept {
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}
// FNV alone clusters on similar strings; a finaliser (splitmix64's) spreads the scores.
std::uint64_t mix(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}
}  // namespace

std::uint64_t rendezvous_score(std::string_view identity, std::string_view member) noexcept {
    std::uint64_t h = fnv1a(0xcbf29ce484222325ULL, member);
    h = fnv1a(mix(h), identity);  // the member's hash seeds the identity's, so "ab"+"c" != "a"+"bc"
    return mix(h);
}

std::optional<std::string> rendezvous_owner(std::string_view identity, std::span<const Member> members) {
    const Member* best = nullptr;
    std::uint64_t best_score = 0;
    for (const Member& m : members) {
        const std::uint64_t s = rendezvous_score(identity, m.name);
        if (best == nullptr || s > best_score || (s == best_score && m.name < best->name)) {
            best = &m;
            best_score = s;
        }
    }
    if (best == nullptr) return std::nullopt;
    return best->name;
}

}  // namespace actors::cluster
