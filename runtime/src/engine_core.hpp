#pragma once
// EngineCore: the shared state behind Engine. Cells, continuations and timers refer to it; it
// lives as long as the Engine (continuations hold it weakly, so a late reply after the engine is
// gone is dropped instead of touching freed memory).

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actors/engine.hpp"
#include "actors/remote_router.hpp"
#include "cell.hpp"
#include "health_monitor.hpp"
#include "ref.hpp"
#include "registry.hpp"
#include "root_list.hpp"
#include "stats_sampler.hpp"
#include "supervisor.hpp"
#include "system_messages.hpp"

namespace actors::detail {

class EngineCore : public std::enable_shared_from_this<EngineCore> {
public:
    EngineCore(Engine& owner, EngineConfig config);
    ~EngineCore();

    [[nodiscard]] Engine& engine() noexcept { return owner_; }
    [[nodiscard]] const EngineConfig& config() const noexcept { return config_; }
    [[nodiscard]] Scheduler& scheduler() noexcept { return *scheduler_; }
    [[nodiscard]] CooperativeScheduler* cooperative() noexcept { return cooperative_; }
    [[nodiscard]] EventStream& events() noexcept { return *events_; }
    [[nodiscard]] std::uint32_t node() const noexcept { return node_; }
    [[nodiscard]] bool running() const noexcept { return running_.load(std::memory_order_acquire); }

    Pid spawn(Cell* parent, std::string name, Producer producer, SpawnOptions options);
    // The same for a receive function: the function actor lives inside the cell's allocation.
    Pid spawn_fn(Cell* parent, std::string name, ReceiveFn receive, SpawnOptions options);
    // The same for a recipe of a known type (see actors/detail/recipe.hpp), moved from *recipe.
    Pid spawn_placed(Cell* parent, std::string name, const RecipeOps& ops, void* recipe, SpawnOptions options);

    SendStatus send(Pid to, std::unique_ptr<Message> m);
    void send_request(Pid to, std::unique_ptr<Message> m, std::shared_ptr<FutureStateBase> state,
                      std::optional<Duration> timeout);
    // Engine-made user message (a notification); counted like any other send.
    template <class T>
    void send_notification(Pid to, T value) {
        send(to, make_message<T>(Pid{}, std::move(value)));
    }
    // System message to a live actor; silently dropped if it is gone.
    void send_system(Pid to, std::unique_ptr<Message> m);

    // Timers (timer.cpp). Each firing sends the message `make()` builds.
    using MessageFactory = std::function<std::unique_ptr<Message>()>;
    // After `delay`, once, to `to`'s system queue; not cancellable.
    void timer_once_system(Duration delay, Pid to, MessageFactory make);
    // Every `interval` to `to`'s system queue, until cancelled.
    std::shared_ptr<TimerState> timer_every_system(Duration interval, Pid to, MessageFactory make);
    // User-message timers (send_after / send_repeat); interval zero = once.
    std::shared_ptr<TimerState> timer_user(Duration delay, Duration interval, Pid to, MessageFactory make);

    void watch(Pid watcher, Pid target);
    // Completes with the Terminated a watcher would get (at once if `target` is already gone).
    void watch(Pid target, std::shared_ptr<FutureState<Terminated>> future);
    void stop(Pid pid, StopReason reason, std::string detail);
    void poison(Pid pid, StopReason reason = StopReason::requested, std::string detail = "poisoned");
    // Runs `fn` as part of the actor's next turn; dropped if the actor is gone.
    void post_continuation(Pid pid, std::function<void(Context&)> fn);

    [[nodiscard]] Ref<Cell> find(Pid pid) const;

    // The remote router (engine_router.cpp): the router for `node` if one is attached and
    // routes it, else null. Cheap when none is attached.
    void attach_router(std::shared_ptr<RemoteRouter> router);
    [[nodiscard]] std::shared_ptr<RemoteRouter> router_for(std::uint32_t node) const;
    [[nodiscard]] std::vector<LinkStats> link_stats() const;
    // The current incarnation's Pid (the registry keeps the one from spawn).
    [[nodiscard]] std::optional<Pid> lookup(std::string_view name) const {
        auto pid = registry_.lookup(name);
        if (!pid) return std::nullopt;
        if (Ref<Cell> cell = find(*pid)) return cell->pid();
        return pid;
    }

    // Events the cells publish.
    void dead_letter_event(Pid target, const Message& m, DeadLetterReason reason);
    void overflow_event(Pid target, std::size_t capacity, OverflowPolicy policy, const Message& m);
    void log_hook_failure(Pid pid, const char* hook, const std::string& what);

    // A cell failed (or hit its restart limit): tell its supervisor, or act as the root guardian.
    void report_failure(Cell& cell, Failure failure);
    void count_failure() noexcept { failures_.fetch_add(1, std::memory_order_relaxed); }
    void count_restart() noexcept { restarts_.fetch_add(1, std::memory_order_relaxed); }
    [[nodiscard]] TimePoint now() const noexcept { return config_.clock->now(); }
    // Engine time for message stamps: exact on a manual (virtual) clock, where reading it is one
    // load and tests want exact lags; otherwise the monitor's coarse clock (a relaxed load
    // instead of a clock read per message), which the health tick refreshes.
    [[nodiscard]] std::int64_t stamp_now() const noexcept {
        // Never 0, which means "no message" to the health monitor.
        return std::max<std::int64_t>(1, manual_clock_ ? now().count() : coarse_now_.load(std::memory_order_relaxed));
    }
    [[nodiscard]] double random_unit();

