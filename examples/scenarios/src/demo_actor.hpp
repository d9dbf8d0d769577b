#pragma once
// DemoActor: the base of every actor a scenario spawns. It answers the inspector's messages
// (Crash, Poke, SpawnChild) the same way everywhere and hands everything else to the scenario.
//
// Failing safely: an actor must not fail while it is still handing its restart stash (the
// messages that waited out its previous restart) to the new instance. The runtime on main then
// keeps the actor scheduled with nothing to do until the next restart delay ends, so a
// cooperative engine's run_until_idle() never returns (a busy spin on the thread pool); the fix
// is on the reliability branch (df56b12). So demo actors only fail on messages that cannot have
// come from that stash: a Crash is turned into a zero-delay timer message to itself, which arrives
// through the mailbox once the stash is delivered, and is dropped if the instance it was meant
// for has been replaced meanwhile.

#include <cstdint>
#include <string>

#include "actors/actor.hpp"
#include "actors/context.hpp"
#include "actors/message.hpp"

namespace actors::scenarios::detail {

// What a Crash becomes: handled (thrown) only by the incarnation that received the Crash.
struct CrashNow {
    std::string reason;
    std::uint32_t generation = 0;
};

class DemoActor : public Actor {
public:
    void receive(Context& ctx, Message& msg) final;

protected:
    // The scenario's own messages; lifecycle notifications arrive here too (most ignore them).
    virtual void handle(Context& ctx, Message& msg) = 0;

private:
    unsigned children_ = 0;
};

// What SpawnChild makes: no load of its own, but inspectable (and able to spawn) like any other.
class DemoChild final : public DemoActor {
protected:
    void handle(Context&, Message&) override {}
};

}  // namespace actors::scenarios::detail
