#include "support/fault_proxy.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>

namespace actors::remote::testing {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

struct Counters {
    std::atomic<std::uint64_t> accepted{0}, refused{0}, cuts{0}, bytes{0}, delayed{0}, open{0};
};

// Proxy-wide settings; read and written only on the proxy's thread.
struct Faults {
    bool stalled = false;
    std::chrono::milliseconds delay{0};
    std::size_t cut_min = 0, cut_max = 0;
    std::mt19937_64 random{0};
};

class Pipe;
using Pipes = std::set<std::shared_ptr<Pipe>>;

class Pipe : public std::enable_shared_from_this<Pipe> {
public:
    Pipe(tcp::socket client, net::io_context& io, Faults& faults, Counters& counters, Pipes& pipes)
        : sockets_{std::move(client), tcp::socket(io)}, timers_{net::steady_timer(io), net::steady_timer(io)},
          faults_(faults), counters_(counters), pipes_(pipes) {
        if (faults_.cut_max > 0) {
            std::uniform_int_distribution<std::size_t> draw(faults_.cut_min, faults_.cut_max);
            budget_ = draw(faults_.random);
        }
    }

    void start(std::uint16_t target) {
        sockets_[1].async_connect(tcp::endpoint(net::ip::address_v4::loopback(), target),
                                  [self = shared_from_this()](const error_code& ec) {
                                      if (ec) {
                                          ++self->counters_.refused;
                                          return self->end();
                                      }
                                      self->pump(0);
                                      self->pump(1);
                                  });
    }

    // A fault: reset both sides (SO_LINGER 0), so the ends see the link die, not a clean close.
    void cut() {
        if (closed_) return;
        ++counters_.cuts;
        for (auto& socket : sockets_) {
            error_code ignored;
            socket.set_option(net::socket_base::linger(true, 0), ignored);
        }
        end();
    }

    void end() {
        if (closed_) return;
        closed_ = true;
        for (auto& socket : sockets_) {
            error_code ignored;
            socket.close(ignored);
        }
        for (auto& timer : timers_) timer.cancel();
        if (started_) --counters_.open;
        pipes_.erase(shared_from_this());
    }

    void mark_open() {
        started_ = true;
        ++counters_.open;
    }

    // Releases what a stall held.
    void resume() {
        for (int d = 0; d < 2; ++d) {
            if (parked_[d] > 0) {
                const std::size_t n = parked_[d];
                parked_[d] = 0;
                forward(d, n);
            }
        }
    }

private:
    // Direction d reads sockets_[d] and writes sockets_[1 - d].
    void pump(int d) {
        if (closed_) return;
        sockets_[d].async_read_some(net::buffer(buffers_[d]), [self = shared_from_this(), d](const error_code& ec, std::size_t n) {
            if (self->closed_) return;
            if (ec == net::error::eof) {
                // One end finished writing: pass the half-close on; the pipe ends when both have.
                error_code ignored;
                self->sockets_[1 - d].shutdown(tcp::socket::shutdown_send, ignored);
                if (++self->finished_directions_ == 2) self->end();
                return;
            }
            if (ec) return self->end();
            self->forward(d, n);
        });
    }

    void forward(int d, std::size_t n) {
        if (closed_) return;
        if (faults_.stalled) {
            parked_[d] = n;
            return;
        }
        if (faults_.delay.count() > 0) {
            ++counters_.delayed;
            timers_[d].expires_after(faults_.delay);
            timers_[d].async_wait([self = shared_from_this(), d, n](const error_code& ec) {
                if (!ec) self->write(d, n);
            });
            return;
        }
        write(d, n);
    }

    void write(int d, std::size_t n) {
        if (closed_) return;
        bool cut_after = false;
        if (budget_ > 0 && forwarded_ + n >= budget_) {
            n = budget_ - forwarded_;  // the cut lands inside this chunk, maybe inside a frame
            cut_after = true;
        }
        net::async_write(sockets_[1 - d], net::buffer(buffers_[d].data(), n),
                         [self = shared_from_this(), d, cut_after](const error_code& ec, std::size_t written) {
                             if (self->closed_) return;
                             self->forwarded_ += written;
                             self->counters_.bytes += written;
                             if (ec) return self->end();
                             if (cut_after) return self->cut();
                             self->pump(d);
                         });
    }

