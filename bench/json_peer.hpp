#pragma once
// The peer of actors::json in bench_suite's "json" section and in json_behaviours: nlohmann's
// ordered_json (Debian nlohmann-json3-dev 3.11.2), made to keep the rules the JS API promises
// wherever it can, in the two ways it could replace ours (issue 16):
//
//   behind the interface  text -> actors::json::Value through nlohmann's SAX parser, and
//                         Value -> ordered_json -> text. What replacing json.cpp would cost: the
//                         interface hands out std::vector<Value> / std::vector<Member>, which
//                         ordered_json is not, so every parse and dump goes through a conversion.
//   ordered_json DOM      text -> ordered_json -> text, no Value at all: the best nlohmann can do
//                         if every user of actors::json were rewritten to take ordered_json.
//
// The rules, and how each is kept:
//   - nesting at most max_depth deep (ours counts every value, the top one at depth 0): a SAX
//     wrapper counts open containers and refuses a value that opens deeper;
//   - a repeated key keeps its first place and its last value (JSON.parse): the SAX builder looks
//     the key up (an index past 16 members, as ours); the DOM gets it from ordered_map::operator[];
//   - lone surrogates in \u escapes, control characters, raw ill-formed UTF-8: nlohmann's lexer;
//   - NaN / infinity refused on output: a walk before dumping (nlohmann would print null);
//   - numbers print like ours where nlohmann can: an integral double below 2^53 goes out as an
//     integer (nlohmann prints a float 42.0 as "42.0").
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/bridge/json.hpp"

namespace bench::nl {

using ordered = nlohmann::ordered_json;
namespace aj = actors::json;

// nlohmann's exceptions -> json::Error with the byte offset nlohmann reports (its `byte` is the
// 1-based count of characters read, so the offset of the character it stopped on is byte - 1).
[[noreturn]] inline void rethrow(const nlohmann::json::exception& e, std::size_t byte) {
    throw aj::Error(e.what(), byte > 0 ? byte - 1 : 0);
}

// SAX handler that builds actors::json::Value directly.
class ValueBuilder {
public:
    using number_integer_t = ordered::number_integer_t;
    using number_unsigned_t = ordered::number_unsigned_t;
    using number_float_t = ordered::number_float_t;
    using string_t = ordered::string_t;
    using binary_t = ordered::binary_t;

