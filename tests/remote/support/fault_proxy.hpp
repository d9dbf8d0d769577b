#pragma once
// A loopback TCP proxy for fault tests: forwards 127.0.0.1:port() to 127.0.0.1:target and, on
// command or by a seeded random draw, cuts connections (a hard reset, as a dying link does),
// stalls them (bytes held, sockets open: a frozen peer) and delays them. It runs one io thread
// of its own, holds at most max_connections at once, and stop() (or the destructor) closes
// everything and joins, so a failing test cannot leave it running.

#include <chrono>
#include <cstdint>
#include <memory>

namespace actors::remote::testing {

struct FaultProxyStats {
    std::uint64_t accepted = 0;         // client connections taken
    std::uint64_t refused = 0;          // closed at once: over max_connections, or upstream refused
    std::uint64_t cuts = 0;             // connections cut by a fault (not by stop(), not by either end)
    std::uint64_t bytes_forwarded = 0;  // both directions
    std::uint64_t chunks_delayed = 0;
    std::uint64_t open = 0;             // connections forwarding now
};

class FaultProxy {
public:
    explicit FaultProxy(std::uint16_t target_port, std::size_t max_connections = 256);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] std::uint16_t port() const;

    // Every command takes effect on the proxy's thread shortly after the call returns.
    void cut_all();
    // While on, bytes read from either side are held; on release they go out, in order.
    void stall(bool on);
    // Every chunk read waits this long before it is written (0: no delay).
    void set_delay(std::chrono::milliseconds per_chunk);
    // Each connection accepted from now on is cut after a number of forwarded bytes (both ways
    // together) drawn uniformly from [min_bytes, max_bytes] by a generator seeded with `seed`,
    // so a run can be repeated; the cut may fall inside a frame. max_bytes == 0 turns it off.
    void cut_randomly(std::uint64_t seed, std::size_t min_bytes, std::size_t max_bytes);

    [[nodiscard]] FaultProxyStats stats() const;
    void stop();  // idempotent

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace actors::remote::testing
