// Cell, in sections (the protocol itself is described in cell.hpp):
//   Producers              enqueue_user / enqueue_system / send: any thread puts a message in
//   Turns                  run: system queue first, then user messages, stash while suspended
//   Lifecycle              create, start, stop (children first), finalize and retire
//   Supervision            a failure reported upward, a directive from above, restarts
//   Watch, timers, health  death watch, the actor's own timers, its health check and signals
//   Overflow, dead letters what happens to a message that cannot be delivered or handled
//   Observation            counters, depth and ActorInfo for snapshots and stats

#include "cell.hpp"

#include <algorithm>
#include <exception>

#include "engine_core.hpp"
#include "system_messages.hpp"
#include "actors/error.hpp"

namespace actors::detail {

namespace {

thread_local Cell* tl_current = nullptr;

class CurrentCell {
public:
    explicit CurrentCell(Cell* c) noexcept : saved_(std::exchange(tl_current, c)) {}
    ~CurrentCell() { tl_current = saved_; }
    CurrentCell(const CurrentCell&) = delete;
    CurrentCell& operator=(const CurrentCell&) = delete;

private:
    Cell* saved_;
};

std::uint32_t user_part(std::uint64_t word) noexcept { return static_cast<std::uint32_t>(word); }

std::string exception_text(std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception (not derived from std::exception)";
    }
}

// Stop details common enough that an actor without a cold part need not make one to keep them
// (index 0: the detail is in the cold part, or empty).
constexpr std::string_view kUsualDetails[] = {"", "stopped itself", "poisoned", "engine shutdown"};

// A starting actor waits too: a message can land between spawn() registering the actor and the
// start command reaching it, and "sent before the actor started" means it waits for Started.
bool waiting(ActorState s) noexcept {
    return s == ActorState::starting || s == ActorState::suspended || s == ActorState::restarting;
}

}  // namespace

Cell* Cell::current() noexcept { return tl_current; }

std::mutex& Cell::info_mutex() const noexcept {
    static std::mutex stripes[64];
    return stripes[(reinterpret_cast<std::uintptr_t>(this) / alignof(Cell)) % 64];
}

CellCold& Cell::cold() const {
    if (CellCold* c = cold_.load(std::memory_order_acquire)) return *c;
    // Only an unnamed top-level actor starts without one, so its name is the one to give.
    auto* made = new CellCold("$" + std::to_string(id_));
    CellCold* expected = nullptr;
    if (cold_.compare_exchange_strong(expected, made, std::memory_order_acq_rel, std::memory_order_acquire)) return *made;
    delete made;  // another thread made it first
    return *expected;
}

std::string Cell::name_text() const {
    if (CellCold* c = cold_if_made()) return c->name;
    return "$" + std::to_string(id_);
}

Pid Cell::pid() const noexcept { return Pid{core_.node(), id_, generation_.load(std::memory_order_acquire)}; }

const MiddlewareChain& Cell::middleware() const noexcept {
    return (traits_ & kOwnMiddleware) ? cold_.load(std::memory_order_relaxed)->middleware : core_.config().middleware;
}

const SupervisorStrategy& Cell::child_strategy() const noexcept {
    return (traits_ & kOwnStrategy) ? *cold_.load(std::memory_order_relaxed)->own_strategy : core_.default_supervisor();
}

namespace {
std::uint8_t traits_of(const CellSpec& spec, bool own_middleware) {
    std::uint8_t t = 0;
    if (spec.track_health) t |= 1;
    if (!spec.name.empty()) t |= 2;
    if (spec.parent.valid()) t |= 4;
    if (own_middleware) t |= 8;
    if (spec.child_strategy) t |= 16;
    return t;
}
}  // namespace

