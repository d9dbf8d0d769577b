#pragma once
// Transport: the thin socket side of a link. It moves whole binary frames (one WebSocket binary
// message each) and knows nothing of the protocol; the protocol lives in Session, which has no
// socket in it. Natively the transport is Boost.Beast (ws:// and wss://); in the browser it is
// the page's WebSocket. A Node owns one Transport and drives a Session per peer through it.
//
// Threading: a transport calls its handlers from its own thread(s) (natively: the io thread;
// in wasm: the page's one thread). Connection methods may be called from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace actors::remote {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "ws://host:port[/path]" or "wss://host:port[/path]". parse() refuses anything else with a
// message that says what was expected.
struct Url {
    bool tls = false;
    std::string host;
    std::uint16_t port = 0;
    std::string path = "/";

    static Url parse(const std::string& text);  // throws std::invalid_argument
    [[nodiscard]] std::string to_string() const;
};

class Connection {
public:
    virtual ~Connection() = default;
    // Writes are pulled, not pushed, so the writer coalesces: when no write is in flight the
    // connection calls its handler's next_frame() and writes what it returns, and after each
    // completed write it asks again, until next_frame() returns nothing. Cheap when a write is
    // already in flight. Thread-safe.
    virtual void wants_write() = 0;
    // Close with a reason (sent as the WebSocket close reason, at most 123 bytes). Idempotent,
    // thread-safe; on_close follows once.
    virtual void close(std::string reason) = 0;
    [[nodiscard]] virtual std::string remote_address() const = 0;
};

class ConnectionHandler {
public:
    virtual ~ConnectionHandler() = default;
    // The connection is open (for a client: the WebSocket handshake succeeded).
    virtual void on_open(std::shared_ptr<Connection> connection) = 0;
    // One whole binary frame. Frames over the transport's read limit never get here: the
    // transport closes the connection with a reason instead.
    virtual void on_frame(ByteView frame) = 0;
    // The next frame to write, or nothing when there is nothing to send now.
    virtual std::optional<Bytes> next_frame() = 0;
    // Closed (by either side, a failed connect, or an error), with the reason. Once per
    // connection; no call follows it.
    virtual void on_close(std::string reason) = 0;
};

struct StaticDocument {
    std::string content_type;  // "application/json"
    std::string body;
};

struct ListenOptions {
    std::string host = "127.0.0.1";  // loopback unless the user says otherwise
    std::uint16_t port = 0;          // 0: pick a free port; listen() returns the one bound
    // TLS (wss://): PEM files. Empty: plain ws://.
    std::string certificate_chain_file;
    std::string private_key_file;
    std::size_t max_frame_bytes = 16u << 20;
    // More WebSocket endpoints on the same port, by exact request path (e.g. "/inspector"): a
    // WebSocket request for one of these paths gets that factory's handler; any other path gets
    // listen()'s `accept`.
    std::map<std::string, std::function<std::shared_ptr<ConnectionHandler>()>> endpoints;
    // Plain HTTP GET (and HEAD) of the files under this folder, "/" being index.html: how a
    // node serves the dashboard page. Empty: every plain HTTP request is answered 404.
    std::string static_root;
    // Plain HTTP GET (and HEAD) of these exact paths (e.g. "/inspector.json", the page's
    // settings) answer with the document, before any file of static_root is looked at.
    std::map<std::string, StaticDocument> documents;
};

struct ConnectOptions {
    std::size_t max_frame_bytes = 16u << 20;
    // wss://: a PEM file of trusted certificates; empty means the system's default paths.
    std::string ca_file;
    bool verify_peer = true;
};

class Transport {
public:
    virtual ~Transport() = default;
    // Start accepting; each accepted connection gets a handler from `accept`. Returns the port
    // bound. Throws std::runtime_error with the OS's reason (address in use, ...).
    virtual std::uint16_t listen(const ListenOptions& options,
                                 std::function<std::shared_ptr<ConnectionHandler>()> accept) = 0;
    // Connect in the background; the outcome reaches `handler` (on_open, or on_close with why).
    virtual void connect(const Url& url, const ConnectOptions& options, std::shared_ptr<ConnectionHandler> handler) = 0;
    // Stop listening and close every connection; returns once no handler will be called again.
    virtual void shutdown() = 0;
};

}  // namespace actors::remote
