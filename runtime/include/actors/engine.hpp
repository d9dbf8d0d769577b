#pragma once
// Engine: owns the actors, their mailboxes, the scheduler and the event stream.
//
// Shutdown (shutdown() or the destructor) is graceful: the top-level actors are poisoned one at a
// time, newest first, each only after the tree of the one before it has finished stopping. So
// messages already queued are handled first, children stop before their parents, what a newer
// actor sends an older one from stopped() is still handled, and anything that arrives after an
// actor stopped becomes a dead letter. When it
// returns, no thread of the engine is running and sent == processed + dead_lettered + dropped.

#include <concepts>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "actors/actor.hpp"
#include "actors/actor_ref.hpp"
#include "actors/context.hpp"
#include "actors/engine_config.hpp"
#include "actors/event_stream.hpp"
#include "actors/future.hpp"
#include "actors/message.hpp"
#include "actors/remote_router.hpp"
#include "actors/send_status.hpp"
#include "actors/snapshot.hpp"
#include "actors/detail/recipe.hpp"
#include "actors/spawn_options.hpp"
#include "actors/timer.hpp"

namespace actors {

class CooperativeScheduler;
namespace detail {
struct EngineAccess;
}

class Engine {
public:
    // Throws InvalidArgument for a bad config (see EngineConfig::validate).
    explicit Engine(EngineConfig config = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Spawning. A non-empty name is registered (lookup()); a name already taken by a live actor
    // throws InvalidArgument. An empty name gets "$<id>". Names may not contain '/'.
    // Spawning on a shut-down engine throws RuntimeError(engine_stopped). Both are ActorErrors
    // (error.hpp); an empty producer or function is an InvalidArgument too.
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

    // Fire-and-forget. Messages from one sender to one actor arrive in the order sent.
    template <class M>
    SendStatus send(Pid to, M&& msg, Pid sender = {}) {
        return send_message(to, detail::make_message<detail::message_t<M>>(sender, std::forward<M>(msg)));
    }

    // The same through a ref resolved once (see actor_ref.hpp): no registry lookup per send.
    template <class M>
    SendStatus send(const ActorRef& to, M&& msg, Pid sender = {}) {
        return send_message(to, detail::make_message<detail::message_t<M>>(sender, std::forward<M>(msg)));
    }
    // A ref to `pid` for sends that skip the registry; a Pid that is not a live actor of this
    // engine gives a ref whose sends take the Pid's path (a remote router, or a dead letter).
    [[nodiscard]] ActorRef resolve(Pid pid) const;

    // Ask and get a typed answer. Fails fast (not by timeout) when the target is unknown, stopped
    // or refuses the message; fails with handler_failed if its handler throws.
    template <Request M>
    Future<typename M::Response> request(Pid to, M msg, std::optional<Duration> timeout = std::nullopt) {
        using R = typename M::Response;
        auto state = std::make_shared<detail::FutureState<R>>(blocking_allowed());
        auto m = detail::make_message<M>(Pid{}, std::move(msg));
        detail::MessageAccess::set_reply(*m, std::make_unique<detail::FutureReplyTo<R>>(state));
        send_request(to, std::move(m), state, timeout);
        return Future<R>(std::move(state));
    }

    // Timers from outside any actor (no sender); they live until cancelled or the engine stops.
    template <class M>
    TimerHandle send_after(Duration delay, Pid to, M msg) {
        return schedule(delay, Duration::zero(), to, detail::timer_message_factory(Pid{}, std::move(msg)));
    }
    template <class M>
    TimerHandle send_repeat(Duration interval, Pid to, M msg) {
        detail::require_repeat_interval(interval);
        return schedule(interval, interval, to, detail::timer_message_factory(Pid{}, std::move(msg)));
    }

    // Stop now: queued messages become dead letters. No-op for unknown or stopped actors.
    // The future completes when the actor has stopped (see watch()).
    Future<Terminated> stop(Pid pid);
    // Stop after the messages already queued have been handled. During a restart delay the poison
    // cuts the delay short: the new instance handles what waits, then stops. If that instance
    // fails to start, the actor stops and what waits becomes dead letters (nobody can handle it).
    // The future completes when the actor has stopped (see watch()).
    Future<Terminated> poison(Pid pid);
    // Wait for an actor's end from outside any actor: completes with the Terminated a watching
    // actor would get, at once if it is already gone (existed=false if it never existed here).
    // Restarts are not terminations. get() on the thread pool; then() on either scheduler.
    Future<Terminated> watch(Pid pid);

    [[nodiscard]] std::optional<Pid> lookup(std::string_view name) const;
    [[nodiscard]] bool alive(Pid pid) const;

    [[nodiscard]] EventStream& events() noexcept;
    // Deliver every event to an actor as an Event message. Ends by itself when the actor stops,
    // or with unsubscribe(actor). Throws RuntimeError(no_such_actor) if the actor is not alive.
    SubscriptionId subscribe(Pid actor);
    // Ends every subscribe(actor) of this actor (any incarnation); returns whether there was one.
    // Like EventStream::unsubscribe it waits for a delivery under way on another thread, so no
    // new Event message is sent to the actor after it returns (those already sent stay queued).
    bool unsubscribe(Pid actor);

    [[nodiscard]] Snapshot snapshot() const;
    [[nodiscard]] EngineCounters counters() const;
    [[nodiscard]] std::optional<ActorInfo> info(Pid pid) const;

    // Graceful, idempotent; see the file comment.
    void shutdown();
    [[nodiscard]] bool running() const noexcept;

    // Block until no actor has queued work (thread pool), or run until idle (cooperative).
    // Returns false if `timeout` passed first. Timers still pending do not count as work.
    bool wait_idle(Duration timeout = std::chrono::seconds(30));

    // Cooperative engines only (std::logic_error otherwise); see CooperativeScheduler.
    std::size_t run_until_idle();
    std::size_t run_for(Duration wall_budget);
    std::size_t advance(Duration virtual_time);
    [[nodiscard]] CooperativeScheduler* cooperative() noexcept;

    // Remote actors (see remote_router.hpp). Sends, requests and watches of Pids whose node the
    // router routes go to it; nullptr detaches. One router per engine.
    void attach_router(std::shared_ptr<RemoteRouter> router);
    // For routers: hand in a message built elsewhere (decoded from the wire, with its sender and
    // any answer channel already set), as a send to `to`. Counted and policed like any send.
    SendStatus deliver(Pid to, std::unique_ptr<Message> msg);
    // The same through a ref resolved once (a router that delivers a stream to one actor).
    SendStatus deliver(const ActorRef& to, std::unique_ptr<Message> msg);
    // For routers: death watch on behalf of a watcher that is not an actor of this engine; the
    // Terminated is sent to `watcher`, so it reaches the router.
    void watch(Pid watcher, Pid target);
    void unwatch(Pid watcher, Pid target);

    [[nodiscard]] std::uint32_t node() const noexcept;
    [[nodiscard]] const EngineConfig& config() const noexcept;
    [[nodiscard]] Scheduler& scheduler() noexcept;
    [[nodiscard]] TimePoint now() const noexcept;

private:
    friend struct detail::EngineAccess;  // the runtime's internals (runtime/src/engine_access.hpp)
    [[nodiscard]] detail::EngineCore& core() noexcept { return *core_; }

    // Spawns from a recipe (moved from *recipe) placed inside the cell's allocation.
    Pid spawn_placed(std::string name, const detail::RecipeOps& ops, void* recipe, SpawnOptions options);
    SendStatus send_message(Pid to, std::unique_ptr<Message> msg);
    SendStatus send_message(const ActorRef& to, std::unique_ptr<Message> msg);
    void send_request(Pid to, std::unique_ptr<Message> msg, std::shared_ptr<detail::FutureStateBase> state,
                      std::optional<Duration> timeout);
    [[nodiscard]] bool blocking_allowed() const noexcept;
    TimerHandle schedule(Duration delay, Duration interval, Pid to, std::function<std::unique_ptr<Message>()> make);

    std::shared_ptr<detail::EngineCore> core_;
};

}  // namespace actors
