#pragma once
// One WebSocket connection of the Beast transport, over plain TCP or over TLS (NextLayer is
// beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>). Everything but wants_write(),
// close() and remote_address() runs on the connection's strand, so its state needs no lock.
//
// Lifetime: the pending asynchronous operation holds the connection (shared_from_this), and the
// transport's Tracker holds it until on_close has been delivered. The handler is released right
// after on_close, which breaks the handler -> connection -> handler cycle.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <spdlog/spdlog.h>

#include "static_files.hpp"

#include "remote/transport.hpp"
#include "tracker.hpp"

namespace actors::remote::beast_detail {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ws = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A listener's ways in: which handler a WebSocket request's path gets, and the folder plain
// HTTP GETs are served from.
struct Routes {
    std::function<std::shared_ptr<ConnectionHandler>()> accept;  // any path not in endpoints
    std::map<std::string, std::function<std::shared_ptr<ConnectionHandler>()>> endpoints;
    std::string static_root;
    std::map<std::string, StaticDocument> documents;
};

// What every connection needs from its transport.
struct Setup {
    std::shared_ptr<Tracker> tracker;
    std::shared_ptr<ConnectionHandler> handler;  // client side; a server side one comes from routes
    std::shared_ptr<const Routes> routes;        // server side
    std::size_t max_frame_bytes = 0;
    std::chrono::milliseconds handshake_timeout{};
    std::shared_ptr<net::ssl::context> tls;  // kept alive as long as the stream uses it
};

std::string endpoint_text(const tcp::endpoint& endpoint);
// A WebSocket close reason holds at most 123 bytes and must be valid UTF-8: cut at a
// character boundary.
std::string close_reason_text(const std::string& reason);
std::string describe_close_code(unsigned code);
bool is_ip_literal(const std::string& host);
// SNI (OpenSSL's macro for it is an old-style cast, so it lives in a .cpp of its own).
bool set_server_name(SSL* ssl, const std::string& host);

template <class NextLayer>
class WsConnection final : public Connection, public Tracked, public std::enable_shared_from_this<WsConnection<NextLayer>> {
    static constexpr bool tls = std::is_same_v<NextLayer, TlsStream>;

public:
    template <class... StreamArgs>
    explicit WsConnection(Setup setup, StreamArgs&&... stream_args)
        : setup_(std::move(setup)), handler_(setup_.handler), ws_(std::forward<StreamArgs>(stream_args)...),
          resolver_(ws_.get_executor()) {
        setup_.handler.reset();
    }

    void start_accepted() {
        net::dispatch(ws_.get_executor(), [self = this->shared_from_this()] { self->on_accepted(); });
    }

    void start_connect(Url url, bool verify_peer) {
        net::dispatch(ws_.get_executor(), [self = this->shared_from_this(), url = std::move(url), verify_peer]() mutable {
            self->url_ = std::move(url);
            self->verify_peer_ = verify_peer;
            self->resolve();
        });
    }

    void wants_write() override {
        if (pull_posted_.exchange(true)) return;  // a pull is already on its way
        net::post(ws_.get_executor(), [self = this->shared_from_this()] {
            self->pull_posted_ = false;
            self->pull();
        });
    }

    void close(std::string reason) override {
        net::post(ws_.get_executor(), [self = this->shared_from_this(), reason = std::move(reason)]() mutable {
            self->do_close(std::move(reason));
        });
    }

    [[nodiscard]] std::string remote_address() const override {
        std::lock_guard lock(remote_mutex_);
        return remote_;
    }

    void abandon(std::string reason) override { finish(close_requested_ ? local_reason_ : std::move(reason)); }

private:
    auto& lowest() { return beast::get_lowest_layer(ws_); }

    void set_remote(std::string text) {
        std::lock_guard lock(remote_mutex_);
        remote_ = std::move(text);
    }

