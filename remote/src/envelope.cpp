#include "remote/envelope.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include <msgpack.hpp>

#include "remote/scratch_zone.hpp"

namespace actors::remote {

namespace {
using Packer = msgpack::packer<detail_registry::BytesWriter>;

void pack_pid(Packer& p, const WirePid& pid) {
    p.pack_array(3);
    p.pack(pid.node);
    p.pack(pid.id);
    p.pack(pid.generation);
}

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("malformed envelope: " + what); }

// Reads the envelope's fixed shape straight from the bytes. msgpack::unpack would build an object
// tree in a zone first (with a parse stack on the heap): on the receive path, per envelope, that
// was a third of the io thread's time. Accepts every encoding msgpack-c's converters accept for
// these fields (any width of a non-negative integer, str or bin for a string), refuses the rest.
// Nothing is reserved from a count the peer wrote: a string or bin is taken only when that many
// bytes are there, and the two arrays must have exactly their fixed sizes.
class Reader {
public:
    explicit Reader(ByteView bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

    [[nodiscard]] bool done() const noexcept { return p_ == end_; }

    std::size_t array(const char* field) {
        const std::uint8_t t = byte(field);
        if (t >= 0x90 && t <= 0x9f) return t & 0x0fu;
        if (t == 0xdc) return static_cast<std::size_t>(big_endian(2, field));
        if (t == 0xdd) return static_cast<std::size_t>(big_endian(4, field));
        wrong(field);
    }
    std::uint64_t uint(const char* field, std::uint64_t max) {
        const std::uint8_t t = byte(field);
        std::uint64_t v = 0;
        if (t <= 0x7f) v = t;
        else if (t >= 0xcc && t <= 0xcf) v = big_endian(std::size_t{1} << (t - 0xcc), field);
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
    std::string text(const char* field) {  // str or bin, as msgpack-c converts to std::string
        const ByteView b = raw(field, true);
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
    ByteView bin(const char* field) { return raw(field, false); }
    bool boolean(const char* field) {
        const std::uint8_t t = byte(field);
        if (t == 0xc2 || t == 0xc3) return t == 0xc3;
        wrong(field);
    }

private:
    [[noreturn]] static void wrong(const char* field) { bad(std::string("field '") + field + "' has the wrong type"); }
    std::uint8_t byte(const char* field) {
        if (p_ == end_) bad(std::string("truncated at field '") + field + "'");
        return *p_++;
    }
    std::uint64_t big_endian(std::size_t n, const char* field) {
        if (static_cast<std::size_t>(end_ - p_) < n) bad(std::string("truncated at field '") + field + "'");
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
        return v;
    }
    ByteView raw(const char* field, bool str_too) {
        const std::uint8_t t = byte(field);
        std::uint64_t n = 0;
        if (str_too && t >= 0xa0 && t <= 0xbf) n = t & 0x1fu;
        else if (str_too && t >= 0xd9 && t <= 0xdb) n = big_endian(std::size_t{1} << (t - 0xd9), field);
        else if (t >= 0xc4 && t <= 0xc6) n = big_endian(std::size_t{1} << (t - 0xc4), field);
        else if (!str_too) bad(std::string("field '") + field + "' is not bin");
        else wrong(field);
        if (static_cast<std::uint64_t>(end_ - p_) < n) bad(std::string("truncated at field '") + field + "'");
        const ByteView out(p_, static_cast<std::size_t>(n));
        p_ += n;
        return out;
    }

    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

WirePid read_pid(Reader& r, const char* field) {
    if (r.array(field) != 3) bad(std::string("field '") + field + "' is not [node, id, generation]");
    WirePid pid;
    pid.node = r.text(field);
    pid.id = r.uint(field, UINT64_MAX);
    pid.generation = static_cast<std::uint32_t>(r.uint(field, UINT32_MAX));
    return pid;
}
}  // namespace

Bytes encode(const Envelope& e) {
    Bytes out;
    out.reserve(64 + e.body.size() + e.type.size() + e.detail.size() + e.target.node.size() + e.sender.node.size());
    detail_registry::BytesWriter writer{out};
    Packer p(writer);
    p.pack_array(9);
    p.pack(static_cast<std::uint8_t>(e.kind));
    pack_pid(p, e.target);
    pack_pid(p, e.sender);
    p.pack(e.type);
    p.pack_bin(static_cast<std::uint32_t>(e.body.size()));
    p.pack_bin_body(reinterpret_cast<const char*>(e.body.data()), static_cast<std::uint32_t>(e.body.size()));
    p.pack(e.request_id);
    p.pack(e.code);
    p.pack(e.detail);
    p.pack(e.flag);
    return out;
}

Envelope decode_envelope(ByteView bytes) {
    Reader r(bytes);
    if (r.array("envelope") != 9) bad("not an array of 9 fields");
    Envelope e;
    const auto kind = r.uint("kind", UINT8_MAX);
    if (kind >= envelope_kind_count) bad("unknown kind " + std::to_string(kind));
    e.kind = static_cast<EnvelopeKind>(kind);
    e.target = read_pid(r, "target");
    e.sender = read_pid(r, "sender");
    e.type = r.text("type");
    const ByteView body = r.bin("body");
    e.body.assign(body.begin(), body.end());
    e.request_id = r.uint("request_id", UINT64_MAX);
    e.code = static_cast<std::uint8_t>(r.uint("code", UINT8_MAX));
    e.detail = r.text("detail");
    e.flag = r.boolean("flag");
    if (!r.done()) bad("trailing bytes after the envelope");
    return e;
}

}  // namespace actors::remote