    std::array<tcp::socket, 2> sockets_;
    std::array<net::steady_timer, 2> timers_;
    std::array<std::array<char, 16384>, 2> buffers_{};
    std::array<std::size_t, 2> parked_{0, 0};
    Faults& faults_;
    Counters& counters_;
    Pipes& pipes_;
    std::size_t budget_ = 0;  // 0: never cut at random
    std::size_t forwarded_ = 0;
    int finished_directions_ = 0;
    bool started_ = false;
    bool closed_ = false;
};

}  // namespace

struct FaultProxy::Impl {
    net::io_context io{1};
    net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(io);
    tcp::acceptor acceptor{io};
    std::uint16_t target = 0;
    std::size_t max_connections = 0;
    std::uint16_t port = 0;
    Faults faults;
    Counters counters;
    Pipes pipes;
    std::thread thread;
    std::mutex stop_mutex;
    bool stopped = false;

    void accept_next() {
        acceptor.async_accept([this](const error_code& ec, tcp::socket socket) {
            if (ec) {
                if (acceptor.is_open()) accept_next();
                return;
            }
            if (pipes.size() >= max_connections) {
                ++counters.refused;
                error_code ignored;
                socket.close(ignored);
            } else {
                ++counters.accepted;
                auto pipe = std::make_shared<Pipe>(std::move(socket), io, faults, counters, pipes);
                pipes.insert(pipe);
                pipe->mark_open();
                pipe->start(target);
            }
            accept_next();
        });
    }

    template <class F>
    void run(F f) {
        net::post(io, std::move(f));
    }

    // Pipes erase themselves from the set as they end; iterate over a copy.
    template <class F>
    void each_pipe(F f) {
        const Pipes copy = pipes;
        for (const auto& pipe : copy) f(*pipe);
    }
};

FaultProxy::FaultProxy(std::uint16_t target_port, std::size_t max_connections) : impl_(std::make_shared<Impl>()) {
    if (target_port == 0) throw std::invalid_argument("FaultProxy: target port 0");
    if (max_connections == 0) throw std::invalid_argument("FaultProxy: max_connections 0");
    impl_->target = target_port;
    impl_->max_connections = max_connections;
    const tcp::endpoint endpoint(net::ip::address_v4::loopback(), 0);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->accept_next();
    impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

FaultProxy::~FaultProxy() { stop(); }

std::uint16_t FaultProxy::port() const { return impl_->port; }

void FaultProxy::cut_all() {
    impl_->run([impl = impl_.get()] { impl->each_pipe([](Pipe& pipe) { pipe.cut(); }); });
}

void FaultProxy::stall(bool on) {
    impl_->run([impl = impl_.get(), on] {
        impl->faults.stalled = on;
        if (!on) impl->each_pipe([](Pipe& pipe) { pipe.resume(); });
    });
}

void FaultProxy::set_delay(std::chrono::milliseconds per_chunk) {
    if (per_chunk.count() < 0) throw std::invalid_argument("FaultProxy: negative delay");
    impl_->run([impl = impl_.get(), per_chunk] { impl->faults.delay = per_chunk; });
}

void FaultProxy::cut_randomly(std::uint64_t seed, std::size_t min_bytes, std::size_t max_bytes) {
    if (max_bytes != 0 && (min_bytes == 0 || min_bytes > max_bytes))
        throw std::invalid_argument("FaultProxy: cut_randomly needs 0 < min_bytes <= max_bytes");
    impl_->run([impl = impl_.get(), seed, min_bytes, max_bytes] {
        impl->faults.random.seed(seed);
        impl->faults.cut_min = min_bytes;
        impl->faults.cut_max = max_bytes;
    });
}

FaultProxyStats FaultProxy::stats() const {
    const Counters& c = impl_->counters;
    return FaultProxyStats{c.accepted.load(), c.refused.load(), c.cuts.load(), c.bytes.load(), c.delayed.load(), c.open.load()};
}

void FaultProxy::stop() {
    std::lock_guard lock(impl_->stop_mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
    impl_->run([impl = impl_.get()] {
        error_code ignored;
        impl->acceptor.close(ignored);
        impl->each_pipe([](Pipe& pipe) { pipe.end(); });
    });
    impl_->work.reset();
    impl_->thread.join();  // every socket is closed, so run() runs out of work
}

}  // namespace actors::remote::testing
