#pragma once
// Node: an engine plus a name, on the network. Pids of actors on other nodes are ordinary Pids:
// engine.send, engine.request<M>, ctx.request, ctx.forward, ctx.watch and replying to
// msg.sender() work across processes as they do locally. One link per pair of nodes, used in
// both directions (a node that does not listen still gets replies on the connection it opened).
//
//     actors::Engine engine;                          // the thread pool (see Threading below)
//     actors::remote::Node node(engine, {.name = "game", .token = "secret"});
//     node.listen({.port = 4100});                     // ws://127.0.0.1:4100
//     node.connect("ws://127.0.0.1:4200");             // to node "lobby" (Future of its name)
//     actors::Pid lobby = node.lookup("lobby", "matchmaker").get().value();  // on the other process
//     engine.send(lobby, FindMatch{...});
//
// Message types that cross are registered once, by a stable name (see registry.hpp).
//
// Transport: a Node constructed without one takes the process's default transport (see
// set_default_transport). Natively, linking actors::remote_native makes that Boost.Beast (ws://
// and wss://, one io thread per Node); the portable actors::remote has no default, so there
// (and in wasm) a Transport is passed in: today the in-memory one of the tests (a transport on
// the browser's WebSocket is not written yet).
//
// Threading: the transport calls the Node from its own thread (Beast: its io thread). The Node
// then delivers to local actors, arms engine timers, publishes events and completes Futures
// from that thread. On the thread-pool engine all of that is thread-safe: a continuation given
// to Future::then() and an event subscriber may run on the io thread (as they may on a worker
// or the timer thread), so keep them short. The cooperative engine runs actors, timers and
// continuations only on the one thread that drives it, so it needs a transport that calls its
// handlers on that thread too (the in-memory transport, pumped by the test; in the browser,
// one on the page's WebSocket would). The default (Beast) transport does not, so a Node on a cooperative engine without
// an explicit transport is refused with std::invalid_argument.
// Shut a Node down (or destroy it) from a thread of the program's, never from code the transport
// runs (an event subscriber or a continuation that ran on the io thread): shutdown waits for
// that thread. The engine must outlive the Node.

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
    // Protocol tunables; name and token are filled in, and the incarnation unless set here: 0
    // (the default) picks a random one per Node, as a process start should; a simulation sets
    // it so that a seed replays exactly (each Node of a process needs its own, never reused).
    SessionOptions session;
    // What a send does when the link's unacknowledged buffer (session.buffer_max_*) is full,
    // with the meaning the policies have for a full mailbox. The sender cannot see the remote
    // target's own policy, so it is chosen per node here:
    //   reject_sender  send() returns rejected, a request fails at once with mailbox_full, a
    //                  sending actor receives MailboxFull, a DeadLetter (mailbox_full) is published;
    //   drop_newest    send() returns dropped, a request fails with mailbox_full, a DeadLetter;
    //   drop_oldest    the message is queued and the oldest ones not yet written to the peer are
    //                  evicted (DeadLetter mailbox_full each, their requests fail); when every
    //                  buffered envelope was already written, the new one is dropped instead.
    OverflowPolicy link_overflow = OverflowPolicy::reject_sender;
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

// The transport a Node uses when none is given. One per process; actors::remote_native sets
// Boost.Beast (make_beast_transport() with its defaults) while the program starts. Each Node
// calls the factory once, so each gets a transport of its own. nullptr clears it.
using TransportFactory = std::shared_ptr<Transport> (*)();
void set_default_transport(TransportFactory factory) noexcept;
[[nodiscard]] TransportFactory default_transport() noexcept;

class Node {
public:
    // Without a transport, the default one (set_default_transport; natively Boost.Beast when
    // actors::remote_native is linked). Throws std::invalid_argument for a bad name or token,
    // when there is no transport at all, or for the default transport on a cooperative engine.
    Node(Engine& engine, NodeOptions options, std::shared_ptr<Transport> transport = nullptr);
    ~Node();  // graceful: flushes, closes links, detaches from the engine
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    std::uint16_t listen(const ListenOptions& options = {});
    // Connects in the background and keeps reconnecting; returns the peer's name once known
    // through the Future. A transient failure (refused TCP connect, network error, handshake
    // timeout) is retried with backoff and the Future waits. A refusal by the peer's handshake
    // that no retry cures (a wrong token, a protocol version it does not speak, this node's own
    // name; PROTOCOL.md 3) fails the Future with invalid_argument and the peer's close reason,
    // and the link stops dialling (call connect() again once the configuration is fixed). After
    // the first successful handshake the link reconnects whatever the reason.
    // connect() to the address of a link that disconnect() ended resumes that link.
    Future<std::string> connect(const std::string& url);

    // Stops dialling the named node, for a peer known to be gone (a cluster member that left),
    // which a link would otherwise redial forever. The connection open now (if any) still
    // serves until it closes, so what is in flight either way (a leaving peer's last replies)
    // still arrives; after that the link stays down as for any peer that does not come back:
    // what waits on it fails with node_down and its unacknowledged envelopes become dead letters
    // at the reconnect deadline. The link keeps its sequence numbers: a connection the peer opens
    // is still accepted on it, and connect() to the address it dialled resumes dialling, so a
    // peer that was not gone after all is neither replayed to twice nor has its envelopes
    // dropped as duplicates. False when no link to `node` has completed a handshake.
    bool disconnect(const std::string& node);

    // A named actor on a named node (Future fails with no_such_actor, or node_down).
    Future<Pid> lookup(const std::string& node, const std::string& actor_name);
    // Spawning on another node by kind. A kind is registered once per node, by name, with the
    // producer (and spawn options) that makes its actors; spawn_remote() asks the node `node` to
    // spawn one, named `name` ("" for none), and the Future gives its Pid. Fails with
    // invalid_argument naming the kind when the node has no such kind (or the name is taken
    // there), node_down when there is no link to `node` or it goes down before answering, or
    // when the link speaks protocol version 1 (which has no remote spawn). `node` may be this
    // node's own name: then the kind is spawned here.
    //     beta.register_kind("worker", actors::producer_of<Worker>());
    //     Pid w = alpha.spawn_remote("beta", "worker", "worker-1").get().value();
    // Registering a kind again replaces it (for later spawns).
    void register_kind(std::string kind, Producer producer, SpawnOptions options = {});
    Future<Pid> spawn_remote(const std::string& node, const std::string& kind, const std::string& name = {});

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
