#include "remote/browser_transport.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/websocket.h>

#include <map>
#include <stdexcept>
#include <string>

namespace actors::remote {
namespace {

// RFC 6455 allows 123 bytes of close reason, and the browser's close() throws on more; cut at a
// character boundary.
std::string close_reason_text(std::string reason) {
    constexpr std::size_t limit = 123;
    if (reason.size() <= limit) return reason;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0u) == 0x80u) --cut;
    reason.resize(cut);
    return reason;
}

class BrowserConnection;

// What the transport and its connections share: the connections still open, so each stays
// alive while the browser may call it back (the callbacks carry a raw pointer).
struct Registry {
    std::map<EMSCRIPTEN_WEBSOCKET_T, std::shared_ptr<BrowserConnection>> live;
    bool shut_down = false;
};

class BrowserConnection final : public Connection, public std::enable_shared_from_this<BrowserConnection> {
public:
    BrowserConnection(EMSCRIPTEN_WEBSOCKET_T socket, std::string url, std::shared_ptr<ConnectionHandler> handler,
                      std::size_t max_frame_bytes, BrowserTransportOptions options, std::weak_ptr<Registry> registry)
        : socket_(socket), url_(std::move(url)), handler_(std::move(handler)), max_frame_bytes_(max_frame_bytes),
          options_(options), registry_(std::move(registry)) {}

    void subscribe() {
        emscripten_websocket_set_onopen_callback(socket_, this, &BrowserConnection::opened);
        emscripten_websocket_set_onmessage_callback(socket_, this, &BrowserConnection::message);
        emscripten_websocket_set_onclose_callback(socket_, this, &BrowserConnection::closed);
        // An error is always followed by a close event, which carries what there is to say; but
        // it needs a listener: under node the `ws` package throws an error nobody listens to.
        emscripten_websocket_set_onerror_callback(socket_, this, &BrowserConnection::errored);
    }

    void wants_write() override {
        if (!open_ || closing_ || finished_) return;
        if (writing_) {
            again_ = true;  // asked from inside next_frame(): the loop below pulls once more
            return;
        }
        writing_ = true;
        do {
            again_ = false;
            while (!closing_ && !finished_) {
                unsigned long long buffered = 0;
                emscripten_websocket_get_buffered_amount(socket_, &buffered);
                if (buffered > options_.max_buffered_bytes) {
                    arm_retry();
                    break;
                }
                std::optional<Bytes> frame = handler_->next_frame();
                if (!frame) break;
                emscripten_websocket_send_binary(socket_, frame->data(), static_cast<std::uint32_t>(frame->size()));
            }
        } while (again_ && !closing_ && !finished_);
        writing_ = false;
    }

    void close(std::string reason) override {
        if (closing_ || finished_) return;
        closing_ = true;
        reason_ = std::move(reason);
        // 1000: the only code below 3000 a page may send; the reason says why.
        emscripten_websocket_close(socket_, 1000, close_reason_text(reason_).c_str());
    }

    [[nodiscard]] std::string remote_address() const override { return url_; }

    // The end of this connection: no browser callback reaches it any more, its handler hears
    // on_close once, and the registry lets it go.
    void finish(const std::string& reason) {
        if (finished_) return;
        finished_ = true;
        auto self = shared_from_this();  // the registry's reference goes below
        if (retry_timer_ != 0) emscripten_clear_timeout(retry_timer_);
        // A no-op on a socket already closed; ends one the transport's shutdown cuts.
        emscripten_websocket_close(socket_, 1000, close_reason_text(reason).c_str());
        emscripten_websocket_delete(socket_);  // also drops the socket's callbacks
        if (auto registry = registry_.lock()) registry->live.erase(socket_);
        std::shared_ptr<ConnectionHandler> handler = std::move(handler_);
        handler->on_close(reason);
    }

private:
    static BrowserConnection& of(void* user) { return *static_cast<BrowserConnection*>(user); }

    static EM_BOOL opened(int, const EmscriptenWebSocketOpenEvent*, void* user) {
        auto self = of(user).shared_from_this();
        if (self->finished_) return EM_TRUE;
        self->open_ = true;
        self->handler_->on_open(self);
        return EM_TRUE;
    }

