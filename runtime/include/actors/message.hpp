#pragma once
// Message: what an actor's receive() gets. Any movable C++ type can be a message; the payload
// lives inside the envelope (one allocation per message, no separate payload allocation).
//
// Request/reply is typed at compile time: a message type that expects an answer names it,
//     struct GetCount { using Response = int; };
// and only an int can answer a GetCount (respond(), Responder<int>, or a visit() lambda that
// returns int). engine.request(pid, GetCount{}) yields a Future<int>.

#include <atomic>
#include <concepts>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "actors/detail/reply_to.hpp"
#include "actors/detail/type_tag.hpp"
#include "actors/pid.hpp"

namespace actors {

// A message type that expects an answer of type M::Response.
template <class M>
concept Request = requires { typename M::Response; } && std::copy_constructible<typename M::Response>;

// Answers one request, possibly later and from elsewhere: keep it in a member, or capture it in
// a callback (it is copyable; copies share one answer). The first reply or fail() wins and later
// ones do nothing. When the last copy goes away unanswered, the request fails with no_reply.
template <class R>
class Responder {
public:
    Responder() = default;
    explicit Responder(std::shared_ptr<detail::TypedReplyTo<R>> to) : to_(std::move(to)) {}

    [[nodiscard]] bool valid() const noexcept { return to_ != nullptr; }
    void reply(R value) const {
        if (to_) to_->complete(std::move(value));
    }
    void fail(Error error) const {
        if (to_) to_->fail(std::move(error));
    }

private:
    std::shared_ptr<detail::TypedReplyTo<R>> to_;
};

namespace detail {
struct MessageAccess;
// The link that threads messages through a mailbox without a separate allocation.
struct QueueNode {
    std::atomic<QueueNode*> next_{nullptr};
};
template <class F>
struct callable_arg;
template <class C, class R, class A>
struct callable_arg<R (C::*)(A) const> { using type = std::remove_cvref_t<A>; using result = R; };
template <class C, class R, class A>
struct callable_arg<R (C::*)(A)> { using type = std::remove_cvref_t<A>; using result = R; };
template <class F>
using visit_arg_t = typename callable_arg<decltype(&std::remove_cvref_t<F>::operator())>::type;
template <class F>
using visit_result_t = typename callable_arg<decltype(&std::remove_cvref_t<F>::operator())>::result;

// The type a value is sent as: a string literal or C string becomes a std::string (an array
// cannot be moved into an envelope, and a bare pointer would be a message nobody matches).
template <class M>
using message_t = std::conditional_t<std::is_same_v<std::decay_t<M>, const char*> || std::is_same_v<std::decay_t<M>, char*>,
                                     std::string, std::remove_cvref_t<M>>;
}  // namespace detail

class Message;

namespace detail {
// A visit() handler for "anything else": a generic lambda ([](auto& m) {...}, given the Message)
// or one taking the Message itself. It runs only when no typed handler matched, wherever it is.
template <class F>
concept FallbackHandler = !requires { &std::remove_cvref_t<F>::operator(); } ||
                          std::is_same_v<visit_arg_t<F>, Message>;
}  // namespace detail

class Message : public detail::QueueNode {
public:
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;
    virtual ~Message() = default;

    // Envelopes come from the runtime's message pool (one bump per allocation, no malloc on the
    // hot path); see runtime/src/message_pool.cpp. The virtual destructor passes the real size.
    static void* operator new(std::size_t size);
    static void operator delete(void* p, std::size_t size) noexcept;
    static void* operator new(std::size_t size, std::align_val_t align) { return ::operator new(size, align); }
    // Unsized: clang (the fuzz build) does not declare the global sized deletes by default.
    static void operator delete(void* p, std::size_t, std::align_val_t align) noexcept { ::operator delete(p, align); }

    template <class T>
    [[nodiscard]] bool is() const noexcept { return type_ == &detail::type_tag<std::remove_cvref_t<T>>; }

    // The payload if this message is a T, else nullptr.
    template <class T>
    [[nodiscard]] T* as() noexcept { return is<T>() ? static_cast<T*>(payload()) : nullptr; }
    template <class T>
    [[nodiscard]] const T* as() const noexcept { return is<T>() ? static_cast<const T*>(const_cast<Message*>(this)->payload()) : nullptr; }

    [[nodiscard]] const std::string& type_name() const { return type_->name(); }
    // Who sent it; an invalid Pid when sent from outside any actor.
    [[nodiscard]] Pid sender() const noexcept { return sender_; }
    [[nodiscard]] bool expects_reply() const noexcept { return reply_ != nullptr; }

    // Answer this request. Compile-time: the value must be M::Response. Run-time: this message
    // must be the M passed in (throws std::logic_error otherwise). A second answer does nothing.
    template <Request M>
    void respond(const M& request, std::type_identity_t<typename M::Response> value) {
        check_is<M>(request);
        if (auto to = std::move(reply_)) static_cast<detail::TypedReplyTo<typename M::Response>&>(*to).complete(std::move(value));
    }

