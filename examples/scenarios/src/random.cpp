#include "random.hpp"

#include "actors/context.hpp"
#include "actors/engine.hpp"

namespace actors::scenarios::detail {

std::uint64_t hash_name(std::string_view name) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

Rng rng_for(const Context& ctx) {
    return Rng(ctx.engine().config().random_seed ^ hash_name(ctx.name()) ^
               (std::uint64_t{ctx.self().generation} * 0xD1B54A32D192ED03ull));
}

}  // namespace actors::scenarios::detail