Cell::Cell(EngineCore& core, CellSpec spec)
    : core_(core),
      id_(spec.pid.id),
      capacity_(static_cast<std::uint32_t>(spec.mailbox.capacity)),
      policy_(spec.mailbox.overflow),
      traits_(traits_of(spec, !spec.middleware.empty())) {
    static_assert(kTrackHealth == 1 && kNamed == 2 && kHasParent == 4 && kOwnMiddleware == 8 && kOwnStrategy == 16);
    if (traits_ & (kNamed | kHasParent | kOwnMiddleware | kOwnStrategy)) {
        auto* c = new CellCold(std::move(spec.name));
        c->parent = spec.parent;
        c->own_strategy = std::move(spec.child_strategy);
        if (traits_ & kOwnMiddleware) {
            c->middleware = core.config().middleware;
            c->middleware.insert(c->middleware.end(), spec.middleware.begin(), spec.middleware.end());
        }
        cold_.store(c, std::memory_order_release);
    }
}

Cell::~Cell() {
    // Only reachable with queued messages when the engine is torn down around a sender that
    // still held this cell; they are counted as dead letters so the books still balance.
    while (Message* m = system_.pop()) delete m;
    while (Message* m = user_.pop()) {
        if (!m->is<PoisonCmd>()) bump(dead_lettered_);
        delete m;
    }
    CellCold* c = cold_if_made();
    if (c && c->stash)
        for (auto& m : *c->stash)
            if (!m->is<PoisonCmd>()) bump(dead_lettered_);
    // Only when the engine is torn down around an actor that never finished stopping.
    if (c)
        for (auto& f : c->watch_futures) f->fail(Error{ErrorCode::engine_stopped, c->name + " was destroyed without stopping"});
    // The last thing that reads this cell's counters; the cold part (some of them) goes after.
    core_.cell_destroyed(this);
    delete c;
}

Context Cell::context() noexcept { return Context(*this, core_.engine()); }

// ---------------------------------------------------------------------------------------------
// Producers

SendStatus Cell::enqueue_user(std::unique_ptr<Message> m, bool counted, bool force) {
    std::uint64_t prev;
    // Only a mailbox that refuses needs the exact check; the others take one fetch_add.
    if (policy_ != OverflowPolicy::drop_oldest && capacity_ < unbounded && !force) {
        prev = pending_.load(std::memory_order_relaxed);
        do {
            if (std::uint64_t{user_part(prev)} + stash_size_.load(std::memory_order_relaxed) >= capacity_) return refuse(std::move(m));
        } while (!pending_.compare_exchange_weak(prev, prev + 1, std::memory_order_acq_rel, std::memory_order_relaxed));
    } else {
        prev = pending_.fetch_add(1, std::memory_order_acq_rel);
    }
    if (counted) accepted_.fetch_add(1, std::memory_order_relaxed);
    const std::int64_t now = tracks_health() ? core_.stamp_now() : 0;
    MessageAccess::stamp(*m, now);
    user_.push(m.release());
    if (prev == 0) {
        // The producer that wakes the cell owns oldest_at_ until the turn starts.
        if (tracks_health()) oldest_at_.store(now, std::memory_order_relaxed);
        core_.scheduler().schedule(*this);
    }
    return SendStatus::delivered;
}

SendStatus Cell::send(Pid to, std::unique_ptr<Message> m) {
    if (last_target_ && to.id == last_target_->id_ && to.node == core_.node() && last_target_->state() != ActorState::stopped)
        return last_target_->enqueue_user(std::move(m));
    Ref<Cell> target = core_.find(to);
    if (!target) return core_.send(to, std::move(m));  // unknown or gone: the engine's dead-letter path
    last_target_ = target;
    return target->enqueue_user(std::move(m));
}

void Cell::enqueue_system(std::unique_ptr<Message> m) {
    std::uint64_t prev = pending_.fetch_add(kSystemUnit, std::memory_order_acq_rel);
    system_.push(m.release());
    if (prev == 0) core_.scheduler().schedule(*this);
}

// ---------------------------------------------------------------------------------------------
// Turns

