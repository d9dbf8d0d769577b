#include "hello.hpp"

#include <stdexcept>

#include "constant_time.hpp"
#include "wire.hpp"

namespace actors::remote {
namespace {

constexpr std::size_t max_name_bytes = 255;

std::string versions_spoken() {
    std::string out;
    for (std::uint32_t v = oldest_protocol_version; v <= protocol_version; ++v) out += (out.empty() ? "" : ", ") + std::to_string(v);
    return out;
}

// The refusals of check_handshake that is_permanent_refusal recognises in a close reason.
constexpr std::string_view refusal_version = "unsupported protocol version";
constexpr std::string_view refusal_token = "wrong token";
constexpr std::string_view refusal_own_name = "peer uses this node's own name";

}  // namespace

void check_options(const SessionOptions& o) {
    auto bad = [](const std::string& what) { throw std::invalid_argument("SessionOptions: " + what); };
    if (o.node_name.empty() || o.node_name.size() > max_name_bytes) bad("node_name must be 1..255 bytes");
    if (o.incarnation == 0) bad("incarnation must not be 0");
    if (o.require_token && o.token.empty()) bad("a token is required (or set require_token = false explicitly)");
    if (o.token.size() > max_name_bytes) bad("token must be at most 255 bytes");
    if (o.max_frame_bytes < wire::min_frame_bytes || o.max_frame_bytes > 0xffffffffu)
        bad("max_frame_bytes must be 1024..4294967295");
    if (o.ack_every == 0) bad("ack_every must be at least 1");
    if (o.ack_interval <= Duration::zero()) bad("ack_interval must be positive");
    if (o.heartbeat_interval <= Duration::zero()) bad("heartbeat_interval must be positive");
    if (o.heartbeat_misses == 0) bad("heartbeat_misses must be at least 1");
    if (o.handshake_timeout <= Duration::zero()) bad("handshake_timeout must be positive");
    if (o.reconnect_deadline < Duration::zero()) bad("reconnect_deadline must not be negative");
    if (o.buffer_max_envelopes == 0) bad("buffer_max_envelopes must be at least 1");
    if (o.buffer_max_bytes == 0) bad("buffer_max_bytes must be at least 1");
}

std::optional<std::string> check_handshake(const Hello& peer, const SessionOptions& local, bool check_token) {
    if (peer.version < oldest_protocol_version || peer.version > protocol_version)
        return std::string(refusal_version) + " " + std::to_string(peer.version) + "; this node speaks " + versions_spoken();
    if (peer.node.empty() || peer.node.size() > max_name_bytes) return std::string("bad node name: must be 1..255 bytes");
    if (peer.node == local.node_name) return std::string(refusal_own_name) + " '" + peer.node + "'";
    if (peer.incarnation == 0) return std::string("bad incarnation 0");
    if (check_token && local.require_token && !constant_time_equal(peer.token, local.token))
        return std::string(refusal_token);
    if (peer.max_frame_bytes < wire::min_frame_bytes)
        return "max_frame_bytes " + std::to_string(peer.max_frame_bytes) + " below the minimum " +
               std::to_string(wire::min_frame_bytes);
    if (peer.seen_incarnation == 0 && peer.last_received != 0)
        return std::string("last_received without seen_incarnation");
    return std::nullopt;
}

std::optional<std::uint32_t> older_version_offered(std::string_view close_reason, std::uint32_t refused) {
    if (close_reason.find(refusal_version) == std::string_view::npos) return std::nullopt;
    constexpr std::string_view speaks = "this node speaks ";
    const auto at = close_reason.find(speaks);
    if (at == std::string_view::npos) return std::nullopt;
    std::optional<std::uint32_t> best;
    std::uint64_t v = 0;
    bool digits = false;
    // "1, 2": every number in the list, the highest that both speak and is older than `refused`.
    for (std::size_t i = at + speaks.size(); i <= close_reason.size(); ++i) {
        const char c = i < close_reason.size() ? close_reason[i] : ',';
        if (c >= '0' && c <= '9') {
            v = v * 10 + static_cast<std::uint64_t>(c - '0');
            digits = true;
            if (v > 0xffffffffu) return best;
            continue;
        }
        if (digits && v >= oldest_protocol_version && v < refused && (!best || v > *best)) best = static_cast<std::uint32_t>(v);
        v = 0;
        digits = false;
        if (c != ',' && c != ' ') break;
    }
    return best;
}

bool is_permanent_refusal(std::string_view close_reason) {
    for (std::string_view r : {refusal_version, refusal_token, refusal_own_name})
        if (close_reason.find(r) != std::string_view::npos) return true;
    return false;
}

std::variant<Hello, Refusal> read_hello(ByteView frame, const SessionOptions& local) {
    if (frame.size() > local.max_frame_bytes)
        return Refusal{"frame of " + std::to_string(frame.size()) + " bytes over the limit of " +
                       std::to_string(local.max_frame_bytes)};
    wire::Frame decoded;
    try {
        decoded = wire::decode(frame);
    } catch (const wire::WireError& e) {
        return Refusal{e.what()};
    }
    const auto* handshake = std::get_if<wire::Handshake>(&decoded);
    if (handshake == nullptr) return Refusal{"expected Hello, got a data frame"};
    if (handshake->kind != wire::Kind::hello) return Refusal{"expected Hello, got Welcome"};
    if (auto why = check_handshake(handshake->hello, local, true)) return Refusal{*why};
    return handshake->hello;
}

}  // namespace actors::remote