    // Take the right to answer, to answer later (after asking another actor, on a timer, ...).
    template <Request M>
    [[nodiscard]] Responder<typename M::Response> take_responder(const M& request) {
        check_is<M>(request);
        using R = typename M::Response;
        return Responder<R>(std::shared_ptr<detail::TypedReplyTo<R>>(static_cast<detail::TypedReplyTo<R>*>(reply_.release())));
    }

    // A copy of this message for another recipient (broadcast): same type, payload and sender,
    // but no request attached. Throws std::logic_error if the payload type cannot be copied.
    [[nodiscard]] virtual std::unique_ptr<Message> clone() const = 0;

    // Fail the request this message carries (no-op for plain sends).
    void fail_request(Error error) {
        if (auto to = std::move(reply_)) to->fail(std::move(error));
    }

    // Calls the first handler whose parameter type is this message's type; returns whether one
    // matched. A handler for a Request type may return its Response (exactly that type): that
    // return is the reply. A fallback (a generic lambda, or one taking Message&) gets the message
    // when no typed handler matched:
    //     msg.visit([&](const Add& a) { sum += a.n; },
    //               [&](const GetSum&) { return sum; },
    //               [&](const auto& other) { log(other.type_name()); });
    template <class... Fs>
    bool visit(Fs&&... handlers) {
        if ((try_handler(handlers) || ...)) return true;
        return (try_fallback(handlers) || ...);
    }

protected:
    Message(const detail::TypeTag* type, Pid sender) noexcept : type_(type), sender_(sender) {}
    virtual void* payload() noexcept = 0;

private:
    friend struct detail::MessageAccess;

    template <class M>
    void check_is(const M& request) const {
        if (!is<M>() || static_cast<const void*>(&request) != const_cast<Message*>(this)->payload()) throw_not_this_message();
    }
    [[noreturn]] void throw_not_this_message() const;

    template <class F>
    bool try_fallback(F& f) {
        if constexpr (detail::FallbackHandler<F>) {
            static_assert(std::is_invocable_v<F&, Message&>, "a visit() fallback must accept the Message (const auto& or Message&)");
            static_assert(std::is_void_v<std::invoke_result_t<F&, Message&>>,
                          "a visit() fallback returns nothing: it cannot know which Response to give");
            f(*this);
            return true;
        } else {
            return false;
        }
    }

    template <class F>
    bool try_handler(F& f) {
        if constexpr (detail::FallbackHandler<F>) {
            return false;
        } else {
            return try_typed(f);
        }
    }

    template <class F>
    bool try_typed(F& f) {
        using A = detail::visit_arg_t<F>;
        using Ret = detail::visit_result_t<F>;
        if (!is<A>()) return false;
        A& arg = *static_cast<A*>(payload());
        if constexpr (std::is_void_v<Ret>) {
            f(arg);
        } else {
            static_assert(Request<A>, "a visit() handler returns a value only for a Request type (one that names its Response)");
            // Exactly the Response: a double silently narrowed into an int reply is a bug.
            static_assert(std::is_same_v<std::remove_cvref_t<Ret>, typename A::Response>,
                          "a visit() handler for a Request must return exactly that request's Response type");
            respond(arg, f(arg));
        }
        return true;
    }

    const detail::TypeTag* type_;
    Pid sender_;
    std::int64_t enqueued_at_ = 0;  // engine time (ns) it entered a mailbox; for mailbox-lag health
    std::unique_ptr<detail::ReplyTo> reply_;
};

namespace detail {

template <class T>
class PayloadMessage final : public Message {
public:
    template <class... Args>
    explicit PayloadMessage(Pid sender, Args&&... args)
        : Message(&type_tag<T>, sender), value_(std::forward<Args>(args)...) {}

    [[nodiscard]] std::unique_ptr<Message> clone() const override {
        if constexpr (std::is_copy_constructible_v<T>) {
            return std::make_unique<PayloadMessage<T>>(sender(), value_);
        } else {
            throw std::logic_error("a " + type_name() + " cannot be copied to several recipients: its type is not copyable");
        }
    }

protected:
    void* payload() noexcept override { return &value_; }

private:
    T value_;
};

// Runtime-internal access to the private parts of a message.
struct MessageAccess {
    static void set_reply(Message& m, std::unique_ptr<ReplyTo> r) { m.reply_ = std::move(r); }
    static std::unique_ptr<ReplyTo>& reply(Message& m) { return m.reply_; }
    static const TypeTag* type(const Message& m) { return m.type_; }
    static void stamp(Message& m, std::int64_t t) { m.enqueued_at_ = t; }
    static std::int64_t stamped(const Message& m) { return m.enqueued_at_; }
};

template <class T, class... Args>
std::unique_ptr<Message> make_message(Pid sender, Args&&... args) {
    return std::make_unique<PayloadMessage<T>>(sender, std::forward<Args>(args)...);
}

}  // namespace detail
}  // namespace actors
