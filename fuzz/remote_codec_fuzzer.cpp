// The remote codecs a peer's bytes reach after the frame layer. The first byte picks (mod 5):
//   0: bytes for decode_envelope (what each sequence-numbered payload of a link carries): either
//      refused with std::invalid_argument (any other exception, a crash or a huge allocation is
//      a bug), or an envelope that encodes back to bytes decoding to the same envelope;
//   1: an envelope built field by field from the script: decode(encode(e)) == e exactly, and
//      encode writes the bytes msgpack-c's packer writes (also in mode 0);
//   2: bytes for decode_event, 3: for decode_snapshot (the event stream on the wire): refused
//      with invalid_argument, or decoded to what encodes back to the same value;
//   4: bytes of a message body for read_object (what every registered type converts from),
//      checked against msgpack::unpack with the limits the receive path used before: both refuse
//      (read_object with invalid_argument), or both give the same object tree.
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "byte_script.hpp"
#include "remote/envelope.hpp"
#include "remote/event_codec.hpp"
#include "remote/object_reader.hpp"
#include "remote/registry.hpp"

using namespace actors::remote;
using actors::fuzz::ByteScript;

namespace {

std::string text(ByteScript& in) {
    std::size_t n = in.byte() % 40;
    if (n == 39) n = 256 + std::size_t{in.byte()} * 4;  // now and then past str8 (str16)
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(in.byte());  // any bytes: the codec does not judge
    return s;
}

WirePid pid(ByteScript& in) {
    WirePid p;
    // Version 2: one of the link's two ends by number (no name), or a node by name.
    p.ref = static_cast<NodeRef>(in.byte() % 3);
    if (p.ref == NodeRef::named) p.node = text(in);
    p.id = in.u64();
    p.generation = static_cast<std::uint32_t>(in.u64());
    return p;
}

// The envelope as msgpack-c's packer writes it (what encode did before it wrote the bytes
// itself): encode must give exactly these bytes.
Bytes packed_by_msgpack(const Envelope& e) {
    msgpack::sbuffer buf;
    msgpack::packer<msgpack::sbuffer> p(buf);
    auto text = [&](const std::string& t) {
        p.pack_str(static_cast<std::uint32_t>(t.size()));
        p.pack_str_body(t.data(), static_cast<std::uint32_t>(t.size()));
    };
    auto pid = [&](const WirePid& w) {
        p.pack_array(3);
        if (w.ref == NodeRef::named) text(w.node);
        else p.pack(static_cast<std::uint8_t>(w.ref == NodeRef::sender_node ? 0 : 1));
        p.pack(w.id);
        p.pack(w.generation);
    };
    p.pack_array(9);
    p.pack(static_cast<std::uint8_t>(e.kind));
    pid(e.target);
    pid(e.sender);
    if (e.type_id) p.pack(*e.type_id);
    else text(e.type);
    p.pack_bin(static_cast<std::uint32_t>(e.body.size()));
    p.pack_bin_body(reinterpret_cast<const char*>(e.body.data()), static_cast<std::uint32_t>(e.body.size()));
    p.pack(e.request_id);
    p.pack(e.code);
    text(e.detail);
    p.pack(e.flag);
    return Bytes(reinterpret_cast<const std::uint8_t*>(buf.data()), reinterpret_cast<const std::uint8_t*>(buf.data()) + buf.size());
}

void round_trip(const Envelope& e) {
    const Bytes bytes = encode(e);
    FUZZ_CHECK(bytes == packed_by_msgpack(e));
    const Envelope back = decode_envelope(bytes);
    FUZZ_CHECK(back == e);
    FUZZ_CHECK(encode(back) == bytes);  // one encoding per envelope
}

// The same tree: floats by their bits (NaN too), strings, bins and exts by their bytes.
bool same(const msgpack::object& a, const msgpack::object& b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case msgpack::type::NIL: return true;
        case msgpack::type::BOOLEAN: return a.via.boolean == b.via.boolean;
        case msgpack::type::POSITIVE_INTEGER: return a.via.u64 == b.via.u64;
        case msgpack::type::NEGATIVE_INTEGER: return a.via.i64 == b.via.i64;
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64: return std::memcmp(&a.via.f64, &b.via.f64, sizeof(double)) == 0;
        case msgpack::type::STR:
        case msgpack::type::BIN:
            return a.via.str.size == b.via.str.size && (a.via.str.size == 0 || std::memcmp(a.via.str.ptr, b.via.str.ptr, a.via.str.size) == 0);
        case msgpack::type::EXT:  // ptr: the type byte, then size bytes
            return a.via.ext.size == b.via.ext.size && std::memcmp(a.via.ext.ptr, b.via.ext.ptr, a.via.ext.size + 1) == 0;
        case msgpack::type::ARRAY:
            if (a.via.array.size != b.via.array.size) return false;
            for (std::uint32_t i = 0; i < a.via.array.size; ++i)
                if (!same(a.via.array.ptr[i], b.via.array.ptr[i])) return false;
            return true;
        case msgpack::type::MAP:
            if (a.via.map.size != b.via.map.size) return false;
            for (std::uint32_t i = 0; i < a.via.map.size; ++i)
                if (!same(a.via.map.ptr[i].key, b.via.map.ptr[i].key) || !same(a.via.map.ptr[i].val, b.via.map.ptr[i].val)) return false;
            return true;
    }
    return false;
}

