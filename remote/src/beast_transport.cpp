#include "remote/beast_transport.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "tracker.hpp"
#include "ws_connection.hpp"

namespace actors::remote {
namespace beast_detail {

std::string endpoint_text(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

std::string close_reason_text(const std::string& reason) {
    constexpr std::size_t limit = 123;  // RFC 6455: a control frame's payload is at most 125 bytes, 2 of them the code
    if (reason.size() <= limit) return reason;
    std::size_t cut = limit;
    // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0u) == 0x80u) --cut;
    return reason.substr(0, cut);
}

std::string describe_close_code(unsigned code) {
    std::string text = "close code " + std::to_string(code);
    switch (code) {
        case ws::close_code::normal: return text + ": normal";
        case ws::close_code::going_away: return text + ": going away";
        case ws::close_code::protocol_error: return text + ": protocol error";
        case ws::close_code::unknown_data: return text + ": unsupported data";
        case ws::close_code::bad_payload: return text + ": invalid payload";
        case ws::close_code::policy_error: return text + ": policy violation";
        case ws::close_code::too_big: return text + ": frame too big for the peer's read limit";
        case ws::close_code::internal_error: return text + ": internal error";
        default: return text;
    }
}

bool is_ip_literal(const std::string& host) {
    beast::error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

bool set_server_name(SSL* ssl, const std::string& host) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
    return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1;
#pragma GCC diagnostic pop
}

namespace {

std::shared_ptr<net::ssl::context> server_tls(const ListenOptions& options) {
    if (options.certificate_chain_file.empty() != options.private_key_file.empty())
        throw std::invalid_argument("listen: TLS needs both certificate_chain_file and private_key_file");
    if (options.certificate_chain_file.empty()) return nullptr;
    auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
    context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    context->use_certificate_chain_file(options.certificate_chain_file, ec);
    if (ec) throw std::runtime_error("listen: certificate chain '" + options.certificate_chain_file + "': " + ec.message());
    context->use_private_key_file(options.private_key_file, net::ssl::context::pem, ec);
    if (ec) throw std::runtime_error("listen: private key '" + options.private_key_file + "': " + ec.message());
    return context;
}

// Empty string and a context, or the reason the context could not be made.
std::string client_tls(const ConnectOptions& options, std::shared_ptr<net::ssl::context>& out) {
    auto context = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
    context->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    if (options.verify_peer) {
        beast::error_code ec;
        if (options.ca_file.empty()) {
            context->set_default_verify_paths(ec);
            if (ec) return "TLS: the system's trusted certificates: " + ec.message();
        } else {
            context->load_verify_file(options.ca_file, ec);
            if (ec) return "TLS: trusted certificates '" + options.ca_file + "': " + ec.message();
        }
    }
    out = std::move(context);
    return {};
}

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(net::io_context& io, tcp::acceptor acceptor, std::shared_ptr<net::ssl::context> tls, ListenOptions options,
             std::function<std::shared_ptr<ConnectionHandler>()> accept, std::shared_ptr<Tracker> tracker,
             std::chrono::milliseconds handshake_timeout)
        : io_(io), acceptor_(std::move(acceptor)), retry_(acceptor_.get_executor()), tls_(std::move(tls)),
          options_(std::move(options)), tracker_(std::move(tracker)), handshake_timeout_(handshake_timeout) {
        auto routes = std::make_shared<Routes>();
        routes->accept = std::move(accept);
        routes->endpoints = options_.endpoints;
        routes->static_root = options_.static_root;
        routes->documents = options_.documents;
        routes_ = std::move(routes);
    }

    void start() {
        net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept_next(); });
    }

    void stop() {
        net::post(acceptor_.get_executor(), [self = shared_from_this()] {
            self->stopped_ = true;
            beast::error_code ignored;
            self->acceptor_.close(ignored);
            self->retry_.cancel();
        });
    }

private:
    void accept_next() {
        if (stopped_) return;
        acceptor_.async_accept(net::make_strand(io_), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            self->on_accept(ec, std::move(socket));
        });
    }