    // A cell finished stopping: unregister it and tell its parent (or the root).
    void retire(Cell& cell, StopReason reason, const std::string& detail);
    void cell_destroyed(Cell* cell) noexcept { registry_.destroyed(*cell); }
    [[nodiscard]] const SupervisorStrategy& default_supervisor() const noexcept { return *default_supervisor_; }

    [[nodiscard]] Snapshot snapshot() const;
    [[nodiscard]] EngineCounters counters() const;
    [[nodiscard]] std::optional<ActorInfo> info(Pid pid) const;

    void shutdown();
    bool wait_idle(Duration timeout);

    // Engine::subscribe(pid) records which stream subscriptions feed which actor, so that
    // Engine::unsubscribe(pid) can end them.
    void actor_subscribed(Pid actor, SubscriptionId id) {
        std::lock_guard lock(actor_subscriptions_mutex_);
        actor_subscriptions_.emplace_back(actor, id);
    }
    void actor_subscription_ended(SubscriptionId id) {
        std::lock_guard lock(actor_subscriptions_mutex_);
        std::erase_if(actor_subscriptions_, [&](const auto& s) { return s.second == id; });
    }
    [[nodiscard]] std::vector<SubscriptionId> take_actor_subscriptions(Pid actor) {
        std::lock_guard lock(actor_subscriptions_mutex_);
        std::vector<SubscriptionId> ids;
        std::erase_if(actor_subscriptions_, [&](const auto& s) {
            if (!s.first.same_actor(actor)) return false;
            ids.push_back(s.second);
            return true;
        });
        return ids;
    }

private:
    // What every spawn checks and prepares, whatever makes the behaviour.
    CellSpec prepare_spawn(Cell* parent, std::string name, SpawnOptions& options);
    Pid register_spawned(Cell* parent, Ref<Cell> cell);
    SendStatus undeliverable(Pid to, std::unique_ptr<Message> m);
    void health_tick();
    void stats_tick();

    // Timer arming (timer.cpp). timer_new() is the one place a timer learns how to cancel itself.
    using Tick = void (EngineCore::*)();
    std::shared_ptr<TimerState> timer_new();
    std::shared_ptr<TimerState> timer_every_tick(Duration interval, Tick tick);
    void timer_arm_message(const std::shared_ptr<TimerState>& timer, Duration delay, Duration interval, Pid to,
                           std::shared_ptr<MessageFactory> make, bool system);
    void timer_arm_tick(const std::shared_ptr<TimerState>& timer, Duration interval, Tick tick);

public:
    // Called once the core is owned by a shared_ptr (the monitor's timer holds it weakly).
    void start_monitor();

private:
    [[nodiscard]] bool quiescent() const;

    Engine& owner_;
    EngineConfig config_;
    const std::uint32_t node_;
    std::unique_ptr<EventStream> events_;
    std::unique_ptr<Scheduler> scheduler_;
    CooperativeScheduler* cooperative_ = nullptr;
    bool manual_clock_ = false;
    Registry registry_;
    // Shared by every actor spawned without its own strategy.
    std::shared_ptr<const SupervisorStrategy> default_supervisor_;

    std::atomic<std::uint64_t> next_id_{1};
    std::atomic<bool> has_router_{false};
    mutable std::mutex router_mutex_;
    std::shared_ptr<RemoteRouter> router_;
    std::atomic<bool> running_{true};
    std::mutex shutdown_mutex_;  // one shutdown at a time

    // Top-level actors in spawn order; shutdown waits for this to empty.
    mutable std::mutex roots_mutex_;
    std::condition_variable roots_cv_;
    RootList roots_;

    std::atomic<std::uint64_t> unroutable_{0};
    std::atomic<std::uint64_t> spawned_{0};
    std::atomic<std::uint64_t> stopped_{0};
    std::atomic<std::uint64_t> failures_{0};
    std::atomic<std::uint64_t> restarts_{0};

    std::atomic<std::int64_t> coarse_now_{0};
    std::shared_ptr<TimerState> health_timer_;
    std::shared_ptr<TimerState> stats_timer_;
    HealthMonitor health_monitor_;
    StatsSampler stats_sampler_;  // stats timer only
    std::mutex root_mutex_;  // the root guardian decides on the failing actor's thread
    RestartTracker root_restarts_;
    // Set (under root_mutex_) once the root guardian first decides; the same actor's own
    // failure comes before its retirement on its own thread, so its history is never missed.
    std::atomic<bool> root_restarts_used_{false};
    std::mutex rng_mutex_;
    std::mt19937_64 rng_;
    std::mutex actor_subscriptions_mutex_;
    std::vector<std::pair<Pid, SubscriptionId>> actor_subscriptions_;
};

}  // namespace actors::detail