Runnable::Turn Cell::run(std::size_t budget) {
    CurrentCell guard(this);
    std::uint64_t consumed = 0;
    std::uint32_t users = 0;
    for (std::size_t n = 0; n < budget; ++n) {
        if (Message* s = system_.pop()) {
            consumed += kSystemUnit;
            handle_system(std::unique_ptr<Message>(s));
            continue;
        }
        if (!stash_empty() && state() == ActorState::running) {
            std::unique_ptr<Message> m = unstash();
            note_oldest();
            handle_user(std::move(m));
            continue;
        }
        Message* u = user_.pop();
        if (u == nullptr) break;
        std::unique_ptr<Message> m(u);
        consumed += 1;
        ++users;
        note_oldest();  // the message in hand is no longer waiting
        if (policy_ == OverflowPolicy::drop_oldest && !m->is<PoisonCmd>()) {
            // Everything still queued, this message included, minus what this turn already took,
            // plus the stash of a suspended or restarting actor: it holds the oldest messages, so
            // they go first, or a restart delay would let the stash grow past the capacity.
            std::uint64_t queued = std::uint64_t{user_part(pending_.load(std::memory_order_acquire)) - (users - 1)} +
                                   stash_size_.load(std::memory_order_relaxed);
            // A stashed poison is not a message to evict: it ends the actor after what precedes it.
            for (; queued > capacity_ && !stash_empty() && !cold_if_made()->stash->front()->is<PoisonCmd>(); --queued) evict(unstash());
            if (queued > capacity_) {
                evict(std::move(m));
                continue;
            }
        }
        if (waiting(state())) {
            stash(std::move(m));
            continue;
        }
        handle_user(std::move(m));
    }
    consumed += kSystemUnit * std::exchange(turn_releases_, 0);
    // Nothing taken while work is pending: a producer is between its two push steps. Yield the
    // thread and come back rather than spin.
    if (consumed == 0) return Turn::more;
    note_oldest();
    std::uint64_t prev = pending_.fetch_sub(consumed, std::memory_order_acq_rel);
    return prev == consumed ? Turn::idle : Turn::more;
}

void Cell::note_oldest() {
    if (!tracks_health()) return;
    std::int64_t oldest = 0;
    if (!stash_empty()) oldest = MessageAccess::stamped(*cold_if_made()->stash->front());
    else if (Message* head = user_.peek()) oldest = MessageAccess::stamped(*head);
    oldest_at_.store(oldest, std::memory_order_relaxed);
}

void Cell::handle_system(std::unique_ptr<Message> m) {
    if (m->is<StartCmd>()) {
        start();
    } else if (auto* stop = m->as<StopCmd>()) {
        begin_stop(stop->reason, std::move(stop->detail));
    } else if (auto* ct = m->as<ChildTerminatedCmd>()) {
        if (CellCold* c = cold_if_made()) {
            {
                std::lock_guard lock(info_mutex());
                std::erase_if(c->children, [&](const Pid& p) { return p.same_actor(ct->child); });
            }
            c->child_restarts.forget(ct->child.id);
        }
        if (state() == ActorState::stopping || (state() == ActorState::restarting && flag(kAwaitingChildren))) continue_stop();
    } else if (auto* cont = m->as<ContinuationCmd>()) {
        if (state() != ActorState::running) return;  // nobody left to continue
        try {
            Context ctx = context();
            cont->fn(ctx);
        } catch (...) {
            auto ep = std::current_exception();
            fail(exception_text(ep), "", ep);
        }
    } else if (auto* failed = m->as<FailedCmd>()) {
        on_child_failed(*failed);
    } else if (auto* directive = m->as<DirectiveCmd>()) {
        on_directive(*directive);
    } else if (auto* now = m->as<RestartNowCmd>()) {
        if (state() == ActorState::restarting && !flag(kAwaitingChildren) && now->epoch == cold().restart_epoch) restart_now();
    } else if (auto* fw = m->as<WatchCmd>(); fw && fw->future) {
        if (state() == ActorState::stopped) fw->future->complete(Terminated{pid(), stop_reason_, stop_detail(), true});
        else cold().watch_futures.push_back(std::move(fw->future));
    } else if (auto* w = m->as<WatchCmd>()) {
        if (state() == ActorState::stopped) {
            core_.send_notification(w->watcher, Terminated{pid(), stop_reason_, stop_detail(), true});
        } else if (auto& watchers = cold().watchers;
                   std::find_if(watchers.begin(), watchers.end(), [&](const Pid& p) { return p.same_actor(w->watcher); }) == watchers.end()) {
            watchers.push_back(w->watcher);
        }
    } else if (auto* u = m->as<UnwatchCmd>()) {
        if (CellCold* c = cold_if_made()) std::erase_if(c->watchers, [&](const Pid& p) { return p.same_actor(u->watcher); });
    } else if (m->is<HealthCheckCmd>()) {
        run_health_check();
    }
}