    void on_accept(const beast::error_code& ec, tcp::socket socket) {
        if (stopped_) return;
        if (ec) {
            // Out of descriptors and the like: say so once per failure and try again shortly,
            // rather than spinning on an error that will not clear at once.
            spdlog::warn("remote transport: accept failed: {}", ec.message());
            retry_.expires_after(std::chrono::milliseconds(100));
            retry_.async_wait([self = shared_from_this()](beast::error_code e) {
                if (!e) self->accept_next();
            });
            return;
        }
        {
            // The handler comes once the request's path is known (Routes).
            Setup setup{tracker_, nullptr, routes_, options_.max_frame_bytes, handshake_timeout_, tls_};
            if (tls_) {
                auto connection = std::make_shared<WsConnection<TlsStream>>(std::move(setup), std::move(socket), *tls_);
                if (tracker_->add(connection)) connection->start_accepted();
                else connection->abandon("transport is shutting down");
            } else {
                auto connection = std::make_shared<WsConnection<beast::tcp_stream>>(std::move(setup), std::move(socket));
                if (tracker_->add(connection)) connection->start_accepted();
                else connection->abandon("transport is shutting down");
            }
        }
        accept_next();
    }

    net::io_context& io_;
    tcp::acceptor acceptor_;
    net::steady_timer retry_;
    std::shared_ptr<net::ssl::context> tls_;
    ListenOptions options_;
    std::shared_ptr<const Routes> routes_;
    std::shared_ptr<Tracker> tracker_;
    std::chrono::milliseconds handshake_timeout_;
    bool stopped_ = false;
};

class BeastTransport final : public Transport {
public:
    explicit BeastTransport(BeastTransportOptions options)
        : options_(options), io_(static_cast<int>(options.io_threads)), work_(net::make_work_guard(io_)),
          tracker_(std::make_shared<Tracker>()) {
        threads_.reserve(options_.io_threads);
        for (unsigned i = 0; i < options_.io_threads; ++i) {
            threads_.emplace_back([this] { run(); });
            thread_ids_.push_back(threads_.back().get_id());
        }
    }

    ~BeastTransport() override {
        if (on_io_thread()) {
            // Joining itself is impossible and leaving would destroy the io_context under a
            // running thread; either is worse than saying so and stopping.
            spdlog::critical("remote transport: destroyed on its own io thread; keep the last reference elsewhere");
            std::terminate();
        }
        shutdown();
    }

