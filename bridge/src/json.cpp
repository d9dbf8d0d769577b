#include "actors/bridge/json.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

namespace actors::json {

const char* to_string(Value::Type t) noexcept {
    switch (t) {
        case Value::Type::null: return "null";
        case Value::Type::boolean: return "boolean";
        case Value::Type::number: return "number";
        case Value::Type::string: return "string";
        case Value::Type::array: return "array";
        case Value::Type::object: return "object";
    }
    return "unknown";
}

namespace {
[[noreturn]] void wrong_type(Value::Type want, Value::Type got) {
    throw Error(std::string("expected a JSON ") + to_string(want) + ", got " + to_string(got), 0);
}
}  // namespace

bool Value::as_bool() const {
    if (!is_bool()) wrong_type(Type::boolean, type());
    return std::get<bool>(v_);
}
double Value::as_number() const {
    if (!is_number()) wrong_type(Type::number, type());
    return std::get<double>(v_);
}
const std::string& Value::as_string() const {
    if (!is_string()) wrong_type(Type::string, type());
    return std::get<std::string>(v_);
}
const Array& Value::as_array() const {
    if (!is_array()) wrong_type(Type::array, type());
    return std::get<Array>(v_);
}
Array& Value::as_array() {
    if (!is_array()) wrong_type(Type::array, type());
    return std::get<Array>(v_);
}
const Object& Value::as_object() const {
    if (!is_object()) wrong_type(Type::object, type());
    return std::get<Object>(v_);
}
Object& Value::as_object() {
    if (!is_object()) wrong_type(Type::object, type());
    return std::get<Object>(v_);
}

const Value* Value::find(std::string_view key) const {
    if (!is_object()) return nullptr;
    for (const Member& m : std::get<Object>(v_))
        if (m.key == key) return &m.value;
    return nullptr;
}

Value& Value::set(std::string key, Value value) {
    if (is_null()) v_ = Object{};
    Object& o = as_object();
    for (Member& m : o)
        if (m.key == key) {
            m.value = std::move(value);
            return *this;
        }
    o.push_back(Member{std::move(key), std::move(value)});
    return *this;
}

bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

namespace {

class Parser {
public:
    Parser(std::string_view text, std::size_t max_depth) : s_(text), max_depth_(max_depth) {}

