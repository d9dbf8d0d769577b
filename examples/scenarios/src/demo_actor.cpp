#include "demo_actor.hpp"

#include <stdexcept>
#include <string>

#include "scenarios/messages.hpp"

namespace actors::scenarios::detail {

void DemoActor::receive(Context& ctx, Message& msg) {
    const bool handled = msg.visit(
        [&](const Crash& c) {
            ctx.send_after(Duration::zero(), ctx.self(), CrashNow{c.reason.empty() ? "crash requested" : c.reason, ctx.self().generation});
        },
        [&](const CrashNow& c) -> void {
            if (c.generation == ctx.self().generation) throw std::runtime_error(c.reason);
        },
        [](const Poke&) {},
        // Numbered per instance: a restart stops the children first, so the names are free again.
        [&](const SpawnChild&) { return ctx.spawn<DemoChild>("child-" + std::to_string(++children_)); });
    if (!handled) handle(ctx, msg);
}

}  // namespace actors::scenarios::detail
