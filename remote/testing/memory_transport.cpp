#include "memory_transport.hpp"

#include <algorithm>

namespace actors::remote::testing {

class MemoryConnection final : public Connection, public std::enable_shared_from_this<MemoryConnection> {
public:
    MemoryConnection(std::weak_ptr<MemoryNetwork> net, std::shared_ptr<ConnectionHandler> handler, const void* owner, std::string address)
        : net_(std::move(net)), handler_(std::move(handler)), owner_(owner), address_(std::move(address)) {}

    void wants_write() override {
        if (auto net = net_.lock()) net->wants_write(shared_from_this());
    }
    void close(std::string reason) override {
        if (auto net = net_.lock()) net->close(shared_from_this(), reason);
    }
    [[nodiscard]] std::string remote_address() const override { return address_; }

    std::weak_ptr<MemoryNetwork> net_;
    std::shared_ptr<ConnectionHandler> handler_;
    std::weak_ptr<MemoryConnection> peer_;
    const void* owner_;
    std::string address_;
    bool open_ = true;  // guarded by the network's mutex
    std::deque<Bytes> stalled_;  // written while the network was held
};

std::uint16_t MemoryNetwork::bind(const std::string& host, std::uint16_t port, Accept accept, const void* owner) {
    std::lock_guard lock(mutex_);
    if (port == 0) port = next_port_++;
    const std::string key = host + ":" + std::to_string(port);
    if (listeners_.count(key)) throw std::runtime_error("address in use: " + key);
    listeners_[key] = {std::move(accept), owner};
    return port;
}

void MemoryNetwork::unbind(const void* owner) {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [&](const auto& kv) { return kv.second.second == owner; });
}

void MemoryNetwork::set_held(bool held) {
    std::vector<std::shared_ptr<MemoryConnection>> open;
    {
        std::lock_guard lock(mutex_);
        held_ = held;
        if (held) return;
        for (const auto& w : connections_) {
            auto c = w.lock();
            if (!c) continue;
            auto peer = c->peer_.lock();
            for (Bytes& f : c->stalled_)
                if (c->open_ && peer && peer->open_) calls_.push_back([peer, f = std::move(f)] { peer->handler_->on_frame(f); });
            c->stalled_.clear();
            if (c->open_) open.push_back(c);
        }
    }
    for (const auto& c : open) wants_write(c);
}

void MemoryNetwork::set_reachable(bool reachable) {
    std::lock_guard lock(mutex_);
    reachable_ = reachable;
}

std::size_t MemoryNetwork::open_connections() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& w : connections_)
        if (auto c = w.lock(); c && c->open_) ++n;
    return n;
}

void MemoryNetwork::connect(const Url& url, std::shared_ptr<ConnectionHandler> handler, const void* owner) {
    std::shared_ptr<MemoryConnection> client, server;
    {
        std::lock_guard lock(mutex_);
        auto it = listeners_.find(url.host + ":" + std::to_string(url.port));
        if (!reachable_ || it == listeners_.end()) {
            const std::string why = !reachable_ ? "network unreachable" : "connection refused";
            calls_.push_back([handler, why] { handler->on_close(why); });
        } else {
            std::shared_ptr<ConnectionHandler> accepted = it->second.first();
            client = std::make_shared<MemoryConnection>(weak_from_this(), handler, owner, url.to_string());
            server = std::make_shared<MemoryConnection>(weak_from_this(), accepted, it->second.second, "memory-client");
            client->peer_ = server;
            server->peer_ = client;
            connections_.push_back(client);
            connections_.push_back(server);
            calls_.push_back([server] { server->handler_->on_open(server); });
            calls_.push_back([client] { client->handler_->on_open(client); });
        }
    }
    pump();
}

void MemoryNetwork::wants_write(const std::shared_ptr<MemoryConnection>& c) {
    {
        std::lock_guard lock(mutex_);
        if (!c->open_) return;
        if (std::find(ready_.begin(), ready_.end(), c) == ready_.end()) ready_.push_back(c);
    }
    pump();
}

void MemoryNetwork::close(const std::shared_ptr<MemoryConnection>& c, const std::string& reason) {
    {
        std::lock_guard lock(mutex_);
        for (const auto& side : {c, c->peer_.lock()}) {
            if (!side || !side->open_) continue;
            side->open_ = false;
            side->stalled_.clear();  // lost with the connection
            calls_.push_back([side, reason] { side->handler_->on_close(reason); });
        }
    }
    pump();
}

void MemoryNetwork::cut(const std::string& reason) {
    std::vector<std::shared_ptr<MemoryConnection>> open;
    {
        std::lock_guard lock(mutex_);
        for (const auto& w : connections_)
            if (auto c = w.lock(); c && c->open_) open.push_back(c);
    }
    for (const auto& c : open) close(c, reason);
}

void MemoryNetwork::close_owned_by(const void* owner) {
    std::vector<std::shared_ptr<MemoryConnection>> mine;
    {
        std::lock_guard lock(mutex_);
        for (const auto& w : connections_)
            if (auto c = w.lock(); c && c->open_ && c->owner_ == owner) mine.push_back(c);
    }
    for (const auto& c : mine) close(c, "transport shut down");
}

void MemoryNetwork::pump() {
    std::unique_lock lock(mutex_);
    if (pumping_) return;  // the running pump will see what was queued
    pumping_ = true;
    for (;;) {
        if (!calls_.empty()) {
            auto call = std::move(calls_.front());
            calls_.pop_front();
            lock.unlock();
            call();
            lock.lock();
            continue;
        }
        if (ready_.empty()) break;
        std::shared_ptr<MemoryConnection> c = ready_.front();
        ready_.pop_front();
        if (!c->open_) continue;
        lock.unlock();
        // One frame per turn, so the two directions interleave as on a real wire.
        std::optional<Bytes> frame = c->handler_->next_frame();
        lock.lock();
        if (!frame) continue;
        ready_.push_back(c);
        auto peer = c->peer_.lock();
        if (held_ && c->open_) c->stalled_.push_back(std::move(*frame));  // written, not yet arrived
        else if (peer && peer->open_ && c->open_)
            calls_.push_back([peer, f = std::move(*frame)] { peer->handler_->on_frame(f); });
    }
    pumping_ = false;
    std::erase_if(connections_, [](const std::weak_ptr<MemoryConnection>& w) { return w.expired(); });
}

std::uint16_t MemoryTransport::listen(const ListenOptions& options, std::function<std::shared_ptr<ConnectionHandler>()> accept) {
    return network_->bind(options.host, options.port, std::move(accept), this);
}

void MemoryTransport::connect(const Url& url, const ConnectOptions&, std::shared_ptr<ConnectionHandler> handler) {
    if (stopped_.load(std::memory_order_acquire)) return handler->on_close("transport shut down");
    network_->connect(url, std::move(handler), this);
}

void MemoryTransport::shutdown() {
    stopped_.store(true, std::memory_order_release);
    network_->unbind(this);
    network_->close_owned_by(this);
}

}  // namespace actors::remote::testing