    // --- server side ---
    void on_accepted() {
        beast::error_code ec;
        const auto peer = lowest().socket().remote_endpoint(ec);
        set_remote(ec ? std::string("unknown peer") : endpoint_text(peer));
        what_ = "accepting from " + remote_address();
        if (close_requested_) return finish(local_reason_);
        if constexpr (tls) {
            lowest().expires_after(setup_.handshake_timeout);
            ws_.next_layer().async_handshake(net::ssl::stream_base::server,
                                             [self = this->shared_from_this()](beast::error_code e) {
                                                 if (e) return self->fail_opening("TLS handshake", e);
                                                 self->read_request();
                                             });
        } else {
            read_request();
        }
    }

    // The HTTP request first: a WebSocket upgrade is routed by its path, anything else may be
    // a GET of the served folder.
    void read_request() {
        if (close_requested_) return finish(local_reason_);
        lowest().expires_after(setup_.handshake_timeout);
        request_.emplace();
        request_->header_limit(8 * 1024);
        request_->body_limit(64 * 1024);
        http::async_read(ws_.next_layer(), http_in_, *request_, [self = this->shared_from_this()](beast::error_code e, std::size_t) {
            if (e) return self->fail_opening("HTTP request", e);
            self->route();
        });
    }

    void route() {
        if (close_requested_) return finish(local_reason_);
        const auto& req = request_->get();
        if (!ws::is_upgrade(req)) return serve_http();
        const std::string target(req.target());
        const std::string path = target.substr(0, target.find('?'));
        const auto& routes = *setup_.routes;
        auto endpoint = routes.endpoints.find(path);
        handler_ = endpoint != routes.endpoints.end() ? endpoint->second() : routes.accept();
        if (!handler_) return finish(what_ + ": no handler for " + path);
        websocket_accept();
    }

    void websocket_accept() {
        if (close_requested_) return finish(local_reason_);
        lowest().expires_never();  // from here the WebSocket's own timeouts apply
        configure(beast::role_type::server);
        ws_.async_accept(request_->get(), [self = this->shared_from_this()](beast::error_code e) {
            if (e) return self->fail_opening("WebSocket handshake", e);
            self->opened();
        });
    }

    // A plain HTTP request: a file of the served folder, or an error status; then the
    // connection ends (no keep-alive: a page loads a handful of files).
    void serve_http() {
        const auto& req = request_->get();
        const auto& root = setup_.routes->static_root;
        auto text = [&](http::status status, std::string body) {
            auto res = std::make_shared<http::response<http::string_body>>(status, req.version());
            res->set(http::field::content_type, "text/plain; charset=utf-8");
            res->body() = std::move(body);
            write_response(std::move(res));
        };
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            return text(http::status::method_not_allowed, "only GET and HEAD are served here\n");
        const std::string_view target(req.target().data(), req.target().size());
        if (auto doc = setup_.routes->documents.find(std::string(target.substr(0, target.find_first_of("?#"))));
            doc != setup_.routes->documents.end()) {
            auto res = std::make_shared<http::response<http::string_body>>(http::status::ok, req.version());
            res->set(http::field::content_type, doc->second.content_type);
            res->set(http::field::cache_control, "no-store");
            res->body() = req.method() == http::verb::head ? std::string() : doc->second.body;
            if (req.method() == http::verb::head) {
                res->content_length(doc->second.body.size());
                return write_response(std::move(res), false);
            }
            return write_response(std::move(res));
        }
        std::optional<StaticFile> file;
        if (!root.empty()) file = resolve_static_file(root, target);
        if (!file) return text(http::status::not_found, "not found\n");
        http::file_body::value_type body;
        beast::error_code ec;
        body.open(file->path.c_str(), beast::file_mode::scan, ec);
        if (ec) return text(http::status::not_found, "not found\n");
        const auto size = body.size();
        if (req.method() == http::verb::head) {
            auto res = std::make_shared<http::response<http::empty_body>>(http::status::ok, req.version());
            res->set(http::field::content_type, file->content_type);
            res->content_length(size);
            return write_response(std::move(res), false);
        }
        auto res = std::make_shared<http::response<http::file_body>>(
            std::piecewise_construct, std::make_tuple(std::move(body)), std::make_tuple(http::status::ok, req.version()));
        res->set(http::field::content_type, file->content_type);
        res->set(http::field::cache_control, "no-cache");
        write_response(std::move(res));
    }

