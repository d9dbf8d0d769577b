#include "remote/object_reader.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace actors::remote::detail_registry {
namespace {

// Out of line and marked cold: the hot paths below stay small enough to inline.
[[noreturn, gnu::cold, gnu::noinline]] void refuse(const char* why) {
    throw std::invalid_argument(std::string("malformed msgpack: ") + why);
}

class ObjectReader {
public:
    ObjectReader(const std::uint8_t* p, const std::uint8_t* end, msgpack::zone& zone, std::size_t max_depth)
        : p_(p), end_(end), zone_(zone), max_depth_(max_depth) {}

    // `depth`: how many containers enclose `o`.
    void value(msgpack::object& o, std::size_t depth) {
        if (p_ == end_) refuse("truncated");
        const std::uint8_t t = *p_++;
        if (t <= 0x7f) return positive(o, t);
        if (t >= 0xe0) return negative(o, static_cast<std::int8_t>(t));
        if (t <= 0x8f) return map(o, t & 0x0fu, depth);
        if (t <= 0x9f) return array(o, t & 0x0fu, depth);
        if (t <= 0xbf) return raw(o, msgpack::type::STR, t & 0x1fu);
        switch (t) {
            case 0xc0: o.type = msgpack::type::NIL; return;
            case 0xc1: refuse("0xc1 is never used");
            case 0xc2:
            case 0xc3:
                o.type = msgpack::type::BOOLEAN;
                o.via.boolean = t == 0xc3;
                return;
            case 0xc4:
            case 0xc5:
            case 0xc6: return raw(o, msgpack::type::BIN, big_endian(std::size_t{1} << (t - 0xc4)));
            case 0xc7:
            case 0xc8:
            case 0xc9: return ext(o, big_endian(std::size_t{1} << (t - 0xc7)));
            case 0xca: {
                const auto bits = static_cast<std::uint32_t>(big_endian(4));
                float f;
                std::memcpy(&f, &bits, sizeof f);
                o.type = msgpack::type::FLOAT32;
                o.via.f64 = f;
                return;
            }
            case 0xcb: {
                const std::uint64_t bits = big_endian(8);
                double d;
                std::memcpy(&d, &bits, sizeof d);
                o.type = msgpack::type::FLOAT64;
                o.via.f64 = d;
                return;
            }
            case 0xcc:
            case 0xcd:
            case 0xce:
            case 0xcf: return positive(o, big_endian(std::size_t{1} << (t - 0xcc)));
            case 0xd0:
            case 0xd1:
            case 0xd2:
            case 0xd3: {
                const std::size_t n = std::size_t{1} << (t - 0xd0);
                const unsigned unused = 64 - 8 * static_cast<unsigned>(n);
                // Sign-extended from n bytes (arithmetic shift: C++20).
                const auto v = static_cast<std::int64_t>(big_endian(n) << unused) >> unused;
                if (v >= 0) return positive(o, static_cast<std::uint64_t>(v));
                return negative(o, v);
            }
            case 0xd4:
            case 0xd5:
            case 0xd6:
            case 0xd7:
            case 0xd8: return ext(o, std::size_t{1} << (t - 0xd4));
            case 0xd9:
            case 0xda:
            case 0xdb: return raw(o, msgpack::type::STR, big_endian(std::size_t{1} << (t - 0xd9)));
            case 0xdc: return array(o, big_endian(2), depth);
            case 0xdd: return array(o, big_endian(4), depth);
            case 0xde: return map(o, big_endian(2), depth);
            default: return map(o, big_endian(4), depth);  // 0xdf: every byte value is covered above
        }
    }

    [[nodiscard]] std::size_t left() const noexcept { return static_cast<std::size_t>(end_ - p_); }

private:
    static void positive(msgpack::object& o, std::uint64_t v) noexcept {
        o.type = msgpack::type::POSITIVE_INTEGER;
        o.via.u64 = v;
    }
    static void negative(msgpack::object& o, std::int64_t v) noexcept {
        o.type = msgpack::type::NEGATIVE_INTEGER;
        o.via.i64 = v;
    }
    std::uint64_t big_endian(std::size_t n) {
        if (left() < n) refuse("truncated");
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
        return v;
    }
    void raw(msgpack::object& o, msgpack::type::object_type type, std::uint64_t n) {
        if (left() < n) refuse("truncated");
        o.type = type;
        // str and bin share their layout in msgpack::object (ptr, size).
        o.via.str.ptr = reinterpret_cast<const char*>(p_);
        o.via.str.size = static_cast<std::uint32_t>(n);
        p_ += n;
    }
    void ext(msgpack::object& o, std::uint64_t n) {  // the type byte, then n bytes
        if (left() < n + 1) refuse("truncated");
        o.type = msgpack::type::EXT;
        o.via.ext.ptr = reinterpret_cast<const char*>(p_);
        o.via.ext.size = static_cast<std::uint32_t>(n);
        p_ += n + 1;
    }
    void enter(std::size_t depth) const {
        if (depth + 1 > max_depth_) refuse("nested too deep");
    }
    void array(msgpack::object& o, std::uint64_t n, std::size_t depth) {
        enter(depth);
        if (n > left()) refuse("truncated");  // every element takes a byte at least
        o.type = msgpack::type::ARRAY;
        o.via.array.size = static_cast<std::uint32_t>(n);
        o.via.array.ptr = nullptr;
        if (n == 0) return;
        auto* items = static_cast<msgpack::object*>(zone_.allocate_align(n * sizeof(msgpack::object), MSGPACK_ZONE_ALIGNOF(msgpack::object)));
        o.via.array.ptr = items;
        for (std::uint64_t i = 0; i < n; ++i) value(items[i], depth + 1);
    }
    void map(msgpack::object& o, std::uint64_t n, std::size_t depth) {
        enter(depth);
        if (n > left() / 2) refuse("truncated");  // every entry takes two bytes at least
        o.type = msgpack::type::MAP;
        o.via.map.size = static_cast<std::uint32_t>(n);
        o.via.map.ptr = nullptr;
        if (n == 0) return;
        auto* items = static_cast<msgpack::object_kv*>(zone_.allocate_align(n * sizeof(msgpack::object_kv), MSGPACK_ZONE_ALIGNOF(msgpack::object_kv)));
        o.via.map.ptr = items;
        for (std::uint64_t i = 0; i < n; ++i) {
            value(items[i].key, depth + 1);
            value(items[i].val, depth + 1);
        }
    }

    const std::uint8_t* p_;
    const std::uint8_t* end_;
    msgpack::zone& zone_;
    std::size_t max_depth_;
};

}  // namespace

msgpack::object read_object(std::span<const std::uint8_t> bytes, msgpack::zone& zone, std::size_t max_depth) {
    ObjectReader r(bytes.data(), bytes.data() + bytes.size(), zone, max_depth);
    msgpack::object o;
    r.value(o, 0);
    if (const std::size_t rest = r.left(); rest != 0)
        throw std::invalid_argument("trailing bytes after the message body (" + std::to_string(rest) + ")");
    return o;
}

}  // namespace actors::remote::detail_registry
