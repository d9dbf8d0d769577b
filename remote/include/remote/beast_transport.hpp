#pragma once
// The native Transport: WebSocket binary frames over TCP with Boost.Beast, ws:// and wss://
// (Beast's SSL stream over OpenSSL). Not available in the WebAssembly build, where the page's
// WebSocket plays this part.
//
// Its handlers run on its io thread(s); each connection has its own strand, so one connection's
// handler calls never overlap, while different connections may run in parallel when
// io_threads > 1.

#include <chrono>
#include <memory>

#include "remote/transport.hpp"

namespace actors::remote {

struct BeastTransportOptions {
    unsigned io_threads = 1;
    // Bounds the TCP connect, the TLS handshake and the WebSocket opening and closing
    // handshakes, so a peer that never answers cannot hold a connection (or shutdown) forever.
    std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10);
    // shutdown() waits this long for close handshakes before it cuts what is left.
    std::chrono::milliseconds shutdown_grace = std::chrono::seconds(3);
};

// Throws std::invalid_argument for io_threads == 0 or above 64.
std::shared_ptr<Transport> make_beast_transport(BeastTransportOptions options = {});

}  // namespace actors::remote