    Value document() {
        Value v = value(0);
        skip_ws();
        if (i_ != s_.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("invalid JSON at offset " + std::to_string(i_) + ": " + what, i_);
    }
    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        skip_ws();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) fail(std::string("expected '") + c + "'");
    }
    void literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) fail("unknown literal");
        i_ += word.size();
    }

    Value value(std::size_t depth) {
        if (depth > max_depth_) fail("nested deeper than " + std::to_string(max_depth_) + " levels");
        skip_ws();
        if (i_ >= s_.size()) fail("unexpected end of input");
        switch (s_[i_]) {
            case 'n': literal("null"); return Value{};
            case 't': literal("true"); return Value{true};
            case 'f': literal("false"); return Value{false};
            case '"': return Value{string()};
            case '[': return array(depth);
            case '{': return object(depth);
            default: return Value{number()};
        }
    }

    Value array(std::size_t depth) {
        ++i_;
        Array a;
        if (eat(']')) return Value{std::move(a)};
        do {
            a.push_back(value(depth + 1));
        } while (eat(','));
        expect(']');
        return Value{std::move(a)};
    }

    Value object(std::size_t depth) {
        ++i_;
        Object o;
        if (eat('}')) return Value{std::move(o)};
        // A repeated key keeps its first place and its last value, as JSON.parse does: a native
        // actor and the page must read the same text the same way. Large objects get an index.
        std::unordered_map<std::string, std::size_t> index;
        auto position = [&](const std::string& key) -> std::size_t {
            if (o.size() > 16 && index.empty())
                for (std::size_t k = 0; k < o.size(); ++k) index.emplace(o[k].key, k);
            if (!index.empty()) {
                auto it = index.find(key);
                return it == index.end() ? o.size() : it->second;
            }
            for (std::size_t k = 0; k < o.size(); ++k)
                if (o[k].key == key) return k;
            return o.size();
        };
        do {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"') fail("expected a string key");
            std::string key = string();
            expect(':');
            Value v = value(depth + 1);
            const std::size_t at = position(key);
            if (at < o.size()) {
                o[at].value = std::move(v);
                continue;
            }
            if (!index.empty()) index.emplace(key, o.size());
            o.push_back(Member{std::move(key), std::move(v)});
        } while (eat(','));
        expect('}');
        return Value{std::move(o)};
    }

    double number() {
        const std::size_t start = i_;
        const bool negative = i_ < s_.size() && s_[i_] == '-';
        if (negative) ++i_;
        if (i_ >= s_.size() || !digit(s_[i_])) fail("expected a value");
        // The digits as an integer while they fit, for the exact conversion below.
        std::uint64_t mantissa = 0;
        int digits = 0;       // significant digits taken into `mantissa`
        int scale = 0;        // the power of ten `mantissa` is to be multiplied by
        bool exact = true;    // every digit fitted
        auto take = [&](char c) {
            if (digits == 0 && c == '0') return;  // leading zeros are not significant
            if (digits < 19) {
                mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
                ++digits;
            } else {
                exact = false;
            }
        };
        if (s_[i_] == '0') ++i_;
        else while (i_ < s_.size() && digit(s_[i_])) take(s_[i_++]);
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (i_ >= s_.size() || !digit(s_[i_])) fail("expected a digit after '.'");
            while (i_ < s_.size() && digit(s_[i_])) {
                take(s_[i_++]);
                --scale;
            }
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            const bool minus = i_ < s_.size() && s_[i_] == '-';
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (i_ >= s_.size() || !digit(s_[i_])) fail("expected a digit in the exponent");
            int e = 0;
            while (i_ < s_.size() && digit(s_[i_])) {
                if (e < 100000) e = e * 10 + (s_[i_] - '0');
                ++i_;
            }
            scale += minus ? -e : e;
        }
        // A mantissa below 2^53 is exact in a double, as is 10^k up to 10^22, so one multiplication
        // or division rounds once: the correctly rounded value strtod would give (Clinger's fast
        // path). Most numbers in messages are small integers, and strtod's long-double arithmetic
        // is soft-float in wasm (a tenth of a send's cost there).
        static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                           1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        if (exact && mantissa <= (std::uint64_t{1} << 53) && scale >= -22 && scale <= 22) {
            double d = static_cast<double>(mantissa);
            d = scale >= 0 ? d * pow10[scale] : d / pow10[-scale];
            return negative ? -d : d;
        }
        // The grammar is checked above; strtod only converts (its own leniency never applies).
        const std::string text(s_.substr(start, i_ - start));
        const double d = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(d)) {
            i_ = start;
            fail("number out of range");
        }
        return d;
    }

    static bool digit(char c) { return c >= '0' && c <= '9'; }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else fail("bad hex digit in \\u escape");
        }
        return v;
    }

    static void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        ++i_;  // opening quote
        std::string out;
        for (;;) {
            // The run up to the next quote, escape or control character in one append.
            std::size_t run = i_;
            while (run < s_.size() && s_[run] != '"' && s_[run] != '\\' && static_cast<unsigned char>(s_[run]) >= 0x20) ++run;
            out.append(s_.data() + i_, run - i_);
            i_ = run;
            if (i_ >= s_.size()) fail("unterminated string");
            const char c = s_[i_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
            if (i_ >= s_.size()) fail("unterminated escape");
            const char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair encodes one code point
                        if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') fail("lone high surrogate");
                        i_ += 2;
                        const unsigned low = hex4();
                        if (low < 0xDC00 || low >= 0xE000) fail("bad low surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        fail("lone low surrogate");
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail("unknown escape");
            }
        }
    }

    std::string_view s_;
    std::size_t max_depth_;
    std::size_t i_ = 0;
};

void dump_string(std::string& out, const std::string& s) {
    out += '"';
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void dump_to(std::string& out, const Value& v) {
    switch (v.type()) {
        case Value::Type::null: out += "null"; return;
        case Value::Type::boolean: out += v.as_bool() ? "true" : "false"; return;
        case Value::Type::number: {
            const double d = v.as_number();
            if (!std::isfinite(d)) throw Error("JSON cannot hold NaN or infinity", 0);
            char buf[32];
            // Integers print as integers; others with enough digits to read back the same double.
            if (d == std::floor(d) && std::fabs(d) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", d);
            else std::snprintf(buf, sizeof buf, "%.17g", d);
            out += buf;
            return;
        }
        case Value::Type::string: dump_string(out, v.as_string()); return;
        case Value::Type::array: {
            out += '[';
            bool first = true;
            for (const Value& e : v.as_array()) {
                if (!first) out += ',';
                first = false;
                dump_to(out, e);
            }
            out += ']';
            return;
        }
        case Value::Type::object: {
            out += '{';
            bool first = true;
            for (const Member& m : v.as_object()) {
                if (!first) out += ',';
                first = false;
                dump_string(out, m.key);
                out += ':';
                dump_to(out, m.value);
            }
            out += '}';
            return;
        }
    }
}

}  // namespace

Value parse(std::string_view text, std::size_t max_depth) { return Parser(text, max_depth).document(); }

std::string dump(const Value& value) {
    std::string out;
    dump_to(out, value);
    return out;
}

}  // namespace actors::json
