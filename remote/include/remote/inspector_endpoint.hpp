#pragma once
// An engine's inspector on a listener: the WebSocket endpoint a dashboard in another process or
// a browser tab attaches to (inspector.hpp has the protocol). Off unless the program makes one;
// it rides on the listener the program chooses, which is loopback unless told otherwise.
//
//     actors::remote::InspectorEndpoint inspector(engine, {.name = "game", .protocol = {.control_token = "t"}});
//     actors::remote::ListenOptions listen;
//     listen.endpoints["/inspector"] = inspector.handler_factory();
//     listen.static_root = "build/wasm/dashboard";       // the dashboard page, same port
//     node.listen(listen);                               // ws://127.0.0.1:PORT/inspector
//
// Each connection gets its own InspectorServer; the engine is never slowed by one: the endpoint
// reads the engine's ring with a cursor per client, polled on an engine timer every
// `poll_interval` (no per-event callback on the publishing path), so a stalled client costs
// nothing but its window. Threading: connections are served on the transport's thread; the
// engine must outlive the endpoint, and the endpoint the transport's listeners.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "actors/engine.hpp"
#include "remote/inspector.hpp"
#include "remote/transport.hpp"

namespace actors::remote {

struct InspectorEndpointOptions {
    std::string name = "engine";  // what the dashboard's header shows
    InspectorOptions protocol;
    Duration poll_interval = std::chrono::milliseconds(20);
    // Runs fail / send / spawn_child (stop is built in). Without it those are answered
    // "not supported here". Called on the transport's thread.
    std::function<CommandResult(Engine&, const InspectorCommand&)> actions;
};

class InspectorEndpoint {
public:
    // Throws std::invalid_argument for bad options (InspectorOptions::validate, poll_interval <= 0).
    InspectorEndpoint(Engine& engine, InspectorEndpointOptions options);
    ~InspectorEndpoint();
    InspectorEndpoint(const InspectorEndpoint&) = delete;
    InspectorEndpoint& operator=(const InspectorEndpoint&) = delete;

    // For ListenOptions::endpoints: each call of the factory serves one connection.
    [[nodiscard]] std::function<std::shared_ptr<ConnectionHandler>()> handler_factory();
    [[nodiscard]] std::size_t connections() const;

    struct State;  // internal

private:
    std::shared_ptr<State> state_;
};

}  // namespace actors::remote