    static EM_BOOL message(int, const EmscriptenWebSocketMessageEvent* e, void* user) {
        auto self = of(user).shared_from_this();
        if (self->finished_ || self->closing_) return EM_TRUE;  // what arrives after close() is not read
        if (e->isText) {
            self->close("text frames are not spoken here: the protocol is binary");
        } else if (e->numBytes > self->max_frame_bytes_) {
            self->close("a frame of " + std::to_string(e->numBytes) + " bytes is over the limit of " +
                        std::to_string(self->max_frame_bytes_));
        } else {
            self->handler_->on_frame(ByteView(e->data, e->numBytes));
        }
        return EM_TRUE;
    }

    static EM_BOOL errored(int, const EmscriptenWebSocketErrorEvent*, void*) { return EM_TRUE; }

    static EM_BOOL closed(int, const EmscriptenWebSocketCloseEvent* e, void* user) {
        auto self = of(user).shared_from_this();
        std::string reason;
        if (self->closing_) reason = self->reason_;  // ours, as the native transport reports it
        else if (e->reason[0] != '\0') reason = e->reason;  // the peer's
        else if (self->open_) reason = "connection closed (close code " + std::to_string(e->code) + ")";
        // The browser says no more than this about a failed connect, on purpose.
        else reason = "could not connect to " + self->url_ + " (close code " + std::to_string(e->code) + ")";
        self->finish(reason);
        return EM_TRUE;
    }

    void arm_retry() {
        if (retry_timer_ != 0) return;
        retry_timer_ = emscripten_set_timeout(&BrowserConnection::retry, options_.retry_write_ms, this);
    }

    static void retry(void* user) {
        auto self = of(user).shared_from_this();
        self->retry_timer_ = 0;
        self->wants_write();
    }

    EMSCRIPTEN_WEBSOCKET_T socket_;
    std::string url_;
    std::shared_ptr<ConnectionHandler> handler_;
    std::size_t max_frame_bytes_;
    BrowserTransportOptions options_;
    std::weak_ptr<Registry> registry_;
    bool open_ = false, closing_ = false, finished_ = false, writing_ = false, again_ = false;
    long retry_timer_ = 0;
    std::string reason_;
};

class BrowserTransport final : public Transport {
public:
    explicit BrowserTransport(BrowserTransportOptions options) : options_(options) {}
    ~BrowserTransport() override { shutdown(); }

    std::uint16_t listen(const ListenOptions&, std::function<std::shared_ptr<ConnectionHandler>()>) override {
        throw std::runtime_error("listen: a browser page cannot accept connections; connect to a node instead");
    }

    void connect(const Url& url, const ConnectOptions& options, std::shared_ptr<ConnectionHandler> handler) override {
        if (!handler) throw std::invalid_argument("connect: no handler");
        const std::string text = url.to_string();
        if (registry_->shut_down) return handler->on_close("transport is shut down");
        if (!emscripten_websocket_is_supported()) return handler->on_close("this browser has no WebSocket");
        EmscriptenWebSocketCreateAttributes attributes;
        emscripten_websocket_init_create_attributes(&attributes);
        attributes.url = text.c_str();
        attributes.protocols = nullptr;
        attributes.createOnMainThread = EM_TRUE;
        const EMSCRIPTEN_WEBSOCKET_T socket = emscripten_websocket_new(&attributes);
        // The browser refuses some URLs at once (a port it blocks, a malformed host).
        if (socket <= 0) return handler->on_close("the browser refused to open " + text);
        // wss:// is verified by the browser against its own trust store; options.ca_file and
        // verify_peer have no say here.
        auto connection = std::make_shared<BrowserConnection>(socket, text, std::move(handler), options.max_frame_bytes,
                                                              options_, registry_);
        registry_->live.emplace(socket, connection);
        connection->subscribe();
    }

    void shutdown() override {
        registry_->shut_down = true;
        while (!registry_->live.empty()) {
            auto connection = registry_->live.begin()->second;
            connection->finish("transport shut down");
        }
    }

private:
    BrowserTransportOptions options_;
    std::shared_ptr<Registry> registry_ = std::make_shared<Registry>();
};

}  // namespace

std::shared_ptr<Transport> make_browser_transport(BrowserTransportOptions options) {
    return std::make_shared<BrowserTransport>(options);
}

}  // namespace actors::remote
