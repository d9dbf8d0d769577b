#pragma once
// ActorRefAccess: how the runtime makes an ActorRef and sends through one (its members are
// private so users only ever get refs from Engine::resolve and Context::resolve).

#include <memory>

#include "actors/actor_ref.hpp"
#include "actors/message.hpp"
#include "actors/send_status.hpp"

namespace actors::detail {

class EngineCore;

struct ActorRefAccess {
    [[nodiscard]] static ActorRef resolve(std::shared_ptr<EngineCore> core, Pid pid);
    // `fallback`: the engine a default-constructed ref (no engine of its own) sends through.
    static SendStatus send(EngineCore& fallback, const ActorRef& to, std::unique_ptr<Message> m);
};

}  // namespace actors::detail
