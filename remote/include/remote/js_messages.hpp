#pragma once
// JavaScript's messages across processes. A JS actor's message is a JSON value (js::JsMessage,
// js::JsRequest answered with a JSON value); registered here under stable names so a browser
// tab's actors and a native server's actors message each other over a link, and a C++ actor
// on the server handles them as it handles them from a page in its own process.
//
// On the wire a JSON value is plain msgpack (nil, bool, int or float, str, array, map with str
// keys), so any msgpack reader can read it. Integral numbers travel as msgpack integers and
// come back as doubles, as JSON numbers are. Objects keep their keys in order.

#include <cmath>
#include <cstdint>
#include <limits>

#include <msgpack.hpp>

#include "actors/bridge/js_messages.hpp"
#include "actors/bridge/json.hpp"

namespace actors::remote {

inline constexpr const char* js_message_name = "actors.js.message";
inline constexpr const char* js_request_name = "actors.js.request";

// Registers js::JsMessage and js::JsRequest (idempotent, thread-safe): call before the first
// send of a JSON message to another node, on both nodes.
void register_js_messages();

// msgpack -> JSON value. Throws std::invalid_argument naming what JSON cannot hold (a
// non-string key, binary, an extension type, a non-finite float).
[[nodiscard]] json::Value json_from_msgpack(const msgpack::object& o);

}  // namespace actors::remote

namespace msgpack {
MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS) {
namespace adaptor {

template <>
struct pack<actors::json::Value> {
    template <class Stream>
    packer<Stream>& operator()(packer<Stream>& p, const actors::json::Value& v) const {
        using T = actors::json::Value::Type;
        switch (v.type()) {
            case T::null: return p.pack_nil();
            case T::boolean: return v.as_bool() ? p.pack_true() : p.pack_false();
            case T::number: {
                const double d = v.as_number();
                // 2^63 is exact as a double; below it every integral double fits an int64.
                constexpr double limit = 9223372036854775808.0;
                if (std::trunc(d) == d && d >= -limit && d < limit) return p.pack_int64(static_cast<std::int64_t>(d));
                return p.pack_double(d);
            }
            case T::string: return p.pack(v.as_string());
            case T::array: {
                const auto& a = v.as_array();
                p.pack_array(static_cast<std::uint32_t>(a.size()));
                for (const auto& e : a) operator()(p, e);
                return p;
            }
            case T::object: {
                const auto& o = v.as_object();
                p.pack_map(static_cast<std::uint32_t>(o.size()));
                for (const auto& m : o) {
                    p.pack(m.key);
                    operator()(p, m.value);
                }
                return p;
            }
        }
        return p;
    }
};

template <>
struct convert<actors::json::Value> {
    const msgpack::object& operator()(const msgpack::object& o, actors::json::Value& v) const {
        v = actors::remote::json_from_msgpack(o);
        return o;
    }
};

// The messages are their body on the wire: no wrapper, so a reader sees the JSON value itself.
template <>
struct pack<actors::js::JsMessage> {
    template <class Stream>
    packer<Stream>& operator()(packer<Stream>& p, const actors::js::JsMessage& m) const {
        return p.pack(m.body);
    }
};
template <>
struct convert<actors::js::JsMessage> {
    const msgpack::object& operator()(const msgpack::object& o, actors::js::JsMessage& m) const {
        m.body = actors::remote::json_from_msgpack(o);
        return o;
    }
};
template <>
struct pack<actors::js::JsRequest> {
    template <class Stream>
    packer<Stream>& operator()(packer<Stream>& p, const actors::js::JsRequest& m) const {
        return p.pack(m.body);
    }
};
template <>
struct convert<actors::js::JsRequest> {
    const msgpack::object& operator()(const msgpack::object& o, actors::js::JsRequest& m) const {
        m.body = actors::remote::json_from_msgpack(o);
        return o;
    }
};

}  // namespace adaptor
}  // MSGPACK_API_VERSION_NAMESPACE(MSGPACK_DEFAULT_API_NS)
}  // namespace msgpack
