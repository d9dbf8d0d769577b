#pragma once
// Envelope: what one sequence-numbered payload of a link carries (Session treats it as opaque
// bytes). One msgpack array of nine fields, the same for every kind so a reader in any language
// decodes it without a schema per kind:
//     [kind, target, sender, type, body, request_id, code, detail, flag]
// target/sender are [node, actor id, generation]; see remote/ENVELOPES.md for each kind's use.
// Version 2 of the protocol lets the two ends of the link go by number instead of by name (node
// 0: the node that sent the envelope, 1: the node it is sent to) and a message type by its
// index in the sending node's announced table; version 1 peers only ever get names.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remote/transport.hpp"

namespace actors::remote {

// Which node a Pid on the wire names: a node by name, or one of the link's two ends by number.
enum class NodeRef : std::uint8_t {
    named = 0,          // `node` names it (on the wire: str)
    sender_node = 1,    // the node that wrote the envelope (on the wire: uint 0)
    receiver_node = 2,  // the node the envelope is for (on the wire: uint 1)
};

struct WirePid {
    std::string node;            // the node the actor lives on, when ref is named
    std::uint64_t id = 0;        // 0: no actor (an anonymous sender)
    std::uint32_t generation = 0;
    NodeRef ref = NodeRef::named;
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
    // Protocol version 2 on:
    spawn = 9,         // request_id, type (the kind registered on the receiver), detail (the name, "" for none)
    spawn_reply = 10,  // request_id, flag (spawned), sender (the new actor) or code (ErrorCode) and detail
};
inline constexpr std::uint8_t envelope_kind_count = 11;

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
    std::optional<std::uint32_t> type_id;  // set: the type by its index in the sender's table (type unused)
    friend bool operator==(const Envelope&, const Envelope&) = default;
};

// The same fields as views into bytes held elsewhere: what the hot paths read and write without
// a string or vector of their own.
struct WirePidView {
    std::string_view node;
    std::uint64_t id = 0;
    std::uint32_t generation = 0;
    NodeRef ref = NodeRef::named;
};
struct EnvelopeView {
    EnvelopeKind kind = EnvelopeKind::send;
    WirePidView target;
    WirePidView sender;
    std::string_view type;
    ByteView body;
    std::uint64_t request_id = 0;
    std::uint8_t code = 0;
    std::string_view detail;
    bool flag = false;
    std::optional<std::uint32_t> type_id;
};

[[nodiscard]] inline WirePidView view_of(const WirePid& p) noexcept { return {p.node, p.id, p.generation, p.ref}; }

[[nodiscard]] Bytes encode(const Envelope& e);
// Appends the envelope to `out` (the send path encodes into a reused buffer).
void encode_into(const EnvelopeView& e, Bytes& out);
// Throws std::invalid_argument saying what is wrong, for anything but a well-formed envelope.
[[nodiscard]] Envelope decode_envelope(ByteView bytes);
// As decode_envelope, with the strings and body as views into `bytes`.
[[nodiscard]] EnvelopeView read_envelope(ByteView bytes);

}  // namespace actors::remote
