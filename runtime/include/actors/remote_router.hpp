#pragma once
// RemoteRouter: the one seam through which an engine reaches actors that are not its own. The
// core has no network code: when a send, a request or a watch names a Pid whose node is neither
// this engine nor another local engine, the engine hands it to the router attached with
// Engine::attach_router (actors::remote::Node is one). Without a router such Pids dead-letter
// as before (no_such_actor).
//
// Node ids: every engine in a process takes a distinct id from one counter; a router takes its
// aliases for remote nodes from the same counter (allocate_node_id), so an alias never collides
// with a local engine.

#include <cstdint>
#include <memory>

#include <vector>

#include "actors/message.hpp"
#include "actors/send_status.hpp"
#include "actors/snapshot.hpp"

namespace actors {

class RemoteRouter {
public:
    virtual ~RemoteRouter() = default;
    // Whether `node` is one of this router's aliases (checked before anything is handed over).
    [[nodiscard]] virtual bool routes(std::uint32_t node) const noexcept = 0;
    // Takes a message for `to` (whose node it routes). A request carries its answer channel
    // inside the message (detail::MessageAccess::reply); the router completes or fails it.
    // Whatever is not sent on becomes a DeadLetter event published by the router.
    virtual SendStatus send(Pid to, std::unique_ptr<Message> msg) = 0;
    // A local `watcher` watches a remote `target`: a Terminated reaches the watcher when the
    // target stops or its node goes down (reason node_down).
    virtual void watch(Pid watcher, Pid target) = 0;
    virtual void unwatch(Pid watcher, Pid target) = 0;
    // Its links now, for Engine::snapshot() and the stats samples. Called from any thread (a
    // timer's, an observer's), never from inside send/watch.
    [[nodiscard]] virtual std::vector<LinkStats> link_stats() const { return {}; }
};

// A node id no engine or other router in this process uses.
[[nodiscard]] std::uint32_t allocate_node_id() noexcept;

}  // namespace actors
