#include "engine_core.hpp"

#include <algorithm>
#include <thread>

#include "actors/cooperative_scheduler.hpp"
#include "actors/log.hpp"
#include "actors/thread_pool_scheduler.hpp"
#include "actors/error.hpp"
#include "cell_kinds.hpp"

namespace actors::detail {

namespace {

ErrorCode error_for(DeadLetterReason r) {
    switch (r) {
        case DeadLetterReason::no_such_actor: return ErrorCode::no_such_actor;
        case DeadLetterReason::actor_stopped: return ErrorCode::actor_stopped;
        case DeadLetterReason::mailbox_full: return ErrorCode::mailbox_full;
        case DeadLetterReason::engine_stopped: return ErrorCode::engine_stopped;
        case DeadLetterReason::handler_failed: return ErrorCode::handler_failed;
        case DeadLetterReason::remote_restarted:
        case DeadLetterReason::remote_unreachable:
        case DeadLetterReason::remote_maybe_delivered: return ErrorCode::node_down;
        case DeadLetterReason::unknown_type: return ErrorCode::invalid_argument;
    }
    return ErrorCode::no_such_actor;
}

std::unique_ptr<Scheduler> make_scheduler(const EngineConfig& config) {
    if (config.scheduler == SchedulerKind::cooperative)
        return std::make_unique<CooperativeScheduler>(config.clock, config.throughput);
    unsigned workers = config.worker_threads ? config.worker_threads : std::max(1u, std::thread::hardware_concurrency());
    return std::make_unique<ThreadPoolScheduler>(workers, config.clock, config.throughput);
}

EngineConfig completed(EngineConfig config) {
    config.validate();
    if (!config.clock) config.clock = std::make_shared<SteadyClock>();
    return config;
}

}  // namespace

EngineCore::EngineCore(Engine& owner, EngineConfig config)
    : owner_(owner),
      config_(completed(std::move(config))),
      node_(allocate_node_id()),
      events_(std::make_unique<EventStream>(config_.event_ring_capacity, config_.clock)),
      scheduler_(make_scheduler(config_)),
      default_supervisor_(std::make_shared<const SupervisorStrategy>(config_.default_supervisor)),
      health_monitor_(config_.health, config_.scheduler != SchedulerKind::cooperative),
      stats_sampler_(config_.stats),
      rng_(config_.random_seed) {
    if (scheduler_->kind() == SchedulerKind::cooperative) cooperative_ = static_cast<CooperativeScheduler*>(scheduler_.get());
    manual_clock_ = config_.clock->is_manual();
    coarse_now_.store(std::max<std::int64_t>(1, now().count()), std::memory_order_relaxed);
}

EngineCore::~EngineCore() = default;

void EngineCore::start_monitor() {
    if (config_.health.enabled) health_timer_ = timer_every_tick(config_.health.interval, &EngineCore::health_tick);
    if (config_.stats.enabled) stats_timer_ = timer_every_tick(config_.stats.interval, &EngineCore::stats_tick);
}

void EngineCore::health_tick() {
    const TimePoint t = now();
    coarse_now_.store(std::max<std::int64_t>(1, t.count()), std::memory_order_relaxed);
    health_monitor_.tick(t, registry_.all(/*in_id_order=*/false), *events_);
}

void EngineCore::stats_tick() {
    StatsSampled sample = stats_sampler_.sample(registry_.all());
    sample.counters = counters();
    sample.links = link_stats();
    events_->publish(std::move(sample));
}

double EngineCore::random_unit() {
    std::lock_guard lock(rng_mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

CellSpec EngineCore::prepare_spawn(Cell* parent, std::string name, SpawnOptions& options) {
    if (name.find('/') != std::string::npos)
        throw InvalidArgument("actor name '" + name + "' contains '/': '/' separates a child's name from its parent's");
    if (parent && parent->state() != ActorState::running)
        throw RuntimeError(Error{ErrorCode::actor_stopped, "cannot spawn '" + name + "': its parent " + parent->name_text() + " is stopping"});
    MailboxOptions mailbox = options.mailbox;
    if (mailbox.capacity == 0) mailbox.capacity = config_.default_mailbox_capacity;
    mailbox.capacity = std::min(mailbox.capacity, unbounded);
    for (const Middleware& m : options.middleware)
        if (!m) throw InvalidArgument("spawn of '" + name + "' was given an empty middleware function");
    std::shared_ptr<const SupervisorStrategy> strategy;
    if (options.supervisor) {
        options.supervisor->restart.validate();
        strategy = std::make_shared<const SupervisorStrategy>(*options.supervisor);
    }

    const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
    // An unnamed top-level actor keeps no name: "$<id>" is made when asked for.
    std::string full = std::move(name);
    if (parent) full = parent->name() + "/" + (full.empty() ? "$" + std::to_string(id) : full);
    return CellSpec{Pid{node_, id, 0}, parent ? parent->pid() : Pid{}, std::move(full), mailbox, std::move(strategy),
                    std::move(options.middleware), config_.health.enabled};
}

Pid EngineCore::register_spawned(Cell* parent, Ref<Cell> cell) {
    const Pid pid = cell->pid();
    if (!parent) {
        // Checked under the roots lock so shutdown, which takes it too, never misses a new root.
        std::lock_guard lock(roots_mutex_);
        if (!running())
            throw RuntimeError(Error{ErrorCode::engine_stopped, "cannot spawn '" + cell->name_text() + "': the engine is shut down"});
        registry_.add(*cell);
        roots_.push_back(*cell);
    } else {
        registry_.add(*cell);
        parent->add_child(pid);
    }
    spawned_.fetch_add(1, std::memory_order_relaxed);
    events_->publish(ActorSpawned{pid, cell->parent(), cell->name_text(), cell->capacity()});
    cell->enqueue_system(make_message<StartCmd>(Pid{}));
    return pid;
}

Pid EngineCore::spawn(Cell* parent, std::string name, Producer producer, SpawnOptions options) {
    if (!producer) throw InvalidArgument("spawn of '" + name + "' was given no producer (an empty function)");
    CellSpec spec = prepare_spawn(parent, std::move(name), options);
    return register_spawned(parent, Ref<Cell>::adopt(new ProducerCell(*this, std::move(spec), std::move(producer))));
}

Pid EngineCore::spawn_fn(Cell* parent, std::string name, ReceiveFn receive, SpawnOptions options) {
    if (!receive) throw InvalidArgument("spawn_fn of '" + name + "' was given an empty function");
    CellSpec spec = prepare_spawn(parent, std::move(name), options);
    return register_spawned(parent, Ref<Cell>::adopt(new FunctionCell(*this, std::move(spec), std::move(receive))));
}

Pid EngineCore::spawn_placed(Cell* parent, std::string name, const RecipeOps& ops, void* recipe, SpawnOptions options) {
    CellSpec spec = prepare_spawn(parent, std::move(name), options);
    return register_spawned(parent, Ref<Cell>::adopt(PlacedCell::make(*this, std::move(spec), ops, recipe)));
}

Ref<Cell> EngineCore::find(Pid pid) const {
    if (pid.node != node_ || !pid.valid()) return {};
    return registry_.find(pid.id);
}

SendStatus EngineCore::send(Pid to, std::unique_ptr<Message> m) {
    if (Ref<Cell> cell = find(to)) return cell->enqueue_user(std::move(m));
    if (to.node != node_)
        if (auto router = router_for(to.node)) return router->send(to, std::move(m));
    return undeliverable(to, std::move(m));
}

SendStatus EngineCore::undeliverable(Pid to, std::unique_ptr<Message> m) {
    DeadLetterReason reason = DeadLetterReason::no_such_actor;
    if (!running()) reason = DeadLetterReason::engine_stopped;
    else if (to.node == node_ && to.valid() && to.id < next_id_.load(std::memory_order_relaxed)) reason = DeadLetterReason::actor_stopped;
    unroutable_.fetch_add(1, std::memory_order_relaxed);
    dead_letter_event(to, *m, reason);
    std::string what = to.to_string() + (reason == DeadLetterReason::no_such_actor   ? " is not an actor of this engine"
                                         : reason == DeadLetterReason::actor_stopped ? " has stopped"
                                                                                     : ": the engine is shut down");
    m->fail_request(Error{error_for(reason), m->type_name() + " to " + what});
    return SendStatus::dead_letter;
}

void EngineCore::send_request(Pid to, std::unique_ptr<Message> m, std::shared_ptr<FutureStateBase> state,
                              std::optional<Duration> timeout) {
    const Duration t = timeout.value_or(config_.default_request_timeout);
    if (t <= Duration::zero())
        throw InvalidArgument("request timeout must be positive, got " + std::to_string(t.count()) + " ns");
    if (t > max_delay) throw InvalidArgument("request timeout must be at most 100 years (actors::max_delay)");
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t).count();
    // The text is built only if the request times out: most never do, and formatting it up front
    // was a measurable part of a request's cost (the type's name lives as long as its tag).
    TimerId timer = scheduler_->call_after(
        t, [weak = std::weak_ptr<FutureStateBase>(state), type = &m->type_name(), to, ms] {
            if (auto s = weak.lock())
                s->fail(Error{ErrorCode::timeout, "no reply to " + *type + " to " + to.to_string() + " within " + std::to_string(ms) + " ms"});
        });
    state->on_done([weak = weak_from_this(), timer] {
        if (auto core = weak.lock()) core->scheduler().cancel(timer);
    });
    send(to, std::move(m));
}

void EngineCore::send_system(Pid to, std::unique_ptr<Message> m) {
    if (Ref<Cell> cell = find(to)) cell->enqueue_system(std::move(m));
    else if (auto* u = m->as<UnwatchCmd>(); u && to.node != node_)
        if (auto router = router_for(to.node)) router->unwatch(u->watcher, to);
}

void EngineCore::watch(Pid watcher, Pid target) {
    if (Ref<Cell> cell = find(target)) {
        cell->enqueue_system(make_message<WatchCmd>(Pid{}, WatchCmd{watcher, nullptr}));
        return;
    }
    if (target.node != node_)
        if (auto router = router_for(target.node)) return router->watch(watcher, target);
    const bool existed = target.node == node_ && target.valid() && target.id < next_id_.load(std::memory_order_relaxed);
    send_notification(watcher, Terminated{target, StopReason::requested, existed ? "already stopped when watched" : "no such actor", existed});
}

void EngineCore::watch(Pid target, std::shared_ptr<FutureState<Terminated>> future) {
    if (Ref<Cell> cell = find(target)) {
        cell->enqueue_system(make_message<WatchCmd>(Pid{}, WatchCmd{Pid{}, std::move(future)}));
        return;
    }
    const bool existed = target.node == node_ && target.valid() && target.id < next_id_.load(std::memory_order_relaxed);
    future->complete(Terminated{target, StopReason::requested, existed ? "already stopped when watched" : "no such actor", existed});
}

void EngineCore::report_failure(Cell& cell, Failure failure) {
    if (cell.parent().valid()) {
        if (Ref<Cell> parent = find(cell.parent())) {
            parent->enqueue_system(make_message<FailedCmd>(Pid{}, FailedCmd{std::move(failure)}));
        } else {
            stop(failure.child, StopReason::failed, failure.what);  // its supervisor is gone: nobody to decide
        }
        return;
    }
    // The root guardian decides for top-level actors, inline: it has no mailbox of its own.
    std::vector<Pid> roots;
    if (config_.root_supervisor.kind == SupervisorStrategy::Kind::all_for_one) {
        std::lock_guard lock(roots_mutex_);
        roots = roots_.pids();
    }
    std::lock_guard lock(root_mutex_);
    root_restarts_used_.store(true, std::memory_order_relaxed);
    supervise(*this, config_.root_supervisor, root_restarts_, Pid{}, roots, std::move(failure), [this](const Failure& f) {
        stop(f.child, StopReason::failed, f.what);  // nothing above the root: the actor stops
    });
}

void EngineCore::stop(Pid pid, StopReason reason, std::string detail) {
    if (Ref<Cell> cell = find(pid)) cell->enqueue_system(make_message<StopCmd>(Pid{}, StopCmd{reason, std::move(detail)}));
}

void EngineCore::poison(Pid pid, StopReason reason, std::string detail) {
    if (Ref<Cell> cell = find(pid))
        cell->enqueue_user(make_message<PoisonCmd>(Pid{}, PoisonCmd{reason, std::move(detail)}), /*counted=*/false, /*force=*/true);
}

void EngineCore::post_continuation(Pid pid, std::function<void(Context&)> fn) {
    if (Ref<Cell> cell = find(pid)) cell->enqueue_system(make_message<ContinuationCmd>(Pid{}, ContinuationCmd{std::move(fn)}));
}

void EngineCore::dead_letter_event(Pid target, const Message& m, DeadLetterReason reason) {
    events_->publish(DeadLetter{target, m.sender(), m.type_name(), reason});
}

void EngineCore::overflow_event(Pid target, std::size_t capacity, OverflowPolicy policy, const Message& m) {
    events_->publish(MailboxOverflow{target, capacity, policy, m.type_name()});
    dead_letter_event(target, m, DeadLetterReason::mailbox_full);
}

void EngineCore::log_hook_failure(Pid pid, const char* hook, const std::string& what) {
    logger()->error("actor {} threw from {} while stopping: {}", pid.to_string(), hook, what);
}

void EngineCore::retire(Cell& cell, StopReason reason, const std::string& detail) {
    registry_.remove(cell);
    stopped_.fetch_add(1, std::memory_order_relaxed);
    events_->publish(ActorStopped{cell.pid(), reason, detail});
    if (cell.parent().valid()) {
        if (Ref<Cell> parent = find(cell.parent()))
            parent->enqueue_system(make_message<ChildTerminatedCmd>(Pid{}, ChildTerminatedCmd{cell.pid()}));
        return;
    }
    {
        std::lock_guard lock(roots_mutex_);
        roots_.remove(cell);
    }
    // Only an actor the root guardian decided about has a restart history to forget.
    if (root_restarts_used_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(root_mutex_);
        root_restarts_.forget(cell.pid().id);
    }
    roots_cv_.notify_all();
}

EngineCounters EngineCore::counters() const {
    EngineCounters c;
    registry_.add_counters(c);
    const std::uint64_t unroutable = unroutable_.load(std::memory_order_acquire);
    c.sent += unroutable;
    c.dead_lettered += unroutable;
    const std::uint64_t done = c.processed + c.dead_lettered + c.dropped;
    c.in_flight = c.sent > done ? c.sent - done : 0;
    c.spawned = spawned_.load(std::memory_order_relaxed);
    c.stopped = stopped_.load(std::memory_order_relaxed);
    c.failures = failures_.load(std::memory_order_relaxed);
    c.restarts = restarts_.load(std::memory_order_relaxed);
    c.live_actors = registry_.size();
    return c;
}

Snapshot EngineCore::snapshot() const {
    Snapshot s;
    // The sequence number first, with the totals of each kind counted up to it (one lock, so they
    // agree exactly): an observer folds events after it on top of those totals and counts each
    // event once. The actors and counters are read after, so they may already show an event just
    // after last_seq; folding it again must not count it twice (the dashboard's rows take the
    // totals ActorFailed and ActorRestarted carry, and skip a spawn or stop they already hold).
    // None lacks a spawn, stop, failure or restart at or before last_seq: each is made before
    // its event is published. Nothing here is on the send path.
    const EventTally tally = events_->tally();
    s.last_seq = tally.last_seq;
    s.published = PublishedTotals{tally.of<ActorSpawned>(),  tally.of<ActorStopped>(),        tally.of<ActorFailed>(),
                                  tally.of<ActorRestarted>(), tally.of<DeadLetter>(),          tally.of<MailboxOverflow>(),
                                  tally.of<MaxRestartsExceeded>(), tally.of<Escalated>()};
    s.time = config_.clock->now();
    for (const Ref<Cell>& cell : registry_.all()) s.actors.push_back(cell->info());
    s.counters = counters();
    s.links = link_stats();
    for (EventBody& b : events_->standing()) s.standing.push_back(Event{s.last_seq, s.time, std::move(b)});
    return s;
}

std::optional<ActorInfo> EngineCore::info(Pid pid) const {
    if (Ref<Cell> cell = find(pid)) return cell->info();
    return std::nullopt;
}

bool EngineCore::quiescent() const {
    return registry_.idle();
}

bool EngineCore::wait_idle(Duration timeout) {
    if (cooperative_) {
        cooperative_->run_until_idle();
        return quiescent();
    }
    if (Cell::current())
        throw std::logic_error("wait_idle() from inside an actor would wait for itself to finish its own turn");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // Twice in a row, a little apart: a single look can fall between one actor's last message
    // and the reply it is about to send.
    int calm = 0;
    while (calm < 2) {
        calm = quiescent() ? calm + 1 : 0;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(calm ? 1000 : 200));
    }
    return true;
}

void EngineCore::shutdown() {
    if (Cell::current())
        throw std::logic_error("shutdown() from inside an actor would wait for that actor to stop; call ctx.stop() or shut down from outside");
    std::lock_guard serial(shutdown_mutex_);
    {
        std::lock_guard lock(roots_mutex_);
        if (!running_.load()) return;
        running_.store(false, std::memory_order_release);
    }
    if (health_timer_) TimerHandle(health_timer_).cancel();
    if (stats_timer_) TimerHandle(stats_timer_).cancel();
    // Newest first, one tree at a time, as a supervisor stops its children: each top-level
    // actor is poisoned only once the newer ones have finished stopping, so what a newer actor
    // sends an older one from stopped() is still handled. No root can appear meanwhile (spawn
    // checks running_ under the same lock).
    for (;;) {
        Pid newest;
        {
            std::lock_guard lock(roots_mutex_);
            newest = roots_.newest();
        }
        if (!newest.valid()) break;
        poison(newest, StopReason::engine_shutdown, "engine shutdown");
        if (cooperative_) {
            bool stuck = false;
            for (;;) {
                std::size_t ran = cooperative_->run_until_idle();
                std::lock_guard lock(roots_mutex_);
                if (!newest.same_actor(roots_.newest())) break;
                if (ran == 0) {
                    logger()->error("shutdown: {} actors made no progress while stopping; leaving them", roots_.size());
                    stuck = true;
                    break;
                }
            }
            if (stuck) break;
        } else {
            std::unique_lock lock(roots_mutex_);
            roots_cv_.wait(lock, [&] { return !newest.same_actor(roots_.newest()); });
        }
    }
    scheduler_->shutdown();
}

}  // namespace actors::detail
