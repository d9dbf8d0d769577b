#pragma once
// What members say to each other's placement actor ("cluster-placement"): activate an identity
// here, or tell me who holds it. Registered with the remote layer under stable names.

#include <cstdint>
#include <string>

#include <msgpack.hpp>

namespace actors::cluster::detail {

inline constexpr const char* placement_actor_name = "cluster-placement";

enum class ActivateStatus : std::uint8_t {
    ok,           // active here: id and generation name the activation on this member's engine
    redirect,     // another member holds it: `owner`
    leaving,      // this member is leaving: ask another one
    unavailable,  // the store does not answer: fail fast
    refused,      // this member cannot host it (kind not hosted here, bad identity): `detail`
};

struct ActivateReply {
    std::uint8_t status = 0;
    std::string owner;
    std::uint64_t id = 0;
    std::uint32_t generation = 0;
    std::string detail;
    MSGPACK_DEFINE(status, owner, id, generation, detail)
};

struct Activate {
    using Response = ActivateReply;
    std::string kind;
    std::string identity;
    MSGPACK_DEFINE(kind, identity)
};

void register_placement_messages();

}  // namespace actors::cluster::detail
