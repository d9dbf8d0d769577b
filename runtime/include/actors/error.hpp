#pragma once
// Errors the engine reports to callers, and Result<T>: a value or an Error (C++20 has no
// std::expected). Used by requests, so a requester always learns why it got no answer.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace actors {

enum class ErrorCode {
    timeout,          // no reply within the request's timeout
    no_such_actor,    // the target never existed in this engine (or belongs to another engine)
    actor_stopped,    // the target existed but has stopped, or stopped before handling the message
    mailbox_full,     // the target's mailbox was full and its overflow policy refused the message
    handler_failed,   // the target's handler threw while handling the request
    no_reply,         // the handler finished and dropped the request without replying
    engine_stopped,   // the engine is shut down
    invalid_argument, // the call itself was malformed (or its type is not registered for remote sends)
    node_down,        // the target's node is unreachable, or restarted, while the request was in flight
};

[[nodiscard]] const char* to_string(ErrorCode code) noexcept;

struct Error {
    ErrorCode code;
    std::string detail;  // human-readable context: which actor, which message type, the exception text

    [[nodiscard]] std::string message() const;
};

// Thrown by calls whose failure is a programming error or a refused operation (duplicate name,
// spawning on a stopped engine, bad configuration). Carries the same codes as Error.
class ActorError : public std::runtime_error {
public:
    explicit ActorError(Error e) : std::runtime_error(e.message()), error_(std::move(e)) {}
    [[nodiscard]] const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

template <class T>
class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    [[nodiscard]] explicit operator bool() const noexcept { return ok(); }

    // Throws ActorError carrying the error when there is no value.
    [[nodiscard]] T& value() & { check(); return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { check(); return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { check(); return std::get<0>(std::move(v_)); }
    [[nodiscard]] const Error& error() const {
        if (ok()) throw std::logic_error("Result::error() called on a result that holds a value");
        return std::get<1>(v_);
    }

private:
    void check() const {
        if (!ok()) throw ActorError(std::get<1>(v_));
    }
    std::variant<T, Error> v_;
};

}  // namespace actors
