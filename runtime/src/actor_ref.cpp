#include "actor_ref_access.hpp"

#include <utility>

#include "cell.hpp"
#include "engine_core.hpp"

namespace actors {

ActorRef::ActorRef(Pid pid, detail::Cell* adopted, std::shared_ptr<detail::EngineCore> core) noexcept
    : pid_(pid), cell_(adopted), core_(std::move(core)) {}

ActorRef::ActorRef(const ActorRef& o) noexcept : pid_(o.pid_), cell_(o.cell_), core_(o.core_) {
    if (cell_) cell_->retain();
}

ActorRef::ActorRef(ActorRef&& o) noexcept : pid_(o.pid_), cell_(std::exchange(o.cell_, nullptr)), core_(std::move(o.core_)) {}

ActorRef& ActorRef::operator=(ActorRef o) noexcept {
    std::swap(pid_, o.pid_);
    std::swap(cell_, o.cell_);
    std::swap(core_, o.core_);
    return *this;
}

ActorRef::~ActorRef() {
    // Before core_ goes: the last reference destroys the cell, which reports to its engine core.
    if (cell_) cell_->release();
}

namespace detail {

ActorRef ActorRefAccess::resolve(std::shared_ptr<EngineCore> core, Pid pid) {
    Ref<Cell> cell = core->find(pid);
    return ActorRef(pid, cell.detach(), std::move(core));
}

SendStatus ActorRefAccess::send(EngineCore& fallback, const ActorRef& to, std::unique_ptr<Message> m) {
    // A stopped actor's mailbox is not the place for new messages: the Pid's path decides what
    // they become (a dead letter naming the reason), exactly as without the ref.
    if (to.cell_ && to.cell_->state() != ActorState::stopped) return to.cell_->enqueue_user(std::move(m));
    return (to.core_ ? *to.core_ : fallback).send(to.pid_, std::move(m));
}

}  // namespace detail
}  // namespace actors
