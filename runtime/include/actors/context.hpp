#pragma once
// Context: what an actor can do while it handles a message (or runs a lifecycle hook). Valid only
// during that call; do not keep it.

#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/actor.hpp"
#include "actors/clock.hpp"
#include "actors/future.hpp"
#include "actors/message.hpp"
#include "actors/send_status.hpp"
#include "actors/spawn_options.hpp"

namespace actors {

class Engine;
namespace detail {
class Cell;
class EngineCore;
}  // namespace detail

class Context {
public:
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    [[nodiscard]] Pid self() const noexcept;
    [[nodiscard]] Pid parent() const noexcept;
    // Full registered path, e.g. "pool/worker-3".
    [[nodiscard]] const std::string& name() const noexcept;
    [[nodiscard]] Engine& engine() const noexcept;
    [[nodiscard]] TimePoint now() const noexcept;

    // The message being handled. Throws std::logic_error inside started()/stopped().
    [[nodiscard]] Message& message() const;
    [[nodiscard]] Pid sender() const noexcept { return current_ ? current_->sender() : Pid{}; }

    // Fire-and-forget, with this actor as the sender.
    template <class M>
    SendStatus send(Pid to, M&& msg) {
        return send_message(to, detail::make_message<std::remove_cvref_t<M>>(self(), std::forward<M>(msg)));
    }

    // Ask another actor. `on_result` runs later as part of this actor (never concurrently with its
    // receive()), with the reply or the Error; it may take (Result<R>) or (Context&, Result<R>).
    // If this actor has stopped by then, it is not called. Timeout: the engine default if absent.
    template <Request M, class F>
    void request(Pid to, M msg, F&& on_result) {
        request(to, std::move(msg), std::nullopt, std::forward<F>(on_result));
    }
    template <Request M, class F>
    void request(Pid to, M msg, std::optional<Duration> timeout, F&& on_result) {
        using R = typename M::Response;
        static_assert(std::is_invocable_v<F, Result<R>> || std::is_invocable_v<F, Context&, Result<R>>,
                      "on_result must accept Result<M::Response> (optionally after Context&)");
        auto state = std::make_shared<detail::FutureState<R>>(false);
        auto msg_ptr = detail::make_message<M>(self(), std::move(msg));
        detail::MessageAccess::set_reply(*msg_ptr, std::make_unique<detail::FutureReplyTo<R>>(state));
        auto post = continuation_poster();
        state->then([post = std::move(post), cb = std::forward<F>(on_result)](Result<R> r) mutable {
            post([cb = std::move(cb), r = std::move(r)](Context& ctx) mutable {
                if constexpr (std::is_invocable_v<F, Context&, Result<R>>) cb(ctx, std::move(r));
                else cb(std::move(r));
            });
        });
        send_request(to, std::move(msg_ptr), state, timeout);
    }

    // Answer the request being handled (see Message::respond).
    template <Request M>
    void respond(const M& request, std::type_identity_t<typename M::Response> value) {
        message().respond(request, std::move(value));
    }

    // Children: stopped before this actor stops. Names are registered under this actor's path.
    template <std::derived_from<Actor> A, class... Args>
    Pid spawn(std::string name, SpawnOptions options = {}, Args&&... args) {
        return spawn(std::move(name), Producer([... a = std::forward<Args>(args)]() -> std::unique_ptr<Actor> {
                         return std::make_unique<A>(a...);
                     }),
                     options);
    }
    Pid spawn(std::string name, Producer producer, SpawnOptions options = {});
    Pid spawn_fn(std::string name, ReceiveFn receive, SpawnOptions options = {});
    [[nodiscard]] std::vector<Pid> children() const;

    // Stop this actor once the current call returns (queued messages become dead letters).
    void stop();
    // Stop another actor (usually a child).
    void stop(Pid pid);

    // Publish a CustomEvent with this actor as the source.
    void publish(std::string topic, std::string data);

private:
    friend class detail::Cell;
    Context(detail::Cell& cell, Engine& engine) noexcept : cell_(cell), engine_(engine) {}

    SendStatus send_message(Pid to, std::unique_ptr<Message> msg);
    void send_request(Pid to, std::unique_ptr<Message> msg, std::shared_ptr<detail::FutureStateBase> state,
                      std::optional<Duration> timeout);
    // A thread-safe function that runs a callable as part of this actor's next turn.
    std::function<void(std::function<void(Context&)>)> continuation_poster() const;

    detail::Cell& cell_;
    Engine& engine_;
    Message* current_ = nullptr;
};

}  // namespace actors
