#include "remote/js_messages.hpp"

#include <stdexcept>
#include <string>

#include "remote/registry.hpp"

namespace actors::remote {

namespace {

json::Value number_from(double d) {
    if (!std::isfinite(d)) throw std::invalid_argument("a JSON number cannot be NaN or infinite");
    return json::Value{d};
}

std::string text_of(const msgpack::object& o) { return std::string(o.via.str.ptr, o.via.str.size); }

}  // namespace

json::Value json_from_msgpack(const msgpack::object& o) {
    switch (o.type) {
        case msgpack::type::NIL: return json::Value{nullptr};
        case msgpack::type::BOOLEAN: return json::Value{o.via.boolean};
        case msgpack::type::POSITIVE_INTEGER: return json::Value{static_cast<double>(o.via.u64)};
        case msgpack::type::NEGATIVE_INTEGER: return json::Value{static_cast<double>(o.via.i64)};
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64: return number_from(o.via.f64);
        case msgpack::type::STR: return json::Value{text_of(o)};
        case msgpack::type::ARRAY: {
            json::Array a;
            a.reserve(o.via.array.size);
            for (std::uint32_t i = 0; i < o.via.array.size; ++i) a.push_back(json_from_msgpack(o.via.array.ptr[i]));
            return json::Value{std::move(a)};
        }
        case msgpack::type::MAP: {
            json::Object obj;
            obj.reserve(o.via.map.size);
            for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
                const auto& kv = o.via.map.ptr[i];
                if (kv.key.type != msgpack::type::STR) throw std::invalid_argument("a JSON object's keys must be strings");
                obj.push_back(json::Member{text_of(kv.key), json_from_msgpack(kv.val)});
            }
            return json::Value{std::move(obj)};
        }
        case msgpack::type::BIN: throw std::invalid_argument("JSON has no binary values");
        case msgpack::type::EXT: throw std::invalid_argument("JSON has no msgpack extension types");
    }
    throw std::invalid_argument("an unknown msgpack type");
}

void register_js_messages() {
    register_message<js::JsMessage>(js_message_name);
    register_message<js::JsRequest>(js_request_name);
}

}  // namespace actors::remote
