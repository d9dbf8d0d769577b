#include "rooted_scenario.hpp"

#include <deque>
#include <stdexcept>

#include "scenarios/inspector.hpp"

namespace actors::scenarios::detail {

namespace {

bool live(ActorState s) noexcept { return s != ActorState::stopping && s != ActorState::stopped; }

std::string_view leaf_of(std::string_view path) noexcept {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

void RootedScenario::start(Engine& engine) {
    if (root_ && engine.alive(root_))
        throw std::logic_error("scenario " + info_.name + " is already running; stop() it before starting it again");
    // A previous run of the same scenario may still be stopping (thread pool) and hold the name.
    root_name_ = info_.name;
    for (int n = 2; engine.lookup(root_name_); ++n) root_name_ = info_.name + "-" + std::to_string(n);
    rng_ = Rng(engine.config().random_seed ^ hash_name(info_.name));
    root_ = engine.spawn(root_name_, root_producer(), root_options(engine));
}

Future<Pid> RootedScenario::spawn(Engine& engine) {
    require_started();
    return engine.request(root_, AddMember{});
}

std::optional<Pid> RootedScenario::crash(Engine& engine, std::optional<Pid> target) {
    require_started();
    if (!target) {
        auto candidates = members(engine, [this](std::string_view leaf) { return crashable(leaf); });
        if (candidates.empty()) return std::nullopt;
        target = candidates[rng_.below(candidates.size())];
    }
    if (inject_failure(engine, *target, "crash button") != SendStatus::delivered) return std::nullopt;
    return target;
}

void RootedScenario::stop(Engine& engine) {
    if (root_) engine.stop(root_);
    root_ = {};
}

void RootedScenario::require_started() const {
    if (!root_) throw std::logic_error("scenario " + info_.name + " is not running: start() it first");
}

std::optional<Pid> RootedScenario::find(const Engine& engine, std::string_view path) const {
    require_started();
    auto pid = engine.lookup(root_name_ + "/" + std::string(path));
    if (!pid || !engine.alive(*pid)) return std::nullopt;
    return pid;
}

std::vector<Pid> RootedScenario::members(const Engine& engine, const std::function<bool(std::string_view)>& keep) const {
    require_started();
    std::vector<Pid> out;
    std::deque<Pid> todo{root_};
    while (!todo.empty()) {
        auto info = engine.info(todo.front());
        todo.pop_front();
        if (!info || !live(info->state)) continue;
        if (!info->pid.same_actor(root_) && keep(leaf_of(info->name))) out.push_back(info->pid);
        todo.insert(todo.end(), info->children.begin(), info->children.end());
    }
    return out;
}

}  // namespace actors::scenarios::detail