void check_object_reader(ByteView body) {
    constexpr std::size_t depth = detail_registry::max_body_depth;
    msgpack::zone ours_zone, theirs_zone;
    msgpack::object ours, theirs;
    bool ours_refused = false, theirs_refused = false;
    try {
        ours = detail_registry::read_object(body, ours_zone, depth);
    } catch (const std::invalid_argument&) {
        ours_refused = true;
    }
    const std::size_t n = body.size();
    try {
        std::size_t offset = 0;
        theirs = msgpack::unpack(theirs_zone, reinterpret_cast<const char*>(body.data()), n, offset, nullptr, nullptr,
                                 msgpack::unpack_limit(n, n, n, n, n, depth));
        theirs_refused = offset != n;
    } catch (const std::exception&) {
        theirs_refused = true;
    }
    FUZZ_CHECK(ours_refused == theirs_refused);
    if (!ours_refused && !theirs_refused) FUZZ_CHECK(same(ours, theirs));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const ByteView rest(data + 1, size - 1);
    const int mode = data[0] % 5;
    if (mode == 4) {
        check_object_reader(rest);
        return 0;
    }
    if (mode == 2 || mode == 3) {
        const bool event = mode == 2;
        Bytes once;
        try {
            once = event ? encode_event(decode_event(rest)) : encode_snapshot(decode_snapshot(rest));
        } catch (const std::invalid_argument& refused) {
            FUZZ_CHECK(std::string(refused.what()).rfind("malformed event: ", 0) == 0);
            return 0;
        }
        // What decoded encodes to bytes that decode to the same (one encoding per value).
        const Bytes twice = event ? encode_event(decode_event(once)) : encode_snapshot(decode_snapshot(once));
        FUZZ_CHECK(twice == once);
        return 0;
    }
    if (mode == 0) {
        Envelope e;
        try {
            e = decode_envelope(rest);
        } catch (const std::invalid_argument& refused) {
            FUZZ_CHECK(std::string(refused.what()).rfind("malformed envelope: ", 0) == 0);
            return 0;
        }
        FUZZ_CHECK(static_cast<std::uint8_t>(e.kind) < envelope_kind_count);
        round_trip(e);
        return 0;
    }
    ByteScript in(rest.data(), rest.size());
    Envelope e;
    e.kind = static_cast<EnvelopeKind>(in.byte() % envelope_kind_count);
    e.target = pid(in);
    e.sender = pid(in);
    if (in.byte() % 2 == 0) e.type_id = static_cast<std::uint32_t>(in.u64());
    else e.type = text(in);
    e.body.resize(in.byte() % 64 * (in.byte() % 4 == 0 ? 1024 : 1));
    for (auto& b : e.body) b = in.byte();
    e.request_id = in.u64();
    e.code = in.byte();
    e.detail = text(in);
    e.flag = in.byte() & 1;
    round_trip(e);
    return 0;
}
