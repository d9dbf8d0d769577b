#include "wire.hpp"

#include <cstring>

#include <msgpack.hpp>

namespace actors::remote::wire {
namespace {

// msgpack's packer wants a stream with write(); this one appends to a byte vector.
struct Appender {
    Bytes& out;
    // resize and copy: g++ 12 at -O3 warned (-Wstringop-overflow, a false positive) about
    // vector::insert inlined into the packer's one-byte writes.
    void write(const char* p, std::size_t n) {
        if (n == 0) return;
        const std::size_t at = out.size();
        out.resize(at + n);
        std::memcpy(out.data() + at, p, n);
    }
};

// Envelope payloads stay in the frame's buffer (no copy); views into it are handed out.
bool reference_everything(msgpack::type::object_type, std::size_t, void*) { return true; }

const char* type_name(msgpack::type::object_type t) {
    switch (t) {
        case msgpack::type::NIL: return "nil";
        case msgpack::type::BOOLEAN: return "bool";
        case msgpack::type::POSITIVE_INTEGER: return "uint";
        case msgpack::type::NEGATIVE_INTEGER: return "negative int";
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64: return "float";
        case msgpack::type::STR: return "str";
        case msgpack::type::BIN: return "bin";
        case msgpack::type::ARRAY: return "array";
        case msgpack::type::MAP: return "map";
        case msgpack::type::EXT: return "ext";
    }
    return "unknown";
}

[[noreturn]] void fail(const std::string& what) { throw WireError(what); }

std::uint64_t as_uint(const msgpack::object& o, const char* field) {
    if (o.type != msgpack::type::POSITIVE_INTEGER)
        fail(std::string("bad frame: ") + field + " is " + type_name(o.type) + ", expected uint");
    return o.via.u64;
}

std::optional<std::uint64_t> as_optional_uint(const msgpack::object& o, const char* field) {
    if (o.type == msgpack::type::NIL) return std::nullopt;
    return as_uint(o, field);
}

std::string as_str(const msgpack::object& o, const char* field) {
    if (o.type != msgpack::type::STR)
        fail(std::string("bad frame: ") + field + " is " + type_name(o.type) + ", expected str");
    return std::string(o.via.str.ptr, o.via.str.size);
}

const msgpack::object_array& as_array(const msgpack::object& o, const char* field, std::size_t min_size) {
    if (o.type != msgpack::type::ARRAY)
        fail(std::string("bad frame: ") + field + " is " + type_name(o.type) + ", expected array");
    if (o.via.array.size < min_size)
        fail(std::string("bad frame: ") + field + " has " + std::to_string(o.via.array.size) +
             " fields, expected at least " + std::to_string(min_size));
    return o.via.array;
}

Handshake decode_handshake(Kind kind, const msgpack::object_array& a) {
    Handshake h;
    h.kind = kind;
    h.hello.version = 0;
    if (a.size < 2) fail("bad frame: handshake without a version");
    const std::uint64_t version = as_uint(a.ptr[1], "version");
    // A version we do not speak keeps only kind and version: its layout may differ from ours.
    h.hello.version = version > 0xffffffffu ? 0xffffffffu : static_cast<std::uint32_t>(version);
    if (version < oldest_protocol_version || version > protocol_version) return h;
    if (a.size < 8)
        fail("bad frame: handshake has " + std::to_string(a.size) + " fields, expected 8");
    h.hello.node = as_str(a.ptr[2], "node");
    h.hello.incarnation = as_uint(a.ptr[3], "incarnation");
    h.hello.token = as_str(a.ptr[4], "token");
    h.hello.max_frame_bytes = as_uint(a.ptr[5], "max_frame_bytes");
    h.hello.seen_incarnation = as_uint(a.ptr[6], "seen_incarnation");
    h.hello.last_received = as_uint(a.ptr[7], "last_received");
    if (version >= 2 && a.size >= 9) {  // absent: no types announced
        const auto& types = as_array(a.ptr[8], "types", 0);
        h.hello.types.reserve(types.size);
        for (std::uint32_t i = 0; i < types.size; ++i) h.hello.types.push_back(as_str(types.ptr[i], "type name"));
    }
    return h;
}

Data decode_data(const msgpack::object_array& a) {
    if (a.size < 6)
        fail("bad frame: data frame has " + std::to_string(a.size) + " fields, expected 6");
    Data d;
    d.ack = as_optional_uint(a.ptr[1], "ack");
    d.ping = as_optional_uint(a.ptr[2], "ping");
    d.pong = as_optional_uint(a.ptr[3], "pong");
    d.first_seq = as_uint(a.ptr[4], "first_seq");
    const auto& envelopes = as_array(a.ptr[5], "envelopes", 0);
    if (envelopes.size > 0 && d.first_seq == 0) fail("bad frame: envelopes numbered from 0");
    if (envelopes.size > 0 && d.first_seq > UINT64_MAX - envelopes.size)
        fail("bad frame: envelope sequence numbers overflow");
    d.envelopes.reserve(envelopes.size);
    for (std::uint32_t i = 0; i < envelopes.size; ++i) {
        const msgpack::object& e = envelopes.ptr[i];
        if (e.type != msgpack::type::BIN)
            fail(std::string("bad frame: envelope is ") + type_name(e.type) + ", expected bin");
        d.envelopes.emplace_back(reinterpret_cast<const std::uint8_t*>(e.via.bin.ptr), e.via.bin.size);
    }
    if (a.size > 6 && a.ptr[6].type != msgpack::type::NIL) d.goodbye = as_str(a.ptr[6], "goodbye");
    return d;
}

// A data frame of exactly the shape the Session writes, read straight from the bytes: msgpack's
// object tree for it (one object per envelope, a zone chunk malloc'd per frame, a parse stack on
// the heap) cost ~350 instructions per envelope on the receive path. Anything else (another
// shape, a handshake, an error of any kind) comes back empty and goes the general way, which
// accepts exactly what this accepts, with the same result, and names what is wrong.
class DataCursor {
public:
    explicit DataCursor(ByteView frame) : p_(frame.data()), end_(frame.data() + frame.size()) {}
    [[nodiscard]] std::size_t left() const noexcept { return static_cast<std::size_t>(end_ - p_); }

