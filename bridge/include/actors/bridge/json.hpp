#pragma once
// JSON values: what messages between JavaScript and the actor runtime are made of. Portable C++
// (no emscripten), so native actors that serve JS pages and the native tests and fuzzers use the
// same type. Objects keep their keys in insertion order, like JavaScript objects.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actors::json {

class Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>;

// Malformed text, or a value JSON cannot hold (NaN, infinities). `offset` is the byte offset
// into the text where parsing stopped (0 for dump errors).
class Error : public std::runtime_error {
public:
    Error(const std::string& what, std::size_t offset) : std::runtime_error(what), offset_(offset) {}
    [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

private:
    std::size_t offset_;
};

class Value {
public:
    enum class Type { null, boolean, number, string, array, object };

    // Implicit on purpose. Defined below Member: building the variant needs Member complete
    // (libstdc++ with clang refuses std::vector of an incomplete type there).
    Value();
    Value(std::nullptr_t);   // NOLINT
    Value(bool b);           // NOLINT
    Value(double n);         // NOLINT
    Value(int n);            // NOLINT
    Value(long long n);      // NOLINT
    Value(std::string s);    // NOLINT
    Value(const char* s);    // NOLINT
    Value(Array a);          // NOLINT
    Value(Object o);         // NOLINT

    [[nodiscard]] Type type() const noexcept { return static_cast<Type>(v_.index()); }
    [[nodiscard]] bool is_null() const noexcept { return type() == Type::null; }
    [[nodiscard]] bool is_bool() const noexcept { return type() == Type::boolean; }
    [[nodiscard]] bool is_number() const noexcept { return type() == Type::number; }
    [[nodiscard]] bool is_string() const noexcept { return type() == Type::string; }
    [[nodiscard]] bool is_array() const noexcept { return type() == Type::array; }
    [[nodiscard]] bool is_object() const noexcept { return type() == Type::object; }

    // Throw json::Error naming the expected and the actual type when the type differs.
    [[nodiscard]] bool as_bool() const;
    [[nodiscard]] double as_number() const;
    [[nodiscard]] const std::string& as_string() const;
    [[nodiscard]] const Array& as_array() const;
    [[nodiscard]] Array& as_array();
    [[nodiscard]] const Object& as_object() const;
    [[nodiscard]] Object& as_object();

    // Object member lookup; nullptr if this is not an object or has no such key.
    [[nodiscard]] const Value* find(std::string_view key) const;
    // Set (or replace) a member; turns a null into an object first.
    Value& set(std::string key, Value value);

    friend bool operator==(const Value& a, const Value& b);

private:
    std::variant<std::nullptr_t, bool, double, std::string, Array, Object> v_;
};

struct Member {
    std::string key;
    Value value;
    friend bool operator==(const Member& a, const Member& b) { return a.key == b.key && a.value == b.value; }
};

inline Value::Value() = default;
inline Value::Value(std::nullptr_t) {}
inline Value::Value(bool b) : v_(b) {}
inline Value::Value(double n) : v_(n) {}
inline Value::Value(int n) : v_(static_cast<double>(n)) {}
inline Value::Value(long long n) : v_(static_cast<double>(n)) {}
inline Value::Value(std::string s) : v_(std::move(s)) {}
inline Value::Value(const char* s) : v_(std::string(s)) {}
inline Value::Value(Array a) : v_(std::move(a)) {}
inline Value::Value(Object o) : v_(std::move(o)) {}

[[nodiscard]] const char* to_string(Value::Type t) noexcept;

// Strict RFC 8259 JSON (no comments, no trailing commas), nesting at most `max_depth` deep.
[[nodiscard]] Value parse(std::string_view text, std::size_t max_depth = 512);
// Compact JSON text. Throws json::Error for non-finite numbers.
[[nodiscard]] std::string dump(const Value& value);

}  // namespace actors::json
