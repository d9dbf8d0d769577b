#include "actors/context.hpp"

#include "actors/engine.hpp"
#include "actor_ref_access.hpp"
#include "cell.hpp"
#include "engine_access.hpp"
#include "engine_core.hpp"
#include "actors/error.hpp"

namespace actors {

Pid Context::self() const noexcept { return cell_.pid(); }
Pid Context::parent() const noexcept { return cell_.parent(); }
const std::string& Context::name() const noexcept { return cell_.name(); }
Engine& Context::engine() const noexcept { return engine_; }
TimePoint Context::now() const noexcept { return engine_.now(); }

Message& Context::message() const {
    if (!current_) throw std::logic_error("Context::message(): no message is being handled (this is a lifecycle hook)");
    return *current_;
}

SendStatus Context::send_message(Pid to, std::unique_ptr<Message> msg) {
    cell_.count_sent();
    return cell_.send(to, std::move(msg));
}

SendStatus Context::send_message(const ActorRef& to, std::unique_ptr<Message> msg) {
    cell_.count_sent();
    auto& core = detail::EngineAccess::core(engine_);
    return detail::ActorRefAccess::send(core, to, std::move(msg));
}

ActorRef Context::resolve(Pid pid) const { return detail::ActorRefAccess::resolve(detail::EngineAccess::core(engine_).shared_from_this(), pid); }

void Context::send_request(Pid to, std::unique_ptr<Message> msg, std::shared_ptr<detail::FutureStateBase> state,
                           std::optional<Duration> timeout) {
    cell_.count_sent();
    detail::EngineAccess::core(engine_).send_request(to, std::move(msg), std::move(state), timeout);
}

std::function<void(std::function<void(Context&)>)> Context::continuation_poster() const {
    return [weak = detail::EngineAccess::core(engine_).weak_from_this(), self = self()](std::function<void(Context&)> fn) {
        if (auto core = weak.lock()) core->post_continuation(self, std::move(fn));
    };
}

Pid Context::spawn(std::string name, Producer producer, SpawnOptions options) {
    return detail::EngineAccess::core(engine_).spawn(&cell_, std::move(name), std::move(producer), options);
}

Pid Context::spawn_fn(std::string name, ReceiveFn receive, SpawnOptions options) {
    return detail::EngineAccess::core(engine_).spawn_fn(&cell_, std::move(name), std::move(receive), options);
}

Pid Context::spawn_placed(std::string name, const detail::RecipeOps& ops, void* recipe, SpawnOptions options) {
    return detail::EngineAccess::core(engine_).spawn_placed(&cell_, std::move(name), ops, recipe, std::move(options));
}

std::vector<Pid> Context::children() const { return cell_.children(); }

SendStatus Context::forward(Pid to) {
    std::unique_ptr<Message> m = cell_.take_current(*this);
    if (!m) throw std::logic_error("forward(): no message to forward (outside a handler, or already forwarded)");
    cell_.count_sent();
    return detail::EngineAccess::core(engine_).send(to, std::move(m));
}

void Context::watch(Pid target) { cell_.watch(target); }
void Context::unwatch(Pid target) { cell_.unwatch(target); }

TimerHandle Context::schedule(Duration delay, Duration interval, Pid to, std::function<std::unique_ptr<Message>()> make) {
    auto timer = detail::EngineAccess::core(engine_).timer_user(delay, interval, to, std::move(make));
    cell_.own_timer(timer);
    return TimerHandle(std::move(timer));
}

void Context::enable_health_check(Duration interval, std::function<bool(Context&)> healthy) {
    cell_.enable_health_check(interval, std::move(healthy));
}
void Context::disable_health_check() { cell_.disable_health_check(); }

void Context::stop() { detail::EngineAccess::core(engine_).stop(self(), StopReason::requested, "stopped itself"); }
void Context::stop(Pid pid) { detail::EngineAccess::core(engine_).stop(pid, StopReason::requested, "stopped by " + cell_.name()); }

void Context::publish(std::string topic, std::string data) {
    publish_event(CustomEvent{self(), std::move(topic), std::move(data)});
}

void Context::publish_event(CustomEvent event) { detail::EngineAccess::core(engine_).events().publish(std::move(event)); }

}  // namespace actors
