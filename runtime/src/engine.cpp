#include "actors/engine.hpp"

#include <atomic>

#include "actors/cooperative_scheduler.hpp"
#include "cell.hpp"
#include "actor_ref_access.hpp"
#include "engine_core.hpp"
#include "actors/error.hpp"

namespace actors {

namespace {
detail::Cell* parent_for_spawn() { return nullptr; }  // Engine::spawn always makes top-level actors

CooperativeScheduler& require_cooperative(detail::EngineCore& core, const char* what) {
    if (auto* c = core.cooperative()) return *c;
    throw std::logic_error(std::string(what) + " drives a cooperative engine; this engine runs a thread pool that drives itself");
}
}  // namespace

Engine::Engine(EngineConfig config) : core_(std::make_shared<detail::EngineCore>(*this, std::move(config))) {
    core_->start_monitor();
}

Engine::~Engine() {
    try {
        core_->shutdown();
    } catch (...) {
        // A destructor cannot report it; shutdown only throws for misuse from inside an actor.
    }
}

Pid Engine::spawn(std::string name, Producer producer, SpawnOptions options) {
    return core_->spawn(parent_for_spawn(), std::move(name), std::move(producer), options);
}

Pid Engine::spawn_fn(std::string name, ReceiveFn receive, SpawnOptions options) {
    return core_->spawn_fn(parent_for_spawn(), std::move(name), std::move(receive), options);
}

Pid Engine::spawn_placed(std::string name, const detail::RecipeOps& ops, void* recipe, SpawnOptions options) {
    return core_->spawn_placed(parent_for_spawn(), std::move(name), ops, recipe, std::move(options));
}

SendStatus Engine::send_message(Pid to, std::unique_ptr<Message> msg) { return core_->send(to, std::move(msg)); }

SendStatus Engine::send_message(const ActorRef& to, std::unique_ptr<Message> msg) {
    return detail::ActorRefAccess::send(*core_, to, std::move(msg));
}

ActorRef Engine::resolve(Pid pid) const { return detail::ActorRefAccess::resolve(core_, pid); }

void Engine::send_request(Pid to, std::unique_ptr<Message> msg, std::shared_ptr<detail::FutureStateBase> state,
                          std::optional<Duration> timeout) {
    core_->send_request(to, std::move(msg), std::move(state), timeout);
}

TimerHandle Engine::schedule(Duration delay, Duration interval, Pid to, std::function<std::unique_ptr<Message>()> make) {
    return TimerHandle(core_->timer_user(delay, interval, to, std::move(make)));
}

bool Engine::blocking_allowed() const noexcept { return core_->cooperative() == nullptr; }

Future<Terminated> Engine::watch(Pid pid) {
    auto state = std::make_shared<detail::FutureState<Terminated>>(blocking_allowed());
    core_->watch(pid, state);
    return Future<Terminated>(std::move(state));
}

// Watched first: the system queue carries the watch ahead of the stop, so the end is never missed.
Future<Terminated> Engine::stop(Pid pid) {
    Future<Terminated> done = watch(pid);
    core_->stop(pid, StopReason::requested, "stop requested");
    return done;
}
Future<Terminated> Engine::poison(Pid pid) {
    Future<Terminated> done = watch(pid);
    core_->poison(pid);
    return done;
}

std::optional<Pid> Engine::lookup(std::string_view name) const { return core_->lookup(name); }
bool Engine::alive(Pid pid) const {
    auto cell = core_->find(pid);
    return cell && cell->state() != ActorState::stopped;
}

EventStream& Engine::events() noexcept { return core_->events(); }

SubscriptionId Engine::subscribe(Pid actor) {
    if (!alive(actor)) throw RuntimeError(Error{ErrorCode::no_such_actor, "cannot subscribe " + actor.to_string() + ": it is not a live actor"});
    // The id is known only once subscribe() returns, and the callback may already run on another
    // thread by then: it reads the id atomically (0 = not known yet; the next event ends it).
    auto id = std::make_shared<std::atomic<SubscriptionId>>(0);
    std::weak_ptr<detail::EngineCore> weak = core_;
    const SubscriptionId sub = core_->events().subscribe([weak, actor, id](const Event& e) {
        auto core = weak.lock();
        if (!core) return;
        if (!core->find(actor)) {
            // Ends by itself once the actor is gone.
            if (const SubscriptionId own = id->load(std::memory_order_acquire)) {
                core->events().unsubscribe(own);
                core->actor_subscription_ended(own);
            }
            return;
        }
        // An event that could not be delivered to this subscriber must not be delivered to it in
        // turn: with a full mailbox that would feed on itself forever.
        const std::string& event_type = detail::type_name_of<Event>();
        if (auto* dl = e.as<DeadLetter>(); dl && dl->target.same_actor(actor) && dl->message_type == event_type) return;
        if (auto* of = e.as<MailboxOverflow>(); of && of->pid.same_actor(actor) && of->message_type == event_type) return;
        core->send(actor, detail::make_message<Event>(Pid{}, e));
    });
    // Recorded before the callback can see the id, so its own ending always finds the record.
    core_->actor_subscribed(actor, sub);
    id->store(sub, std::memory_order_release);
    return sub;
}

bool Engine::unsubscribe(Pid actor) {
    bool any = false;
    for (SubscriptionId id : core_->take_actor_subscriptions(actor)) any = core_->events().unsubscribe(id) || any;
    return any;
}

Snapshot Engine::snapshot() const { return core_->snapshot(); }
EngineCounters Engine::counters() const { return core_->counters(); }
std::optional<ActorInfo> Engine::info(Pid pid) const { return core_->info(pid); }

void Engine::shutdown() { core_->shutdown(); }
bool Engine::running() const noexcept { return core_->running(); }
bool Engine::wait_idle(Duration timeout) { return core_->wait_idle(timeout); }

std::size_t Engine::run_until_idle() { return require_cooperative(*core_, "run_until_idle()").run_until_idle(); }
std::size_t Engine::run_for(Duration budget) { return require_cooperative(*core_, "run_for()").run_for(budget); }
std::size_t Engine::advance(Duration d) { return require_cooperative(*core_, "advance()").advance(d); }
CooperativeScheduler* Engine::cooperative() noexcept { return core_->cooperative(); }

void Engine::attach_router(std::shared_ptr<RemoteRouter> router) { core_->attach_router(std::move(router)); }
SendStatus Engine::deliver(Pid to, std::unique_ptr<Message> msg) { return core_->send(to, std::move(msg)); }
SendStatus Engine::deliver(const ActorRef& to, std::unique_ptr<Message> msg) { return send_message(to, std::move(msg)); }
void Engine::watch(Pid watcher, Pid target) { core_->watch(watcher, target); }
void Engine::unwatch(Pid watcher, Pid target) {
    core_->send_system(target, detail::make_message<detail::UnwatchCmd>(Pid{}, detail::UnwatchCmd{watcher}));
}

std::uint32_t Engine::node() const noexcept { return core_->node(); }
const EngineConfig& Engine::config() const noexcept { return core_->config(); }
Scheduler& Engine::scheduler() noexcept { return core_->scheduler(); }
TimePoint Engine::now() const noexcept { return core_->config().clock->now(); }

}  // namespace actors
