#pragma once
// msgpack on the per-message path without a malloc per call. msgpack::unpack into an
// object_handle makes a zone of its own (an 8 KiB chunk, malloc'd and freed) for every call, and
// the receive path unpacks twice per envelope (the envelope, then the message body): in a
// profile of one sender -> one remote actor that was the largest cost of the receiving side. A
// zone per thread, cleared after each use (it keeps its first chunk), does the same work.
// Packing straight into the Bytes that leave saves sbuffer's allocation and a copy.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include <msgpack.hpp>

namespace actors::remote::detail_registry {

// Runs f(msgpack::zone&) with this thread's scratch zone, cleared afterwards; objects unpacked
// into it must not outlive f. A nested call (a converter that unpacks again) gets a zone of its own.
template <class F>
decltype(auto) with_scratch_zone(F&& f) {
    thread_local msgpack::zone zone;
    thread_local bool busy = false;
    if (busy) {
        msgpack::zone own;
        return std::forward<F>(f)(own);
    }
    struct Release {
        ~Release() {
            zone.clear();
            busy = false;
        }
    };
    busy = true;
    Release release;
    return std::forward<F>(f)(zone);
}

// A msgpack stream that appends to a byte vector.
struct BytesWriter {
    std::vector<std::uint8_t>& out;
    void write(const char* data, std::size_t size) {
        if (size == 0) return;
        const std::size_t at = out.size();
        out.resize(at + size);
        std::memcpy(out.data() + at, data, size);
    }
};

}  // namespace actors::remote::detail_registry
