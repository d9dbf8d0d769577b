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
//
// Per link, for simulations of many nodes: a transport made with a name is one end of links to
// the other named transports. partition(a, b) is a silent partition between the two (frames
// written either way stay on the wire, undelivered, and a new connect between them fails as an
// unreachable network does), heal(a, b) ends it (frames still on an open connection arrive, in
// order, as TCP would retransmit them); a close is seen by both ends at once, as a reset is.
// set_delay(a, b, d) makes frames between them arrive d after they were written, in order per
// direction (so requests and replies cross in flight); delays need a clock (set_clock) and
// deliver_due() after the clock moved. Without names, clock or rules the network behaves as
// before: every frame arrives at once.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/clock.hpp"
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

    // Links between named transports (see above). Names are the ones given to MemoryTransport.
    void partition(const std::string& a, const std::string& b);
    void heal(const std::string& a, const std::string& b);
    void heal_all();  // every partition ends; delays stay
    void set_delay(const std::string& a, const std::string& b, Duration delay);
    [[nodiscard]] bool partitioned(const std::string& a, const std::string& b) const;
    void set_clock(std::shared_ptr<const Clock> clock);
    // Hands over the frames whose delay has passed on the clock (call after advancing it).
    void deliver_due();
    // Connects attempted from the transport named `from` (refused or not), for tests of dialling.
    [[nodiscard]] std::uint64_t connects_from(const std::string& from) const;

    // Internal to the transports of this network.
    using Accept = std::function<std::shared_ptr<ConnectionHandler>()>;
    std::uint16_t bind(const std::string& host, std::uint16_t port, Accept accept, const void* owner, std::string name = {});
    void unbind(const void* owner);
    void connect(const Url& url, std::shared_ptr<ConnectionHandler> handler, const void* owner, const std::string& name = {});
    void close_owned_by(const void* owner);
    void wants_write(const std::shared_ptr<MemoryConnection>& c);
    void close(const std::shared_ptr<MemoryConnection>& c, const std::string& reason);

private:
    MemoryNetwork() = default;
    void pump();
    struct Rule {
        bool cut = false;
        Duration delay{};
    };
    // Under the mutex.
    [[nodiscard]] const Rule* rule(const std::string& a, const std::string& b) const;
    [[nodiscard]] TimePoint now() const { return clock_ ? clock_->now() : TimePoint{}; }
    void flush(const std::shared_ptr<MemoryConnection>& c);  // due frames of c to its peer
    void flush_all();

    struct Listener {
        Accept accept;
        const void* owner = nullptr;
        std::string name;
    };
    mutable std::mutex mutex_;
    std::map<std::string, Listener> listeners_;
    std::map<std::pair<std::string, std::string>, Rule> rules_;  // by the two names, sorted
    std::map<std::string, std::uint64_t> connects_;
    std::shared_ptr<const Clock> clock_;
    std::size_t on_wire_ = 0;  // frames written and not yet handed over, on every connection
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
    // `name`: this end of the network's links (partition, set_delay); empty: no rules apply.
    explicit MemoryTransport(std::shared_ptr<MemoryNetwork> network, std::string name = {})
        : network_(std::move(network)), name_(std::move(name)) {}
    ~MemoryTransport() override { shutdown(); }

    std::uint16_t listen(const ListenOptions& options, std::function<std::shared_ptr<ConnectionHandler>()> accept) override;
    void connect(const Url& url, const ConnectOptions& options, std::shared_ptr<ConnectionHandler> handler) override;
    void shutdown() override;

private:
    std::shared_ptr<MemoryNetwork> network_;
    std::string name_;
    // As a socket transport does: after shutdown() a connect is refused, so a reconnect timer
    // racing the shutdown cannot open a connection nobody will close.
    std::atomic<bool> stopped_{false};
};

}  // namespace actors::remote::testing
