#pragma once
// The wire codec: frames <-> structs, exactly as remote/PROTOCOL.md lays them out. No state; the
// Session decides what a frame means. Decoding never trusts a length it has not checked against
// the bytes it holds, so a hostile frame costs at most a small multiple of its own size.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "remote/session.hpp"

namespace actors::remote::wire {

enum class Kind : std::uint8_t { hello = 1, welcome = 2, data = 3 };

// Fixed fields of a data frame, before its envelopes: the array header, the kind, three optional
// 64-bit numbers and the first sequence number, each at its widest msgpack encoding.
inline constexpr std::size_t data_frame_overhead = 5 + 1 + 9 + 9 + 9 + 9 + 5;
// Per envelope: the widest bin header (bin 32).
inline constexpr std::size_t envelope_overhead = 5;
// The smallest frame limit a node may announce: room for a handshake with a 255-byte name and a
// token of the same size, and for a data frame carrying a small envelope.
inline constexpr std::size_t min_frame_bytes = 1024;

struct Data {
    std::optional<std::uint64_t> ack;   // cumulative: every sequence number <= ack was received
    std::optional<std::uint64_t> ping;  // the sender's opaque value, to be echoed
    std::optional<std::uint64_t> pong;  // the echo of the peer's last ping
    std::uint64_t first_seq = 0;        // the sequence number of envelopes[0] (0: none)
    std::vector<ByteView> envelopes;    // views into the decoded frame's bytes
    // Position 6, after the envelopes: the sender's incarnation is leaving for good, and why.
    std::optional<std::string> goodbye;
};

// The longest goodbye reason written (a longer one is cut).
inline constexpr std::size_t max_goodbye_bytes = 123;

// A frame that breaks the format; what() is a close reason (short, names the problem).
class WireError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Handshake {
    Kind kind = Kind::hello;  // hello or welcome
    Hello hello;
};

using Frame = std::variant<Handshake, Data>;

// Throws WireError. A handshake of a version other than ours decodes only kind and version (the
// rest of its layout is that version's business) and comes back with just those set.
[[nodiscard]] Frame decode(ByteView frame);
// The same through msgpack's object tree, for any frame. decode reads the data frames the
// Session writes without it and hands everything else here; the fuzzer checks that the two agree.
[[nodiscard]] Frame decode_general(ByteView frame);

// Writes the layout of hello.version (types only in version 2).
[[nodiscard]] Bytes encode_handshake(Kind kind, const Hello& hello);
// How many of `names`, from the first, a handshake like `hello` announces: as many as keep it
// within min_frame_bytes, which every peer accepts, whatever its numbers are.
[[nodiscard]] std::size_t types_that_fit(const Hello& hello, const std::vector<std::string>& names);

// Writes a data frame incrementally, so the Session can stop adding envelopes at the peer's limit.
class DataWriter {
public:
    // envelope_bytes: what the envelopes will take, headers included (reserved at once).
    // `goodbye`: written after the envelopes (position 6); at most max_goodbye_bytes.
    DataWriter(std::optional<std::uint64_t> ack, std::optional<std::uint64_t> ping,
               std::optional<std::uint64_t> pong, std::uint64_t first_seq, std::size_t envelope_count,
               std::size_t envelope_bytes = 0, std::optional<std::string> goodbye = std::nullopt);
    void add(ByteView payload);
    [[nodiscard]] Bytes finish() &&;

private:
    Bytes out_;
    std::optional<std::string> goodbye_;
};

// The exact encoded size of a bin of `n` bytes (header included).
[[nodiscard]] std::size_t bin_size(std::size_t n) noexcept;

}  // namespace actors::remote::wire