    bool array(std::size_t& n) {
        if (p_ == end_) return false;
        const std::uint8_t t = *p_++;
        if (t >= 0x90 && t <= 0x9f) n = t & 0x0fu;
        else if (t == 0xdc || t == 0xdd) {
            std::uint64_t v = 0;
            if (!big_endian(t == 0xdc ? 2 : 4, v)) return false;
            n = static_cast<std::size_t>(v);
        } else {
            return false;
        }
        return true;
    }
    // A non-negative integer in any encoding msgpack reads as POSITIVE_INTEGER.
    bool uint(std::uint64_t& v) {
        if (p_ == end_) return false;
        const std::uint8_t t = *p_++;
        if (t <= 0x7f) {
            v = t;
            return true;
        }
        if (t >= 0xcc && t <= 0xcf) return big_endian(std::size_t{1} << (t - 0xcc), v);
        if (t >= 0xd0 && t <= 0xd3) {
            const std::size_t n = std::size_t{1} << (t - 0xd0);
            return big_endian(n, v) && ((v >> (8 * n - 1)) & 1u) == 0;
        }
        return false;
    }
    bool optional_uint(std::optional<std::uint64_t>& v) {
        if (p_ != end_ && *p_ == 0xc0) {
            ++p_;
            v.reset();
            return true;
        }
        std::uint64_t x = 0;
        if (!uint(x)) return false;
        v = x;
        return true;
    }
    bool bin(ByteView& out) {
        if (p_ == end_) return false;
        const std::uint8_t t = *p_++;
        if (t < 0xc4 || t > 0xc6) return false;
        std::uint64_t n = 0;
        if (!big_endian(std::size_t{1} << (t - 0xc4), n) || n > left()) return false;
        out = ByteView(p_, static_cast<std::size_t>(n));
        p_ += n;
        return true;
    }

private:
    bool big_endian(std::size_t n, std::uint64_t& v) {
        if (left() < n) return false;
        v = 0;
        for (std::size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
        return true;
    }

    const std::uint8_t* p_;
    const std::uint8_t* end_;
};

std::optional<Data> read_data_frame(ByteView frame) {
    DataCursor c(frame);
    std::size_t fields = 0, count = 0;
    std::uint64_t kind = 0;
    Data d;
    if (!c.array(fields) || fields != 6 || !c.uint(kind) || kind != static_cast<std::uint64_t>(Kind::data)) return std::nullopt;
    if (!c.optional_uint(d.ack) || !c.optional_uint(d.ping) || !c.optional_uint(d.pong) || !c.uint(d.first_seq)) return std::nullopt;
    // Every bin takes two bytes at least: nothing is reserved for envelopes that are not there.
    if (!c.array(count) || count > c.left() / 2) return std::nullopt;
    if (count > 0 && (d.first_seq == 0 || d.first_seq > UINT64_MAX - count)) return std::nullopt;
    d.envelopes.resize(count);
    for (ByteView& e : d.envelopes)
        if (!c.bin(e)) return std::nullopt;
    if (c.left() != 0) return std::nullopt;
    return d;
}

}  // namespace

std::size_t bin_size(std::size_t n) noexcept {
    if (n <= 0xff) return 2 + n;
    if (n <= 0xffff) return 3 + n;
    return 5 + n;
}

Frame decode(ByteView frame) {
    if (auto d = read_data_frame(frame)) return std::move(*d);
    return decode_general(frame);
}

Frame decode_general(ByteView frame) {
    if (frame.empty()) fail("bad frame: empty");
    // Every element takes at least one byte, so no count in a valid frame exceeds its size; the
    // limits stop a 5-byte header from making the decoder reserve gigabytes.
    const std::size_t n = frame.size();
    const msgpack::unpack_limit limit(n, 0, n, n, 0, 3);
    msgpack::object_handle handle;
    std::size_t offset = 0;
    try {
        handle = msgpack::unpack(reinterpret_cast<const char*>(frame.data()), n, offset,
                                 reference_everything, nullptr, limit);
    } catch (const msgpack::insufficient_bytes&) {
        fail("malformed msgpack: frame truncated");
    } catch (const msgpack::depth_size_overflow&) {
        fail("malformed msgpack: nested too deep");
    } catch (const msgpack::size_overflow&) {
        fail("malformed msgpack: a length exceeds the frame");
    } catch (const std::exception& e) {
        fail(std::string("malformed msgpack: ") + e.what());
    }
    if (offset != n) fail("malformed msgpack: " + std::to_string(n - offset) + " bytes after the frame");
    const auto& a = as_array(handle.get(), "frame", 1);
    const std::uint64_t kind = as_uint(a.ptr[0], "kind");
    switch (kind) {
        case static_cast<std::uint64_t>(Kind::hello): return decode_handshake(Kind::hello, a);
        case static_cast<std::uint64_t>(Kind::welcome): return decode_handshake(Kind::welcome, a);
        case static_cast<std::uint64_t>(Kind::data): return decode_data(a);
        default: fail("bad frame: unknown kind " + std::to_string(kind));
    }
}

Bytes encode_handshake(Kind kind, const Hello& h) {
    Bytes out;
    Appender app{out};
    msgpack::packer<Appender> p(app);
    p.pack_array(h.version >= 2 ? 9 : 8);
    p.pack(static_cast<std::uint8_t>(kind));
    p.pack(h.version);
    p.pack(h.node);
    p.pack(h.incarnation);
    p.pack(h.token);
    p.pack(h.max_frame_bytes);
    p.pack(h.seen_incarnation);
    p.pack(h.last_received);
    if (h.version >= 2) {
        p.pack_array(static_cast<std::uint32_t>(h.types.size()));
        for (const auto& t : h.types) p.pack(t);
    }
    return out;
}

std::size_t types_that_fit(const Hello& h, const std::vector<std::string>& names) {
    auto str_size = [](std::size_t n) { return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5); };
    // The numbers at their widest: the count must not shrink on a later handshake whose
    // last_received (or incarnation) has grown, or a replayed envelope could name a type the
    // peer was not told.
    std::size_t size = 1 + 1 + 5 + str_size(h.node.size()) + 9 + str_size(h.token.size()) + 9 + 9 + 9 + 5;
    std::size_t n = 0;
    for (const auto& name : names) {
        size += str_size(name.size());
        if (size > min_frame_bytes) break;
        ++n;
    }
    return n;
}

DataWriter::DataWriter(std::optional<std::uint64_t> ack, std::optional<std::uint64_t> ping,
                       std::optional<std::uint64_t> pong, std::uint64_t first_seq, std::size_t envelope_count,
                       std::size_t envelope_bytes, std::optional<std::string> goodbye)
    : goodbye_(std::move(goodbye)) {
    if (goodbye_ && goodbye_->size() > max_goodbye_bytes) goodbye_->resize(max_goodbye_bytes);
    out_.reserve(data_frame_overhead + envelope_bytes + (goodbye_ ? goodbye_->size() + 2 : 0));
    Appender app{out_};
    msgpack::packer<Appender> p(app);
    p.pack_array(goodbye_ ? 7 : 6);
    p.pack(static_cast<std::uint8_t>(Kind::data));
    auto optional = [&](const std::optional<std::uint64_t>& v) {
        if (v) p.pack(*v); else p.pack_nil();
    };
    optional(ack);
    optional(ping);
    optional(pong);
    p.pack(first_seq);
    p.pack_array(static_cast<std::uint32_t>(envelope_count));
}

void DataWriter::add(ByteView payload) {
    // The bin header and the bytes written directly (as msgpack's pack_bin would, smallest
    // header first): per envelope, on the sending side's io thread.
    const std::size_t n = payload.size();
    const std::size_t header = bin_size(n) - n;
    const std::size_t at = out_.size();
    out_.resize(at + header + n);
    std::uint8_t* p = out_.data() + at;
    if (header == 2) {
        p[0] = 0xc4;
        p[1] = static_cast<std::uint8_t>(n);
    } else if (header == 3) {
        p[0] = 0xc5;
        p[1] = static_cast<std::uint8_t>(n >> 8);
        p[2] = static_cast<std::uint8_t>(n);
    } else {
        p[0] = 0xc6;
        for (int i = 0; i < 4; ++i) p[1 + i] = static_cast<std::uint8_t>(n >> (8 * (3 - i)));
    }
    if (n > 0) std::memcpy(p + header, payload.data(), n);
}

Bytes DataWriter::finish() && {
    if (goodbye_) {
        Appender app{out_};
        msgpack::packer<Appender> p(app);
        p.pack(*goodbye_);
    }
    return std::move(out_);
}

}  // namespace actors::remote::wire