    std::uint16_t listen(const ListenOptions& options, std::function<std::shared_ptr<ConnectionHandler>()> accept) override {
        if (!accept) throw std::invalid_argument("listen: no accept function");
        if (options.max_frame_bytes == 0) throw std::invalid_argument("listen: max_frame_bytes must be > 0");
        auto tls = server_tls(options);

        beast::error_code ec;
        tcp::resolver resolver(io_);
        const auto found = resolver.resolve(options.host, std::to_string(options.port),
                                            tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (ec || found.empty())
            throw std::runtime_error("listen: cannot resolve '" + options.host + "': " + (ec ? ec.message() : "no address"));
        const tcp::endpoint endpoint = found.begin()->endpoint();

        tcp::acceptor acceptor(net::make_strand(io_));
        const auto where = "listen on " + endpoint_text(endpoint) + ": ";
        acceptor.open(endpoint.protocol(), ec);
        if (ec) throw std::runtime_error(where + ec.message());
        acceptor.set_option(net::socket_base::reuse_address(true), ec);
        if (ec) throw std::runtime_error(where + ec.message());
        acceptor.bind(endpoint, ec);
        if (ec) throw std::runtime_error(where + ec.message());
        acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (ec) throw std::runtime_error(where + ec.message());
        const std::uint16_t port = acceptor.local_endpoint().port();

        std::lock_guard lock(mutex_);
        if (shut_) throw std::runtime_error("listen: the transport is shut down");
        auto listener = std::make_shared<Listener>(io_, std::move(acceptor), std::move(tls), options, std::move(accept),
                                                   tracker_, options_.handshake_timeout);
        listeners_.push_back(listener);
        listener->start();
        return port;
    }

    void connect(const Url& url, const ConnectOptions& options, std::shared_ptr<ConnectionHandler> handler) override {
        if (!handler) throw std::invalid_argument("connect: no handler");
        if (options.max_frame_bytes == 0) throw std::invalid_argument("connect: max_frame_bytes must be > 0");
        Setup setup{tracker_, handler, nullptr, options.max_frame_bytes, options_.handshake_timeout, nullptr};
        if (url.tls) {
            std::shared_ptr<net::ssl::context> context;
            if (auto why = client_tls(options, context); !why.empty()) {
                handler->on_close("connect to " + url.to_string() + ": " + why);
                return;
            }
            setup.tls = context;
            auto connection = std::make_shared<WsConnection<TlsStream>>(std::move(setup), net::make_strand(io_), *context);
            if (!tracker_->add(connection)) return connection->abandon("connect to " + url.to_string() + ": the transport is shut down");
            connection->start_connect(url, options.verify_peer);
        } else {
            auto connection = std::make_shared<WsConnection<beast::tcp_stream>>(std::move(setup), net::make_strand(io_));
            if (!tracker_->add(connection)) return connection->abandon("connect to " + url.to_string() + ": the transport is shut down");
            connection->start_connect(url, options.verify_peer);
        }
    }

    void shutdown() override {
        std::vector<std::shared_ptr<Listener>> listeners;
        {
            std::lock_guard lock(mutex_);
            if (shut_) return;
            if (on_io_thread()) throw std::logic_error("remote transport: shutdown() from one of its own handlers would wait for itself");
            shut_ = true;
            listeners.swap(listeners_);
        }
        for (auto& listener : listeners) listener->stop();
        for (auto& connection : tracker_->close_admission()) connection->close("transport shutting down");
        // A peer that never answers our close frame costs at most the grace period.
        tracker_->wait_empty(options_.shutdown_grace);
        work_.reset();
        io_.stop();
        for (auto& thread : threads_) thread.join();
        for (auto& connection : tracker_->take_all())
            connection->abandon("transport shut down before the close handshake ended");
    }

private:
    bool on_io_thread() const {
        return std::find(thread_ids_.begin(), thread_ids_.end(), std::this_thread::get_id()) != thread_ids_.end();
    }

    void run() {
        for (;;) {
            try {
                io_.run();
                return;
            } catch (const std::exception& e) {
                // A handler threw: the io thread must survive it, or every other link dies too.
                spdlog::error("remote transport: a connection handler threw: {}", e.what());
            }
        }
    }

    BeastTransportOptions options_;
    net::io_context io_;
    net::executor_work_guard<net::io_context::executor_type> work_;
    std::shared_ptr<Tracker> tracker_;
    std::vector<std::thread> threads_;
    std::vector<std::thread::id> thread_ids_;
    std::mutex mutex_;
    bool shut_ = false;
    std::vector<std::shared_ptr<Listener>> listeners_;
};

}  // namespace
}  // namespace beast_detail

std::shared_ptr<Transport> make_beast_transport(BeastTransportOptions options) {
    if (options.io_threads == 0 || options.io_threads > 64)
        throw std::invalid_argument("make_beast_transport: io_threads must be 1..64, not " + std::to_string(options.io_threads));
    if (options.handshake_timeout.count() <= 0) throw std::invalid_argument("make_beast_transport: handshake_timeout must be > 0");
    return std::make_shared<beast_detail::BeastTransport>(options);
}

}  // namespace actors::remote