void Cell::invoke(Context& ctx, Message& m) {
    const MiddlewareChain& chain = middleware();
    if (chain.empty()) {
        instance_->receive(ctx, m);
        return;
    }
    // Each layer gets a `next` that runs the layers inside it, then receive().
    std::function<void(std::size_t)> layer = [&](std::size_t i) {
        if (i == chain.size()) {
            if (instance_) instance_->receive(ctx, m);
            return;
        }
        Next next = [&layer, i] { layer(i + 1); };
        chain[i](ctx, m, next);
    };
    layer(0);
}

template <class T>
void Cell::notify(Context& ctx, T notification) {
    PayloadMessage<T> msg(Pid{}, std::move(notification));
    ctx.current_ = &msg;
    invoke(ctx, msg);
    ctx.current_ = nullptr;
}

void Cell::handle_user(std::unique_ptr<Message> m) {
    if (auto* poison = m->as<PoisonCmd>()) {
        if (state() == ActorState::running) begin_stop(poison->reason, std::move(poison->detail));
        return;
    }
    if (state() != ActorState::running) {
        dead_letter(std::move(m), DeadLetterReason::actor_stopped);
        return;
    }
    Context ctx = context();
    ctx.current_ = m.get();
    ctx.current_owner_ = &m;
    const TypeTag* type = MessageAccess::type(*m);  // survives a forward; named only on failure
    if (tracks_health()) handler_at_.store(core_.stamp_now(), std::memory_order_relaxed);
    try {
        invoke(ctx, *m);
    } catch (...) {
        if (tracks_health()) handler_at_.store(0, std::memory_order_relaxed);
        auto ep = std::current_exception();
        std::string what = exception_text(ep);
        if (!m) {  // forwarded before throwing: the message lives on elsewhere
            bump(processed_);
            fail(what, type->name(), ep);
            return;
        }
        // Not retried: the message that made the handler fail becomes a dead letter.
        m->fail_request(Error{ErrorCode::handler_failed, what});
        bump(dead_lettered_);
        core_.dead_letter_event(pid(), *m, DeadLetterReason::handler_failed);
        m.reset();
        fail(what, type->name(), ep);
        return;
    }
    if (tracks_health()) handler_at_.store(0, std::memory_order_relaxed);
    bump(processed_);
}

std::unique_ptr<Message> Cell::take_current(Context& ctx) {
    if (!ctx.current_owner_ || !*ctx.current_owner_) return nullptr;
    ctx.current_ = nullptr;
    return std::move(*ctx.current_owner_);
}

// Only the owner changes the stash, so its size is exact on the owner's turn.
bool Cell::stash_empty() const noexcept { return stash_size_.load(std::memory_order_relaxed) == 0; }

void Cell::stash(std::unique_ptr<Message> m) {
    const bool poison = m->is<PoisonCmd>();
    CellCold& c = cold();
    if (!c.stash) c.stash = std::make_unique<std::deque<std::unique_ptr<Message>>>();
    c.stash->push_back(std::move(m));
    stash_size_.fetch_add(1, std::memory_order_relaxed);
    if (!poison) return;
    // The poison keeps its place behind the waiting messages, which the next instance handles.
    // It must not hold up a shutdown for a whole backoff, so a pending restart delay is cut short.
    set_flag(kPoisonStashed, true);
    if (state() == ActorState::restarting && !flag(kAwaitingChildren)) {
        ++c.restart_epoch;  // the delay's RestartNowCmd, when it comes, is stale
        restart_now();
    }
}

