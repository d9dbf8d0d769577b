#pragma once
// Envelope: what one sequence-numbered payload of a link carries (Session treats it as opaque
// bytes). One msgpack array of nine fields, the same for every kind so a reader in any language
// decodes it without a schema per kind:
//     [kind, target, sender, type, body, request_id, code, detail, flag]
// target/sender are [node name, actor id, generation]; see remote/PROTOCOL.md for each kind's use.

#include <cstdint>
#include <string>
#include <vector>

#include "remote/transport.hpp"

namespace actors::remote {

struct WirePid {
    std::string node;            // the node the actor lives on
    std::uint64_t id = 0;        // 0: no actor (an anonymous sender)
    std::uint32_t generation = 0;
    friend bool operator==(const WirePid&, const WirePid&) = default;
};

enum class EnvelopeKind : std::uint8_t {
    send = 0,          // target, sender, type, body
    request = 1,       // as send, plus request_id: answered by reply or error
    reply = 2,         // request_id, body (the encoded M::Response)
    error = 3,         // request_id, code (ErrorCode), detail
    watch = 4,         // target (watched, on the receiver), sender (watcher, on the sending node)
    unwatch = 5,       // as watch
    terminated = 6,    // target (the watcher), sender (the actor that stopped), code (StopReason), detail, flag (existed)
    lookup = 7,        // request_id, type (the actor's registered name)
    lookup_reply = 8,  // request_id, flag (found), sender (the actor)
};
inline constexpr std::uint8_t envelope_kind_count = 9;

struct Envelope {
    EnvelopeKind kind = EnvelopeKind::send;
    WirePid target;
    WirePid sender;
    std::string type;
    Bytes body;
    std::uint64_t request_id = 0;
    std::uint8_t code = 0;
    std::string detail;
    bool flag = false;
    friend bool operator==(const Envelope&, const Envelope&) = default;
};

[[nodiscard]] Bytes encode(const Envelope& e);
// Throws std::invalid_argument saying what is wrong, for anything but a well-formed envelope.
[[nodiscard]] Envelope decode_envelope(ByteView bytes);

}  // namespace actors::remote
