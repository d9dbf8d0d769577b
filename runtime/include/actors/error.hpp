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
    unavailable,      // a service the call depends on does not answer (a cluster's store): retry later
};

[[nodiscard]] const char* to_string(ErrorCode code) noexcept;

struct Error {
    ErrorCode code;
    std::string detail;  // human-readable context: which actor, which message type, the exception text

    [[nodiscard]] std::string message() const;
};

// What the library throws. Every exception of the runtime is an ActorError, carrying an Error (a
// code and a detail) - catch (const ActorError&) for "the library said no" in one place - and is
// also exactly one standard exception, so catch (const std::exception&) still works:
//
//   ActorError (error(), what())
//   |- InvalidArgument : std::invalid_argument   the call was refused because of an argument:
//   |                                            a name taken, empty or with '/', an empty producer,
//   |                                            function or middleware, a bad EngineConfig /
//   |                                            RestartPolicy / HealthOptions / StatsOptions /
//   |                                            PoolOptions, a negative, zero or over-100-years
//   |                                            delay, interval or timeout, a bad thread count,
//   |                                            ManualClock going backwards. Always code
//   |                                            ErrorCode::invalid_argument.
//   |- RuntimeError : std::runtime_error          the call was refused because of the engine's state
//                                                (engine_stopped, no_such_actor, actor_stopped),
//                                                or Result::value() on a failed result (any code).
//
// So catch (const std::invalid_argument&) sees every refused argument too, and what it saw before.
// ActorError itself is not a std::exception (that would give InvalidArgument two std::exception
// bases, which no catch (const std::exception&) could match); misuse of a call's protocol (get() on
// the cooperative scheduler, a second Future::then, shutdown() from inside an actor) stays
// std::logic_error.
class ActorError {
public:
    virtual ~ActorError() = default;
    [[nodiscard]] const Error& error() const noexcept { return error_; }
    [[nodiscard]] virtual const char* what() const noexcept = 0;

protected:
    explicit ActorError(Error e) : error_(std::move(e)) {}
    ActorError(const ActorError&) = default;
    ActorError& operator=(const ActorError&) = default;

private:
    Error error_;
};

// An argument the library refused. `detail` says what to change.
class InvalidArgument final : public std::invalid_argument, public ActorError {
public:
    explicit InvalidArgument(std::string detail)
        : std::invalid_argument(detail), ActorError(Error{ErrorCode::invalid_argument, std::move(detail)}) {}
    [[nodiscard]] const char* what() const noexcept override { return std::invalid_argument::what(); }
};

// An operation the library refused for the state it is in, or a failed Result's value().
class RuntimeError final : public std::runtime_error, public ActorError {
public:
    explicit RuntimeError(Error e) : std::runtime_error(e.message()), ActorError(std::move(e)) {}
    [[nodiscard]] const char* what() const noexcept override { return std::runtime_error::what(); }
};

template <class T>
class Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
    [[nodiscard]] explicit operator bool() const noexcept { return ok(); }

    // Throws RuntimeError (an ActorError) carrying the error when there is no value.
    [[nodiscard]] T& value() & { check(); return std::get<0>(v_); }
    [[nodiscard]] const T& value() const& { check(); return std::get<0>(v_); }
    [[nodiscard]] T&& value() && { check(); return std::get<0>(std::move(v_)); }
    [[nodiscard]] const Error& error() const {
        if (ok()) throw std::logic_error("Result::error() called on a result that holds a value");
        return std::get<1>(v_);
    }

private:
    void check() const {
        if (!ok()) throw RuntimeError(std::get<1>(v_));
    }
    std::variant<T, Error> v_;
};

}  // namespace actors
