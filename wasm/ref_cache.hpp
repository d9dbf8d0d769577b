#pragma once
// The page's sends resolve their target once: a send to a Pid looks the actor up in the engine's
// registry (a hash lookup and a reference count taken and given back), which was a tenth of what a
// message from JS to an actor cost. Pages send to few actors many times, so a small direct-mapped
// table of ActorRefs (actor_ref.hpp) by actor id holds the ones in use. A ref sends exactly as its
// Pid would (a stopped actor's messages become the same dead letters), so a stale entry is only
// memory: the stopped actor's cell, until another id takes its place or the engine goes.

#include <array>
#include <cstddef>

#include "actors/actors.hpp"

namespace actors::js {

class RefCache {
public:
    explicit RefCache(const Engine& engine) noexcept : engine_(engine) {}

    [[nodiscard]] const ActorRef& operator[](Pid to) {
        ActorRef& ref = refs_[static_cast<std::size_t>(to.id) % refs_.size()];
        if (!(ref.pid() == to) || !ref.resolved()) ref = engine_.resolve(to);
        return ref;
    }

private:
    const Engine& engine_;
    std::array<ActorRef, 64> refs_;
};

}  // namespace actors::js
