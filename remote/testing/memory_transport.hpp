#pragma once
// An in-memory Transport: a real implementation of transport.hpp whose connections are pairs of
// queues inside one process, for tests of whole Nodes without sockets (and in wasm). Transports
// made from one MemoryNetwork reach each other by the host:port they listen on.
//
// Frames are handed over by one pump at a time per network, in order per direction and never
// re-entrantly: a handler that writes while it receives only queues, and the pump continues.
// cut() closes every open connection at once (both sides see on_close), for fault tests;
// set_reachable(false) makes new connects fail until it is set back; set_held(true) stalls the
// wire, so frames are in flight when a cut comes.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "remote/transport.hpp"

namespace actors::remote::testing {

class MemoryConnection;

class MemoryNetwork : public std::enable_shared_from_this<MemoryNetwork> {
public:
    static std::shared_ptr<MemoryNetwork> make() { return std::shared_ptr<MemoryNetwork>(new MemoryNetwork()); }

    void cut(const std::string& reason = "cut by the test");
    void set_reachable(bool reachable);
    // While held, frames stay queued on their connection (a stalled wire); a cut then loses them.
    void set_held(bool held);
    [[nodiscard]] std::size_t open_connections() const;

    // Internal to the transports of this network.
    using Accept = std::function<std::shared_ptr<ConnectionHandler>()>;
    std::uint16_t bind(const std::string& host, std::uint16_t port, Accept accept, const void* owner);
    void unbind(const void* owner);
    void connect(const Url& url, std::shared_ptr<ConnectionHandler> handler, const void* owner);
    void close_owned_by(const void* owner);
    void wants_write(const std::shared_ptr<MemoryConnection>& c);
    void close(const std::shared_ptr<MemoryConnection>& c, const std::string& reason);

private:
    MemoryNetwork() = default;
    void pump();

    mutable std::mutex mutex_;
    std::map<std::string, std::pair<Accept, const void*>> listeners_;
    std::vector<std::weak_ptr<MemoryConnection>> connections_;
    std::deque<std::shared_ptr<MemoryConnection>> ready_;  // want to write
    std::deque<std::function<void()>> calls_;              // handler calls to make, in order
    bool pumping_ = false;
    bool reachable_ = true;
    bool held_ = false;
    std::uint16_t next_port_ = 40000;
};

class MemoryTransport final : public Transport {
public:
    explicit MemoryTransport(std::shared_ptr<MemoryNetwork> network) : network_(std::move(network)) {}
    ~MemoryTransport() override { shutdown(); }

    std::uint16_t listen(const ListenOptions& options, std::function<std::shared_ptr<ConnectionHandler>()> accept) override;
    void connect(const Url& url, const ConnectOptions& options, std::shared_ptr<ConnectionHandler> handler) override;
    void shutdown() override;

private:
    std::shared_ptr<MemoryNetwork> network_;
    // As a socket transport does: after shutdown() a connect is refused, so a reconnect timer
    // racing the shutdown cannot open a connection nobody will close.
    std::atomic<bool> stopped_{false};
};

}  // namespace actors::remote::testing
