#include "remote/envelope.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace actors::remote {

namespace {
[[noreturn, gnu::cold, gnu::noinline]] void bad(const std::string& what) { throw std::invalid_argument("malformed envelope: " + what); }
[[noreturn, gnu::cold, gnu::noinline]] void wrong(const char* field) { bad(std::string("field '") + field + "' has the wrong type"); }
[[noreturn, gnu::cold, gnu::noinline]] void truncated(const char* field) { bad(std::string("truncated at field '") + field + "'"); }
[[noreturn, gnu::cold, gnu::noinline]] void not_bin(const char* field) { bad(std::string("field '") + field + "' is not bin"); }

// Reads the envelope's fixed shape straight from the bytes. msgpack::unpack would build an object
// tree in a zone first (with a parse stack on the heap): on the receive path, per envelope, that
// was a third of the io thread's time. Accepts every encoding msgpack-c's converters accept for
// these fields (any width of a non-negative integer, str or bin for a string), refuses the rest.
// Nothing is reserved from a count the peer wrote: a string or bin is taken only when that many
// bytes are there, and the two arrays must have exactly their fixed sizes.
// Every read is inlined into read_envelope with its error paths out of line: called per field
// (~20 calls per envelope) it was ~550 instructions per envelope, a fifth of the receive path.
#define ACTORS_HOT [[gnu::always_inline]] inline
class Reader {
public:
    explicit Reader(ByteView bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

    [[nodiscard]] bool done() const noexcept { return p_ == end_; }
    // The next value is an integer (positive fixint or uint/int of any width), not a str/bin.
    [[nodiscard]] ACTORS_HOT bool next_is_int() const noexcept {
        if (p_ == end_) return false;
        const std::uint8_t t = *p_;
        return t <= 0x7f || (t >= 0xcc && t <= 0xd3);
    }

    ACTORS_HOT std::size_t array(const char* field) {
        const std::uint8_t t = byte(field);
        if (t >= 0x90 && t <= 0x9f) return t & 0x0fu;
        if (t == 0xdc) return static_cast<std::size_t>(big_endian(2, field));
        if (t == 0xdd) return static_cast<std::size_t>(big_endian(4, field));
        wrong(field);
    }
    ACTORS_HOT std::uint64_t uint(const char* field, std::uint64_t max) {
        const std::uint8_t t = byte(field);
        if (t <= 0x7f) [[likely]] {
            if (t > max) wrong(field);
            return t;
        }
        return wide_uint(t, field, max);
    }
    ACTORS_HOT std::string_view text(const char* field) {  // str or bin, as msgpack-c converts to std::string
        const std::uint8_t t = byte(field);
        std::uint64_t n = 0;
        if (t >= 0xa0 && t <= 0xbf) n = t & 0x1fu;
        else if (t >= 0xd9 && t <= 0xdb) n = big_endian(std::size_t{1} << (t - 0xd9), field);
        else if (t >= 0xc4 && t <= 0xc6) n = big_endian(std::size_t{1} << (t - 0xc4), field);
        else wrong(field);
        const ByteView b = take(n, field);
        return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
    }
    ACTORS_HOT ByteView bin(const char* field) {
        const std::uint8_t t = byte(field);
        if (t < 0xc4 || t > 0xc6) not_bin(field);
        return take(big_endian(std::size_t{1} << (t - 0xc4), field), field);
    }
    ACTORS_HOT bool boolean(const char* field) {
        const std::uint8_t t = byte(field);
        if (t == 0xc2 || t == 0xc3) return t == 0xc3;
        wrong(field);
    }

private:
    ACTORS_HOT std::uint8_t byte(const char* field) {
        if (p_ == end_) [[unlikely]] truncated(field);
        return *p_++;
    }
    ACTORS_HOT std::uint64_t big_endian(std::size_t n, const char* field) {
        if (static_cast<std::size_t>(end_ - p_) < n) [[unlikely]] truncated(field);
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
        return v;
    }
    ACTORS_HOT ByteView take(std::uint64_t n, const char* field) {
        if (static_cast<std::uint64_t>(end_ - p_) < n) [[unlikely]] truncated(field);
        const ByteView out(p_, static_cast<std::size_t>(n));
        p_ += n;
        return out;
    }
    // The encodings wider than a fixint: out of line, they are rare on the wire (ids and
    // generations of a link's first actors, request ids past 127).
    std::uint64_t wide_uint(std::uint8_t t, const char* field, std::uint64_t max) {
        std::uint64_t v = 0;
        if (t >= 0xcc && t <= 0xcf) v = big_endian(std::size_t{1} << (t - 0xcc), field);
        else if (t >= 0xd0 && t <= 0xd3) {  // signed encodings of a value that is not negative
            const std::size_t n = std::size_t{1} << (t - 0xd0);
            v = big_endian(n, field);
            if ((v >> (8 * n - 1)) & 1u) wrong(field);
        } else {
            wrong(field);
        }
        if (v > max) wrong(field);
        return v;
    }

    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

ACTORS_HOT WirePidView read_pid(Reader& r, const char* field) {
    if (r.array(field) != 3) bad(std::string("field '") + field + "' is not [node, id, generation]");
    WirePidView pid;
    if (r.next_is_int()) {
        const auto end = r.uint(field, 1);
        pid.ref = end == 0 ? NodeRef::sender_node : NodeRef::receiver_node;
    } else {
        pid.node = r.text(field);
    }
    pid.id = r.uint(field, UINT64_MAX);
    pid.generation = static_cast<std::uint32_t>(r.uint(field, UINT32_MAX));
    return pid;
}
#undef ACTORS_HOT

WirePid owned(const WirePidView& p) { return {std::string(p.node), p.id, p.generation, p.ref}; }
}  // namespace

void encode_into(const EnvelopeView& e, Bytes& out) {
    // Written straight into `out`, in the smallest encoding of each value (what msgpack-c's
    // packer writes: the codec fuzzer checks the bytes against it). The packer appended each
    // header and value through its stream, a resize and a copy per piece: ~500 instructions
    // per envelope on the sending thread, more than the rest of a send.
    const std::size_t at = out.size();
    const std::size_t most = 1 + 2 + 2 * (1 + 5 + 9 + 5) + e.target.node.size() + e.sender.node.size() + 5 + e.type.size() +
                             5 + e.body.size() + 9 + 2 + 5 + e.detail.size() + 1;
    out.resize(at + most);
    std::uint8_t* const begin = out.data() + at;
    std::uint8_t* p = begin;
    auto store = [&p](std::uint64_t v, unsigned bytes) {
        for (unsigned i = bytes; i-- > 0;) *p++ = static_cast<std::uint8_t>(v >> (8 * i));
    };
    auto uint = [&](std::uint64_t v) {
        if (v < 0x80) {
            *p++ = static_cast<std::uint8_t>(v);
        } else if (v <= 0xff) {
            *p++ = 0xcc;
            store(v, 1);
        } else if (v <= 0xffff) {
            *p++ = 0xcd;
            store(v, 2);
        } else if (v <= 0xffffffffu) {
            *p++ = 0xce;
            store(v, 4);
        } else {
            *p++ = 0xcf;
            store(v, 8);
        }
    };
    auto bytes = [&](const void* data, std::size_t n) {
        if (n > 0) std::memcpy(p, data, n);
        p += n;
    };
    auto text = [&](std::string_view t) {
        const std::size_t n = t.size();
        if (n < 32) {
            *p++ = static_cast<std::uint8_t>(0xa0u | n);
        } else if (n < 256) {
            *p++ = 0xd9;
            store(n, 1);
        } else if (n < 65536) {
            *p++ = 0xda;
            store(n, 2);
        } else {
            *p++ = 0xdb;
            store(n, 4);
        }
        bytes(t.data(), n);
    };
    auto pid = [&](const WirePidView& w) {
        *p++ = 0x93;
        if (w.ref == NodeRef::named) text(w.node);
        else *p++ = w.ref == NodeRef::sender_node ? 0 : 1;
        uint(w.id);
        uint(w.generation);
    };
    *p++ = 0x99;
    uint(static_cast<std::uint8_t>(e.kind));
    pid(e.target);
    pid(e.sender);
    if (e.type_id) uint(*e.type_id);
    else text(e.type);
    const std::size_t n = e.body.size();
    if (n < 256) {
        *p++ = 0xc4;
        store(n, 1);
    } else if (n < 65536) {
        *p++ = 0xc5;
        store(n, 2);
    } else {
        *p++ = 0xc6;
        store(n, 4);
    }
    bytes(e.body.data(), n);
    uint(e.request_id);
    uint(e.code);
    text(e.detail);
    *p++ = e.flag ? 0xc3 : 0xc2;
    out.resize(at + static_cast<std::size_t>(p - begin));
}

Bytes encode(const Envelope& e) {
    Bytes out;
    out.reserve(64 + e.body.size() + e.type.size() + e.detail.size() + e.target.node.size() + e.sender.node.size());
    encode_into(EnvelopeView{e.kind, view_of(e.target), view_of(e.sender), e.type, e.body, e.request_id, e.code, e.detail, e.flag, e.type_id}, out);
    return out;
}

EnvelopeView read_envelope(ByteView bytes) {
    Reader r(bytes);
    if (r.array("envelope") != 9) bad("not an array of 9 fields");
    EnvelopeView e;
    const auto kind = r.uint("kind", UINT8_MAX);
    if (kind >= envelope_kind_count) bad("unknown kind " + std::to_string(kind));
    e.kind = static_cast<EnvelopeKind>(kind);
    e.target = read_pid(r, "target");
    e.sender = read_pid(r, "sender");
    if (r.next_is_int()) e.type_id = static_cast<std::uint32_t>(r.uint("type", UINT32_MAX));
    else e.type = r.text("type");
    e.body = r.bin("body");
    e.request_id = r.uint("request_id", UINT64_MAX);
    e.code = static_cast<std::uint8_t>(r.uint("code", UINT8_MAX));
    e.detail = r.text("detail");
    e.flag = r.boolean("flag");
    if (!r.done()) bad("trailing bytes after the envelope");
    return e;
}

Envelope decode_envelope(ByteView bytes) {
    const EnvelopeView v = read_envelope(bytes);
    Envelope e;
    e.kind = v.kind;
    e.target = owned(v.target);
    e.sender = owned(v.sender);
    e.type = std::string(v.type);
    e.type_id = v.type_id;
    e.body.assign(v.body.begin(), v.body.end());
    e.request_id = v.request_id;
    e.code = v.code;
    e.detail = std::string(v.detail);
    e.flag = v.flag;
    return e;
}

}  // namespace actors::remote