    ValueBuilder(aj::Value& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

    bool null() { return put(aj::Value{}); }
    bool boolean(bool b) { return put(aj::Value{b}); }
    bool number_integer(number_integer_t n) { return put(aj::Value{static_cast<double>(n)}); }
    bool number_unsigned(number_unsigned_t n) { return put(aj::Value{static_cast<double>(n)}); }
    bool number_float(number_float_t d, const string_t&) { return put(aj::Value{d}); }
    bool string(string_t& s) { return put(aj::Value{std::move(s)}); }
    bool binary(binary_t&) { return false; }  // never produced by the JSON lexer
    bool start_object(std::size_t) {
        aj::Value* v = open(aj::Value{aj::Object{}});
        stack_.push_back(Frame{v, {}, {}});
        return true;
    }
    bool key(string_t& k) {
        stack_.back().key = std::move(k);
        return true;
    }
    bool end_object() {
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        aj::Value* v = open(aj::Value{aj::Array{}});
        stack_.push_back(Frame{v, {}, {}});
        return true;
    }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    bool parse_error(std::size_t byte, const std::string&, const nlohmann::json::exception& e) { rethrow(e, byte); }

private:
    struct Frame {
        aj::Value* container;
        std::string key;
        std::unordered_map<std::string, std::size_t> index;  // built once an object passes 16 members
    };

    void depth_check() const {
        if (stack_.size() > max_depth_)
            throw aj::Error("nested deeper than " + std::to_string(max_depth_) + " levels", 0);
    }

    // Places v where the parser is; returns where it went.
    aj::Value* open(aj::Value v) {
        depth_check();
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        Frame& f = stack_.back();
        if (f.container->is_array()) {
            aj::Array& a = f.container->as_array();
            a.push_back(std::move(v));
            return &a.back();
        }
        aj::Object& o = f.container->as_object();
        if (o.size() > 16 && f.index.empty())
            for (std::size_t k = 0; k < o.size(); ++k) f.index.emplace(o[k].key, k);
        std::size_t at = o.size();
        if (!f.index.empty()) {
            auto it = f.index.find(f.key);
            if (it != f.index.end()) at = it->second;
        } else {
            for (std::size_t k = 0; k < o.size(); ++k)
                if (o[k].key == f.key) {
                    at = k;
                    break;
                }
        }
        if (at < o.size()) {
            o[at].value = std::move(v);
            return &o[at].value;
        }
        if (!f.index.empty()) f.index.emplace(f.key, o.size());
        o.push_back(aj::Member{std::move(f.key), std::move(v)});
        return &o.back().value;
    }
    bool put(aj::Value v) {
        open(std::move(v));
        return true;
    }

    aj::Value& root_;
    std::size_t max_depth_;
    std::vector<Frame> stack_;
};

// Behind the interface: parse.
inline aj::Value parse_value(std::string_view text, std::size_t max_depth = 512) {
    aj::Value root;
    ValueBuilder b(root, max_depth);
    ordered::sax_parse(text.begin(), text.end(), &b, nlohmann::detail::input_format_t::json, true, false);
    return root;
}

inline void require_finite(double d) {
    if (!std::isfinite(d)) throw aj::Error("JSON cannot hold NaN or infinity", 0);
}

inline ordered number_of(double d) {
    require_finite(d);
    if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) return ordered(static_cast<std::int64_t>(d));
    return ordered(d);
}

inline ordered to_ordered(const aj::Value& v) {
    switch (v.type()) {
        case aj::Value::Type::null: return ordered(nullptr);
        case aj::Value::Type::boolean: return ordered(v.as_bool());
        case aj::Value::Type::number: return number_of(v.as_number());
        case aj::Value::Type::string: return ordered(v.as_string());
        case aj::Value::Type::array: {
            ordered a = ordered::array();
            a.get_ref<ordered::array_t&>().reserve(v.as_array().size());
            for (const aj::Value& e : v.as_array()) a.push_back(to_ordered(e));
            return a;
        }
        case aj::Value::Type::object: {
            ordered o = ordered::object();
            auto& m = o.get_ref<ordered::object_t&>();
            m.reserve(v.as_object().size());
            // Keys are unique in a Value (set() and parse() see to it): no lookup needed.
            for (const aj::Member& mem : v.as_object()) m.emplace_back(mem.key, to_ordered(mem.value));
            return o;
        }
    }
    return {};
}

// Behind the interface: dump. Strict UTF-8 checking on output is nlohmann's default (it throws
// type_error 316 on ill-formed UTF-8), which ours does not do; kept as nlohmann's default.
inline std::string dump_value(const aj::Value& v) {
    try {
        return to_ordered(v).dump();
    } catch (const nlohmann::json::type_error& e) {
        throw aj::Error(e.what(), 0);
    }
}

// DOM with the depth limit: nlohmann's own DOM builder, wrapped to count depth.
class DepthLimitedDom : public nlohmann::detail::json_sax_dom_parser<ordered> {
public:
    using base = nlohmann::detail::json_sax_dom_parser<ordered>;
    DepthLimitedDom(ordered& r, std::size_t max_depth) : base(r, true), max_depth_(max_depth) {}
    bool null() { return check() && base::null(); }
    bool boolean(bool b) { return check() && base::boolean(b); }
    bool number_integer(number_integer_t n) { return check() && base::number_integer(n); }
    bool number_unsigned(number_unsigned_t n) { return check() && base::number_unsigned(n); }
    bool number_float(number_float_t d, const string_t& s) { return check() && base::number_float(d, s); }
    bool string(string_t& s) { return check() && base::string(s); }
    bool start_object(std::size_t n) {
        if (!check()) return false;
        ++open_;
        return base::start_object(n);
    }
    bool end_object() {
        --open_;
        return base::end_object();
    }
    bool start_array(std::size_t n) {
        if (!check()) return false;
        ++open_;
        return base::start_array(n);
    }
    bool end_array() {
        --open_;
        return base::end_array();
    }
    template <class E>
    bool parse_error(std::size_t byte, const std::string&, const E& e) {
        rethrow(e, byte);
    }

private:
    bool check() const {
        if (open_ > max_depth_) throw aj::Error("nested deeper than " + std::to_string(max_depth_) + " levels", 0);
        return true;
    }
    std::size_t max_depth_;
    std::size_t open_ = 0;
};

inline ordered parse_dom(std::string_view text, std::size_t max_depth = 512) {
    ordered root;
    DepthLimitedDom sax(root, max_depth);
    ordered::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true, false);
    return root;
}

inline void require_finite_tree(const ordered& j) {
    if (j.is_number_float()) require_finite(j.get<double>());
    else if (j.is_structured())
        for (const ordered& e : j) require_finite_tree(e);
}

inline std::string dump_dom(const ordered& j) {
    require_finite_tree(j);
    return j.dump();
}

}  // namespace bench::nl
