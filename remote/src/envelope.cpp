#include "remote/envelope.hpp"

#include <algorithm>
#include <stdexcept>

#include <msgpack.hpp>

namespace actors::remote {

namespace {
using Packer = msgpack::packer<msgpack::sbuffer>;

void pack_pid(Packer& p, const WirePid& pid) {
    p.pack_array(3);
    p.pack(pid.node);
    p.pack(pid.id);
    p.pack(pid.generation);
}

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("malformed envelope: " + what); }

template <class T>
T get(const msgpack::object& o, const char* field) {
    try {
        return o.as<T>();
    } catch (const std::exception&) {
        bad(std::string("field '") + field + "' has the wrong type");
    }
}

WirePid unpack_pid(const msgpack::object& o, const char* field) {
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 3) bad(std::string("field '") + field + "' is not [node, id, generation]");
    WirePid pid;
    pid.node = get<std::string>(o.via.array.ptr[0], field);
    pid.id = get<std::uint64_t>(o.via.array.ptr[1], field);
    pid.generation = get<std::uint32_t>(o.via.array.ptr[2], field);
    return pid;
}
}  // namespace

Bytes encode(const Envelope& e) {
    msgpack::sbuffer buffer(64 + e.body.size() + e.type.size());
    Packer p(buffer);
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
    const auto* data = reinterpret_cast<const std::uint8_t*>(buffer.data());
    return Bytes(data, data + buffer.size());
}

Envelope decode_envelope(ByteView bytes) {
    msgpack::object_handle handle;
    try {
        // From the network: counts bounded by the size (each element takes a byte), nesting by
        // the format's two levels, so a short header cannot make msgpack reserve gigabytes.
        const std::size_t n = bytes.size();
        const msgpack::unpack_limit limit(std::min<std::size_t>(n, 9), 0, n, n, 0, 2);
        std::size_t offset = 0;
        handle = msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), n, offset, nullptr, nullptr, limit);
        if (offset != bytes.size()) bad("trailing bytes after the envelope");
    } catch (const std::invalid_argument&) {
        throw;
    } catch (const std::exception& e) {
        bad(std::string("not msgpack (") + e.what() + ")");
    }
    const msgpack::object& o = handle.get();
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 9) bad("not an array of 9 fields");
    const msgpack::object* f = o.via.array.ptr;
    Envelope e;
    const auto kind = get<std::uint8_t>(f[0], "kind");
    if (kind >= envelope_kind_count) bad("unknown kind " + std::to_string(kind));
    e.kind = static_cast<EnvelopeKind>(kind);
    e.target = unpack_pid(f[1], "target");
    e.sender = unpack_pid(f[2], "sender");
    e.type = get<std::string>(f[3], "type");
    if (f[4].type != msgpack::type::BIN) bad("field 'body' is not bin");
    const auto* body = reinterpret_cast<const std::uint8_t*>(f[4].via.bin.ptr);
    e.body.assign(body, body + f[4].via.bin.size);
    e.request_id = get<std::uint64_t>(f[5], "request_id");
    e.code = get<std::uint8_t>(f[6], "code");
    e.detail = get<std::string>(f[7], "detail");
    e.flag = get<bool>(f[8], "flag");
    return e;
}

}  // namespace actors::remote
