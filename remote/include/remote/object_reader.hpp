#pragma once
// A message body from the network as the msgpack::object a registered type converts from, built
// without msgpack's parser. msgpack::unpack drives a generic state machine and a visitor that each
// keep a std::vector stack (two heap allocations and frees per call, plus a zone chunk when none
// is reused): on the receive path, per message, that was ~600 instructions of ~2,450. This reader
// is a plain recursive descent over the bytes into the caller's zone; strings, bins and exts are
// views into `bytes` (what msgpack::unpack does with a reference function that says yes), so the
// object must not outlive them.
//
// It produces the same object as msgpack::unpack(bytes, ..., unpack_limit(n, n, n, n, n,
// max_depth)) for every input that call accepts, and refuses every input it refuses: the codec
// fuzzer checks the two against each other. Nothing is reserved from a count the peer wrote
// before the bytes for it are seen to be there (an element takes at least one byte, a map entry
// two), so a hostile body costs at most a small multiple of its own size.

#include <cstddef>
#include <cstdint>
#include <span>

#include <msgpack.hpp>

namespace actors::remote::detail_registry {

// The whole of `bytes` must be one msgpack value nested at most `max_depth` containers deep
// (the outermost counts as 1). Throws std::invalid_argument saying what is wrong otherwise.
[[nodiscard]] msgpack::object read_object(std::span<const std::uint8_t> bytes, msgpack::zone& zone, std::size_t max_depth);

}  // namespace actors::remote::detail_registry