    template <class Body>
    void write_response(std::shared_ptr<http::response<Body>> res, bool prepare = true) {
        res->set(http::field::server, "actors");
        res->keep_alive(false);
        if (prepare) res->prepare_payload();
        http::async_write(ws_.next_layer(), *res, [self = this->shared_from_this(), res](beast::error_code, std::size_t) {
            self->end_http();
        });
    }

    void end_http() {
        if constexpr (tls) {
            ws_.next_layer().async_shutdown([self = this->shared_from_this()](beast::error_code) { self->finish("served over HTTP"); });
        } else {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
            finish("served over HTTP");
        }
    }

    // --- client side ---
    void resolve() {
        what_ = "connect to " + url_.to_string();
        if (close_requested_) return finish(local_reason_);
        resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                [self = this->shared_from_this()](beast::error_code e, tcp::resolver::results_type results) {
                                    if (e) return self->fail_opening("resolve", e);
                                    self->tcp_connect(results);
                                });
    }

    void tcp_connect(const tcp::resolver::results_type& results) {
        if (close_requested_) return finish(local_reason_);
        lowest().expires_after(setup_.handshake_timeout);
        lowest().async_connect(results, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint& peer) {
            if (e) return self->fail_opening("TCP", e);
            self->set_remote(endpoint_text(peer));
            self->tls_handshake();
        });
    }

    void tls_handshake() {
        if (close_requested_) return finish(local_reason_);
        if constexpr (tls) {
            auto& stream = ws_.next_layer();
            if (verify_peer_) {
                stream.set_verify_mode(net::ssl::verify_peer);
                stream.set_verify_callback(net::ssl::host_name_verification(url_.host));
            } else {
                stream.set_verify_mode(net::ssl::verify_none);
            }
            // SNI names hosts, never addresses (RFC 6066).
            if (!is_ip_literal(url_.host) && !set_server_name(stream.native_handle(), url_.host)) {
                return finish(what_ + ": cannot set the TLS server name");
            }
            lowest().expires_after(setup_.handshake_timeout);
            stream.async_handshake(net::ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code e) {
                if (e) return self->fail_opening("TLS handshake", e);
                self->websocket_handshake();
            });
        } else {
            websocket_handshake();
        }
    }

    void websocket_handshake() {
        if (close_requested_) return finish(local_reason_);
        lowest().expires_never();
        configure(beast::role_type::client);
        const std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
        ws_.async_handshake(host + ":" + std::to_string(url_.port), url_.path,
                            [self = this->shared_from_this()](beast::error_code e) {
                                if (e) return self->fail_opening("WebSocket handshake", e);
                                self->opened();
                            });
    }

    // --- both sides ---
    void configure(beast::role_type role) {
        auto timeouts = ws::stream_base::timeout::suggested(role);
        timeouts.handshake_timeout = setup_.handshake_timeout;
        ws_.set_option(timeouts);
        ws_.read_message_max(setup_.max_frame_bytes);
        ws_.auto_fragment(false);  // one frame per message: the protocol already batches
        ws_.binary(true);
    }

    void fail_opening(const char* step, const beast::error_code& e) {
        std::string why = close_requested_ ? local_reason_ : what_ + ": " + step + " failed: " + e.message();
        // An accepted connection that fails before it is routed has no handler to tell: the log
        // is where a failed TLS handshake or a bad request from a client shows.
        if (!handler_ && setup_.routes && !close_requested_) spdlog::warn("remote transport: {}", why);
        finish(std::move(why));
    }

    void opened() {
        if (close_requested_) return finish(local_reason_);
        open_ = true;
        handler_->on_open(this->shared_from_this());
        read();
        pull();
    }

    void read() {
        ws_.async_read(in_, [self = this->shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
    }

    void on_read(const beast::error_code& e) {
        if (e) return finish(read_failure(e));
        if (!ws_.got_binary()) {
            do_close("text frames are not spoken here; binary frames only");
        } else if (!close_requested_) {
            const auto data = in_.cdata();
            handler_->on_frame(ByteView(static_cast<const std::uint8_t*>(data.data()), data.size()));
        }
        in_.consume(in_.size());
        read();  // after a close, the read ends when the peer's close frame arrives
    }

    std::string read_failure(const beast::error_code& e) const {
        if (close_requested_) return local_reason_;
        if (e == ws::error::closed) {
            const auto& reason = ws_.reason();
            if (!reason.reason.empty()) return "closed by peer: " + std::string(reason.reason.c_str());
            return "closed by peer (" + describe_close_code(reason.code) + ")";
        }
        if (e == ws::error::message_too_big)
            return "a frame over the read limit of " + std::to_string(setup_.max_frame_bytes) + " bytes arrived";
        if (write_error_) return "write failed: " + *write_error_;
        return "connection lost: " + e.message();
    }

    void pull() {
        if (!open_ || writing_ || close_started_ || finished_) return;
        if (close_requested_) return start_close();
        std::optional<Bytes> frame = handler_->next_frame();
        if (!frame) return;
        out_ = std::move(*frame);
        writing_ = true;
        ws_.async_write(net::buffer(out_), [self = this->shared_from_this()](beast::error_code e, std::size_t) {
            self->on_write(e);
        });
    }

    void on_write(const beast::error_code& e) {
        writing_ = false;
        out_.clear();
        if (e) {
            if (!write_error_) write_error_ = e.message();
            beast::error_code ignored;
            lowest().socket().close(ignored);  // the pending read ends and reports
            return;
        }
        pull();
    }

    void do_close(std::string reason) {
        if (finished_ || close_requested_) return;
        close_requested_ = true;
        local_reason_ = std::move(reason);
        if (!open_) {
            // Still opening: stop whatever step is pending; its completion reports local_reason_.
            resolver_.cancel();
            beast::error_code ignored;
            lowest().socket().close(ignored);
            return;
        }
        if (!writing_) start_close();  // else on_write -> pull() starts it
    }

    void start_close() {
        if (close_started_) return;
        close_started_ = true;
        ws_.async_close(ws::close_reason(ws::close_code::normal, close_reason_text(local_reason_)),
                        [self = this->shared_from_this()](beast::error_code e) {
                            if (e) {
                                beast::error_code ignored;
                                self->lowest().socket().close(ignored);
                            }
                        });
    }

    void finish(std::string reason) {
        if (finished_) return;
        finished_ = true;
        auto handler = std::move(handler_);
        if (handler) handler->on_close(std::move(reason));
        setup_.tracker->remove(this);  // the caller holds a reference, so this survives the call
    }

    Setup setup_;
    std::shared_ptr<ConnectionHandler> handler_;
    ws::stream<NextLayer> ws_;
    tcp::resolver resolver_;
    beast::flat_buffer in_;
    beast::flat_buffer http_in_;
    std::optional<http::request_parser<http::empty_body>> request_;
    Bytes out_;
    Url url_;
    bool verify_peer_ = true;
    std::string what_;
    std::string local_reason_;
    std::optional<std::string> write_error_;
    bool open_ = false;
    bool writing_ = false;
    bool close_requested_ = false;
    bool close_started_ = false;
    bool finished_ = false;
    std::atomic<bool> pull_posted_{false};
    mutable std::mutex remote_mutex_;
    std::string remote_;
};

}  // namespace actors::remote::beast_detail