std::unique_ptr<Message> Cell::unstash() {
    auto& stash = *cold_if_made()->stash;
    std::unique_ptr<Message> m = std::move(stash.front());
    stash.pop_front();
    stash_size_.fetch_sub(1, std::memory_order_relaxed);
    if (stash.empty()) release_stash_token();
    return m;
}

void Cell::release_stash_token() noexcept {
    // The stash token keeps a running actor scheduled until its stash drains. An actor that is
    // not running (suspended, restarting, stopping while its children stop) must give it back:
    // until it runs again its turns would find nothing to do and be rescheduled, spinning its
    // thread. resume_from_stash takes it again.
    if (!flag(kStashToken)) return;
    set_flag(kStashToken, false);
    ++turn_releases_;
}

void Cell::resume_from_stash() {
    state_.store(ActorState::running, std::memory_order_release);
    if (!stash_empty() && !flag(kStashToken)) {
        // We are inside our own turn, so pending_ > 0 and adding keeps ownership.
        pending_.fetch_add(kSystemUnit, std::memory_order_acq_rel);
        set_flag(kStashToken, true);
    }
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

bool Cell::create_instance() {
    try {
        instance_ = make_instance();
        state_.store(ActorState::running, std::memory_order_release);
        Context ctx = context();
        notify(ctx, Initialized{});
        instance_->started(ctx);
        notify(ctx, Started{});
        return true;
    } catch (...) {
        auto ep = std::current_exception();
        fail(exception_text(ep), "", ep);
        return false;
    }
}

void Cell::start() {
    if (state() != ActorState::starting) return;
    if (!create_instance()) return;
    core_.events().publish(ActorStarted{pid()});
    resume_from_stash();  // what arrived before the start command
}

void Cell::destroy_instance() {
    if (!instance_) return;
    Context ctx = context();
    try {
        notify(ctx, Stopped{});
    } catch (...) {
        core_.log_hook_failure(pid(), "receive(Stopped)", exception_text(std::current_exception()));
    }
    ctx.current_ = nullptr;
    try {
        instance_->stopped(ctx);
    } catch (...) {
        core_.log_hook_failure(pid(), "stopped()", exception_text(std::current_exception()));
    }
    unmake_instance(std::exchange(instance_, nullptr));
}

std::string Cell::stop_detail() const {
    if (const int usual = (flags_ & kDetailMask) >> kDetailShift) return std::string(kUsualDetails[usual]);
    CellCold* c = cold_if_made();
    return c ? c->stop_detail : std::string{};
}

void Cell::begin_stop(StopReason reason, std::string detail) {
    ActorState s = state();
    if (s == ActorState::stopping || s == ActorState::stopped) return;
    stop_reason_ = reason;
    std::uint8_t usual = 0;
    if (!cold_if_made())
        for (std::uint8_t i = 1; i < std::size(kUsualDetails); ++i)
            if (detail == kUsualDetails[i]) usual = i;
    flags_ = static_cast<std::uint8_t>((flags_ & ~kDetailMask) | (usual << kDetailShift));
    if (usual == 0 && (!detail.empty() || cold_if_made())) cold().stop_detail = std::move(detail);
    state_.store(ActorState::stopping, std::memory_order_release);
    release_stash_token();  // a stopping actor does not drain its stash; finalize dead-letters it
    set_flag(kAwaitingChildren, true);
    continue_stop();
}

void Cell::continue_stop() {
    // Children stop one at a time, newest first, each finished before the next begins.
    Pid next;
    CellCold* c = cold_if_made();
    if (c) {
        std::lock_guard lock(info_mutex());
        if (!c->children.empty()) next = c->children.back();
    }
    if (next.valid()) {
        if (!next.same_actor(c->stopping_child)) {
            c->stopping_child = next;
            core_.stop(next, StopReason::parent_stopped, "parent " + c->name + (state() == ActorState::restarting ? " restarting" : " stopped"));
        }
        return;
    }
    set_flag(kAwaitingChildren, false);
    if (c) c->stopping_child = Pid{};
    if (state() == ActorState::restarting) children_stopped_for_restart();
    else finalize();
}

void Cell::finalize() {
    cancel_timers();
    destroy_instance();
    state_.store(ActorState::stopped, std::memory_order_release);
    last_target_ = Ref<Cell>{};  // two actors that talked must not keep each other alive
    while (!stash_empty()) {
        auto& stash = *cold_if_made()->stash;
        std::unique_ptr<Message> m = std::move(stash.front());
        stash.pop_front();
        stash_size_.fetch_sub(1, std::memory_order_relaxed);
        if (!m->is<PoisonCmd>()) dead_letter(std::move(m), DeadLetterReason::actor_stopped);
    }
    release_stash_token();
    const std::string detail = stop_detail();
    if (CellCold* c = cold_if_made()) {
        for (const Pid& target : c->watching) core_.send_system(target, make_message<UnwatchCmd>(Pid{}, UnwatchCmd{pid()}));
        c->watching.clear();
        for (const Pid& w : c->watchers) core_.send_notification(w, Terminated{pid(), stop_reason_, detail, true});
        c->watchers.clear();
        for (auto& f : std::exchange(c->watch_futures, {})) f->complete(Terminated{pid(), stop_reason_, detail, true});
    }
    core_.retire(*this, stop_reason_, detail);
}

// ---------------------------------------------------------------------------------------------
// Supervision

void Cell::fail(const std::string& what, const std::string& message_type, std::exception_ptr error) {
    CellCold& c = cold();
    bump(c.failures);
    core_.count_failure();
    {
        std::lock_guard lock(info_mutex());
        c.last_error = what;
    }
    core_.events().publish(ActorFailed{pid(), what, message_type, c.failures.load(std::memory_order_relaxed)});
    ActorState s = state();
    if (s == ActorState::stopping || s == ActorState::stopped) return;
    state_.store(ActorState::suspended, std::memory_order_release);
    release_stash_token();
    core_.report_failure(*this, Failure{pid(), what, message_type, std::move(error), 0});
}

void Cell::on_child_failed(FailedCmd& cmd) {
    const ActorState s = state();
    if (s == ActorState::stopping || s == ActorState::stopped || s == ActorState::restarting) return;  // it is being stopped anyway
    supervise(core_, child_strategy(), cold().child_restarts, pid(), children(), std::move(cmd.failure), [this](const Failure& f) {
        // The supervisor fails in turn; it was not handling the child's message, so no type.
        fail(f.what, "", f.exception);
    });
}

void Cell::on_directive(DirectiveCmd& cmd) {
    const ActorState s = state();
    if (s == ActorState::stopping || s == ActorState::stopped || s == ActorState::starting) return;
    if (cmd.directive == Directive::restart && flag(kPoisonStashed) && flag(kPoisonRestartTried)) {
        // A poison is waiting and the instance made for it failed to start: nothing can handle
        // what waits, so end as the poison asked, and the waiting messages become dead letters.
        for (const auto& waiting_msg : *cold().stash)
            if (auto* p = waiting_msg->as<PoisonCmd>()) {
                begin_stop(p->reason, p->detail);
                return;
            }
    }
    if (cmd.directive == Directive::resume) {
        if (s == ActorState::suspended) {
            core_.events().publish(ActorResumed{pid(), cmd.reason});
            resume_from_stash();
        }
        return;
    }
    if (s == ActorState::restarting) return;  // already on its way
    CellCold& x = cold();
    x.restart_attempt = cmd.attempt;
    x.restart_reason = cmd.reason;
    x.restart_delay = cmd.delay;
    x.restart_next_delay = cmd.next_delay;
    ++x.restart_epoch;
    state_.store(ActorState::restarting, std::memory_order_release);
    release_stash_token();
    cancel_timers();
    set_flag(kAwaitingChildren, true);
    continue_stop();  // children first; then children_stopped_for_restart()
}

void Cell::children_stopped_for_restart() {
    const CellCold& x = cold();
    if (x.restart_delay <= Duration::zero() || flag(kPoisonStashed)) {  // a waiting poison cuts the delay
        restart_now();
        return;
    }
    core_.timer_once_system(x.restart_delay, pid(), [epoch = x.restart_epoch] {
        return make_message<RestartNowCmd>(Pid{}, RestartNowCmd{epoch});
    });
}

void Cell::restart_now() {
    destroy_instance();
    generation_.fetch_add(1, std::memory_order_acq_rel);
    CellCold& x = cold();
    bump(x.restarts);
    core_.count_restart();
    if (flag(kPoisonStashed)) set_flag(kPoisonRestartTried, true);
    // Announced before the new instance starts, so a restart whose started() throws again is an
    // event too (followed by its ActorFailed): every counted restart is one ActorRestarted.
    core_.events().publish(ActorRestarted{pid(), x.restart_attempt, x.restarts.load(std::memory_order_relaxed), x.restart_delay,
                                          x.restart_next_delay, x.restart_reason});
    if (!create_instance()) return;  // failed again: reported to the supervisor as a new failure
    set_flag(kPoisonRestartTried, false);  // it started: a later failure may restart it for the poison again
    resume_from_stash();
}

// ---------------------------------------------------------------------------------------------
// Watch, timers, health

void Cell::watch(Pid target) {
    auto& watching = cold().watching;
    if (std::find_if(watching.begin(), watching.end(), [&](const Pid& p) { return p.same_actor(target); }) == watching.end())
        watching.push_back(target);
    core_.watch(pid(), target);
}

void Cell::unwatch(Pid target) {
    if (CellCold* c = cold_if_made()) std::erase_if(c->watching, [&](const Pid& p) { return p.same_actor(target); });
    core_.send_system(target, make_message<UnwatchCmd>(Pid{}, UnwatchCmd{pid()}));
}

void Cell::own_timer(std::shared_ptr<TimerState> t) {
    auto& timers = cold().timers;
    std::erase_if(timers, [](const std::shared_ptr<TimerState>& s) {
        return s->cancelled.load(std::memory_order_relaxed) || s->finished.load(std::memory_order_relaxed);
    });
    timers.push_back(std::move(t));
}

void Cell::cancel_timers() {
    if (CellCold* c = cold_if_made()) {
        for (auto& t : c->timers) TimerHandle(t).cancel();
        c->timers.clear();
        c->health_check = nullptr;
        c->health_timer.reset();
    }
    if (health() & static_cast<std::uint8_t>(HealthSignal::check_failed)) {
        set_health(HealthSignal::check_failed, false);
        core_.events().publish(ActorHealthy{pid(), HealthSignal::check_failed, {}});
    }
}

void Cell::enable_health_check(Duration interval, std::function<bool(Context&)> healthy) {
    if (interval <= Duration::zero() || interval > max_delay)
        throw InvalidArgument("health check interval must be positive and at most 100 years (actors::max_delay)");
    if (!healthy) throw InvalidArgument("enable_health_check needs a predicate");
    disable_health_check();
    CellCold& x = cold();
    x.health_check = std::move(healthy);
    x.health_timer = core_.timer_every_system(interval, pid(), [] { return make_message<HealthCheckCmd>(Pid{}); });
    own_timer(x.health_timer);
}

void Cell::disable_health_check() {
    CellCold* c = cold_if_made();
    if (!c) return;
    if (c->health_timer) TimerHandle(c->health_timer).cancel();
    c->health_timer.reset();
    c->health_check = nullptr;
}

void Cell::run_health_check() {
    CellCold* c = cold_if_made();
    if (state() != ActorState::running || !c || !c->health_check) return;
    bool ok;
    std::string detail;
    try {
        Context ctx = context();
        ok = c->health_check(ctx);
    } catch (const std::exception& e) {
        ok = false;
        detail = std::string("health check threw: ") + e.what();
    } catch (...) {
        ok = false;
        detail = "health check threw";
    }
    if (set_health(HealthSignal::check_failed, !ok)) {
        if (ok) core_.events().publish(ActorHealthy{pid(), HealthSignal::check_failed, {}});
        else core_.events().publish(ActorUnhealthy{pid(), HealthSignal::check_failed, {}, detail.empty() ? "health check failed" : detail});
    }
}

bool Cell::set_health(HealthSignal signal, bool raised) noexcept {
    const auto bit = static_cast<std::uint8_t>(signal);
    const std::uint8_t before = raised ? health_.fetch_or(bit, std::memory_order_acq_rel) : health_.fetch_and(static_cast<std::uint8_t>(~bit), std::memory_order_acq_rel);
    return ((before & bit) != 0) != raised;
}

// ---------------------------------------------------------------------------------------------
// Overflow, dead letters

void Cell::evict(std::unique_ptr<Message> m) {
    bump(cold().evicted);
    core_.overflow_event(pid(), capacity_, policy_, *m);
    m->fail_request(Error{ErrorCode::mailbox_full, "evicted from the mailbox of " + name_text() + " (drop_oldest)"});
}

SendStatus Cell::refuse(std::unique_ptr<Message> m) {
    cold().refused.fetch_add(1, std::memory_order_relaxed);
    core_.overflow_event(pid(), capacity_, policy_, *m);
    m->fail_request(Error{ErrorCode::mailbox_full, "the mailbox of " + name_text() + " is full (" + std::to_string(capacity_) + ")"});
    if (policy_ == OverflowPolicy::reject_sender) {
        // The notification has no sender, so refusing it in turn notifies nobody.
        if (m->sender().valid()) core_.send_notification(m->sender(), MailboxFull{pid(), m->type_name()});
        return SendStatus::rejected;
    }
    return SendStatus::dropped;
}

void Cell::dead_letter(std::unique_ptr<Message> m, DeadLetterReason reason) {
    bump(dead_lettered_);
    core_.dead_letter_event(pid(), *m, reason);
    m->fail_request(Error{ErrorCode::actor_stopped, name_text() + " " + pid().to_string() + " stopped before handling " + m->type_name()});
}

// ---------------------------------------------------------------------------------------------
// Observation

void Cell::add_child(Pid child) {
    CellCold& x = cold();
    std::lock_guard lock(info_mutex());
    x.children.push_back(child);
}

std::vector<Pid> Cell::children() const {
    CellCold* c = cold_if_made();
    if (!c) return {};
    std::lock_guard lock(info_mutex());
    return c->children;
}

ActorCounters Cell::counters() const noexcept {
    ActorCounters c;
    // Consumer-side counts first, so a concurrent reader never sees more handled than accepted.
    c.processed = processed_.load(std::memory_order_acquire);
    c.dead_lettered = dead_lettered_.load(std::memory_order_acquire);
    CellCold* cold = cold_if_made();
    std::uint64_t evicted = cold ? cold->evicted.load(std::memory_order_acquire) : 0;
    c.sent = sent_.load(std::memory_order_relaxed);
    // Refusals are counted before the cold part is seen by a later load here: a refusing
    // producer made it (or found it) first.
    std::uint64_t refused = cold ? cold->refused.load(std::memory_order_acquire) : 0;
    c.received = accepted_.load(std::memory_order_acquire) + refused;
    c.dropped = refused + evicted;
    return c;
}

std::size_t Cell::mailbox_depth() const noexcept {
    return std::size_t{user_part(pending_.load(std::memory_order_acquire))} + stash_size_.load(std::memory_order_relaxed);
}

ActorInfo Cell::info() const {
    ActorInfo i;
    i.pid = pid();
    i.name = name_text();
    i.parent = parent();
    i.state = state();
    i.mailbox_depth = mailbox_depth();
    i.mailbox_capacity = capacity_;
    i.overflow = policy_;
    i.counters = counters();
    CellCold* c = cold_if_made();
    i.restarts = c ? c->restarts.load(std::memory_order_relaxed) : 0;
    i.failures = c ? c->failures.load(std::memory_order_relaxed) : 0;
    i.health = health();
    if (c) {
        std::lock_guard lock(info_mutex());
        i.children = c->children;
        i.last_error = c->last_error;
    }
    return i;
}

}  // namespace actors::detail
