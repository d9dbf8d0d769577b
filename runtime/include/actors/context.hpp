#pragma once
// Context: what an actor can do while it handles a message (or runs a lifecycle hook). Valid only
// during that call; do not keep it.

#include <concepts>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/actor.hpp"
#include "actors/actor_ref.hpp"
#include "actors/clock.hpp"
#include "actors/event.hpp"
#include "actors/future.hpp"
#include "actors/message.hpp"
#include "actors/send_status.hpp"
#include "actors/detail/recipe.hpp"
#include "actors/spawn_options.hpp"
#include "actors/timer.hpp"

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
        return send_message(to, detail::make_message<detail::message_t<M>>(self(), std::forward<M>(msg)));
    }

    // The same through a ref resolved once (see actor_ref.hpp): no registry lookup per send.
    template <class M>
    SendStatus send(const ActorRef& to, M&& msg) {
        return send_message(to, detail::make_message<detail::message_t<M>>(self(), std::forward<M>(msg)));
    }
    [[nodiscard]] ActorRef resolve(Pid pid) const;

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
    // spawn<A>(name, args...) passes args to A's constructor; spawn<A>(name, options, args...)
    // takes SpawnOptions first (a braced {} or anything convertible to SpawnOptions is options).
    // The actor, its arguments (kept for restarts) and its instance are one allocation.
    template <std::derived_from<Actor> A, class... Args>
    Pid spawn(std::string name, SpawnOptions options = {}, Args&&... args) {
        using R = detail::ConstructRecipe<A, std::decay_t<Args>...>;
        if constexpr (detail::Placeable<R>) {
            R recipe{std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)};
            return spawn_placed(std::move(name), detail::RecipeOpsFor<R>::ops, &recipe, std::move(options));
        } else {
            return spawn(std::move(name), producer_of<A>(std::forward<Args>(args)...), options);
        }
    }
    template <std::derived_from<Actor> A, class First, class... Rest>
        requires(!std::convertible_to<First, SpawnOptions>)
    Pid spawn(std::string name, First&& first, Rest&&... rest) {
        return spawn<A>(std::move(name), SpawnOptions{}, std::forward<First>(first), std::forward<Rest>(rest)...);
    }
    Pid spawn(std::string name, Producer producer, SpawnOptions options = {});
    Pid spawn_fn(std::string name, ReceiveFn receive, SpawnOptions options = {});
    // The same for a callable of a known type (a lambda): one allocation, no std::function.
    template <class F>
        requires(std::is_class_v<std::remove_cvref_t<F>> && !std::same_as<std::remove_cvref_t<F>, ReceiveFn> &&
                 std::is_invocable_v<std::decay_t<F>&, Context&, Message&>)
    Pid spawn_fn(std::string name, F&& receive, SpawnOptions options = {}) {
        using R = detail::FnRecipe<std::decay_t<F>>;
        if constexpr (detail::Placeable<R>) {
            R recipe{std::forward<F>(receive)};
            return spawn_placed(std::move(name), detail::RecipeOpsFor<R>::ops, &recipe, std::move(options));
        } else {
            return spawn_fn(std::move(name), ReceiveFn(std::forward<F>(receive)), std::move(options));
        }
    }
    [[nodiscard]] std::vector<Pid> children() const;

    // Pass the message being handled on to `to`, unchanged: same sender, and a request's answer
    // still goes to the original requester. Counts as handled here. Throws std::logic_error
    // outside a message handler or if already forwarded.
    SendStatus forward(Pid to);

    // Death watch: a Terminated message arrives when `target` stops - at once if it already has
    // (or never existed). Restarts are not terminations. Watches end when this actor stops.
    void watch(Pid target);
    void unwatch(Pid target);

    // Timers owned by this actor: cancelled when it stops or restarts. The message is copied for
    // each delivery, with this actor as the sender. Negative delays and non-positive intervals
    // throw InvalidArgument.
    template <class M>
    TimerHandle send_after(Duration delay, Pid to, M msg) {
        return schedule(delay, Duration::zero(), to, detail::timer_message_factory(self(), std::move(msg)));
    }
    template <class M>
    TimerHandle send_repeat(Duration interval, Pid to, M msg) {
        detail::require_repeat_interval(interval);
        return schedule(interval, interval, to, detail::timer_message_factory(self(), std::move(msg)));
    }

    // Every `interval`, run `healthy` as part of this actor; a false (or a throw) raises the
    // check_failed health signal (ActorUnhealthy), a true after that clears it (ActorHealthy).
    void enable_health_check(Duration interval, std::function<bool(Context&)> healthy);
    void disable_health_check();

    // Stop this actor once the current call returns (queued messages become dead letters).
    void stop();
    // Stop another actor (usually a child).
    void stop(Pid pid);

    // Publish a CustomEvent with this actor as the source.
    void publish(std::string topic, std::string data);
    // The same, carrying a typed value for subscribers in this process (event.value<T>(), with T
    // the decayed type of `value`); topic and data remain what the JS API and the dashboard see.
    template <class T>
    void publish(std::string topic, std::string data, T&& value) {
        publish_event(CustomEvent::with_value(self(), std::move(topic), std::move(data), std::forward<T>(value)));
    }

private:
    friend class detail::Cell;
    Context(detail::Cell& cell, Engine& engine) noexcept : cell_(cell), engine_(engine) {}

    // Spawns from a recipe (moved from *recipe) placed inside the cell's allocation.
    Pid spawn_placed(std::string name, const detail::RecipeOps& ops, void* recipe, SpawnOptions options);
    SendStatus send_message(Pid to, std::unique_ptr<Message> msg);
    SendStatus send_message(const ActorRef& to, std::unique_ptr<Message> msg);
    void publish_event(CustomEvent event);
    void send_request(Pid to, std::unique_ptr<Message> msg, std::shared_ptr<detail::FutureStateBase> state,
                      std::optional<Duration> timeout);
    // A thread-safe function that runs a callable as part of this actor's next turn.
    std::function<void(std::function<void(Context&)>)> continuation_poster() const;
    TimerHandle schedule(Duration delay, Duration interval, Pid to, std::function<std::unique_ptr<Message>()> make);

    detail::Cell& cell_;
    Engine& engine_;
    Message* current_ = nullptr;
    std::unique_ptr<Message>* current_owner_ = nullptr;  // what forward() takes the message from
};

}  // namespace actors
