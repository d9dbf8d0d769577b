#pragma once
// Node: an engine plus a name, on the network. Pids of actors on other nodes are ordinary Pids:
// engine.send, engine.request<M>, ctx.request, ctx.forward, ctx.watch and replying to
// msg.sender() work across processes as they do locally. One link per pair of nodes, used in
// both directions (a node that does not listen still gets replies on the connection it opened).
//
//     actors::Engine engine;
//     actors::remote::Node node(engine, {.name = "game", .token = "secret"});
//     node.listen({.port = 4100});                     // ws://127.0.0.1:4100
//     node.connect("ws://127.0.0.1:4200");             // to node "lobby"
//     auto lobby = node.lookup("lobby", "matchmaker").get();  // Pid on the other process
//     engine.send(*lobby, FindMatch{...});
//
// Message types that cross are registered once, by a stable name (see registry.hpp).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/engine.hpp"
#include "actors/future.hpp"
#include "actors/pid.hpp"
#include "remote/session.hpp"
#include "remote/transport.hpp"

namespace actors::remote {

struct NodeOptions {
    std::string name;                 // required; unique in the deployment
    std::string token;                // required unless require_token is false
    bool require_token = true;
    SessionOptions session;           // protocol tunables (name, incarnation, token filled in)
    // Automatic reconnection after a lost connection: exponential backoff with full jitter.
    Duration reconnect_initial = std::chrono::milliseconds(50);
    Duration reconnect_max = std::chrono::seconds(2);
    ConnectOptions connect;
};

struct LinkInfo {
    std::string peer;                 // the peer node's name
    std::uint64_t peer_incarnation = 0;
    bool connected = false;
    LinkCounters counters;
};

class Node {
public:
    // Natively the transport defaults to Boost.Beast; tests pass an in-memory one.
    Node(Engine& engine, NodeOptions options, std::shared_ptr<Transport> transport = nullptr);
    ~Node();  // graceful: flushes, closes links, detaches from the engine
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    std::uint16_t listen(const ListenOptions& options = {});
    // Connects in the background and keeps reconnecting; returns the peer's name once known
    // through the Future.
    Future<std::string> connect(const std::string& url);

    // A named actor on a named node (Future fails with no_such_actor, or node_down).
    Future<Pid> lookup(const std::string& node, const std::string& actor_name);
    // The Pid of a remote node's actor by id (no round trip), or nullopt for an unknown node.
    [[nodiscard]] std::optional<Pid> remote_pid(const std::string& node, std::uint64_t id, std::uint32_t generation = 0) const;
    // Which node a Pid lives on ("" for this one, nullopt if unknown).
    [[nodiscard]] std::optional<std::string> node_of(Pid pid) const;

    [[nodiscard]] const std::string& name() const noexcept;
    [[nodiscard]] std::uint64_t incarnation() const noexcept;
    [[nodiscard]] std::vector<LinkInfo> links() const;
    void shutdown();

    struct Impl;  // internal (remote/src/node.cpp); named here so its link objects can refer to it

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace actors::remote
