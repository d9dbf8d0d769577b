#pragma once
// ActorRef: a Pid resolved once to its actor (Engine::resolve), as CAF's `actor` handle is. A send
// to a Pid looks the actor up in the engine's registry (a shard lock, a hash lookup and a
// reference count taken and given back); a send through an ActorRef goes straight to the mailbox.
// What happens to the message is the same either way: once the actor has stopped (or when the
// Pid was not a live local actor), a send through the ref takes the Pid's path, so it becomes
// the same dead letter (or goes to the remote router) as a send to the Pid would.
//
// Holding a ref keeps the actor's memory (not the actor: it stops as it would) and its engine's
// internals alive, so a ref may outlive both the actor and the Engine. Copying one costs two
// atomic increments; sending through one costs none of them.

#include <memory>

#include "actors/pid.hpp"

namespace actors {

class Engine;
class Context;
namespace detail {
class Cell;
class EngineCore;
struct ActorRefAccess;
}  // namespace detail

class ActorRef {
public:
    ActorRef() noexcept = default;
    ActorRef(const ActorRef& o) noexcept;
    ActorRef(ActorRef&& o) noexcept;
    ActorRef& operator=(ActorRef o) noexcept;
    ~ActorRef();

    [[nodiscard]] const Pid& pid() const noexcept { return pid_; }
    // Resolved to a live local actor when it was made (it may have stopped since).
    [[nodiscard]] bool resolved() const noexcept { return cell_ != nullptr; }

    friend bool operator==(const ActorRef& a, const ActorRef& b) noexcept { return a.pid_ == b.pid_; }

private:
    friend struct detail::ActorRefAccess;
    ActorRef(Pid pid, detail::Cell* adopted, std::shared_ptr<detail::EngineCore> core) noexcept;

    Pid pid_;
    detail::Cell* cell_ = nullptr;  // one reference held
    std::shared_ptr<detail::EngineCore> core_;  // outlives cell_: the cell's destructor reports to it
};

}  // namespace actors
