#include "memory_transport.hpp"

#include <algorithm>
#include <stdexcept>

namespace actors::remote::testing {

class MemoryConnection final : public Connection, public std::enable_shared_from_this<MemoryConnection> {
public:
    MemoryConnection(std::weak_ptr<MemoryNetwork> net, std::shared_ptr<ConnectionHandler> handler, const void* owner, std::string address,
                     std::string end)
        : net_(std::move(net)), handler_(std::move(handler)), owner_(owner), address_(std::move(address)), end_(std::move(end)) {}

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
    std::string end_;   // the name of the transport on this side ("" when unnamed)
    bool open_ = true;  // guarded by the network's mutex
    // Written by this side, not yet arrived at the peer: each with the time it is due there.
    std::deque<std::pair<TimePoint, Bytes>> wire_;
    TimePoint last_due_{};  // frames of one direction arrive in order
};

const MemoryNetwork::Rule* MemoryNetwork::rule(const std::string& a, const std::string& b) const {
    if (a.empty() || b.empty()) return nullptr;
    auto it = rules_.find(a < b ? std::pair(a, b) : std::pair(b, a));
    return it == rules_.end() ? nullptr : &it->second;
}

void MemoryNetwork::flush(const std::shared_ptr<MemoryConnection>& c) {
    auto peer = c->peer_.lock();
    if (held_ || !c->open_ || !peer || !peer->open_) return;
    const Rule* r = rule(c->end_, peer->end_);
    if (r && r->cut) return;
    const TimePoint t = now();
    while (!c->wire_.empty() && c->wire_.front().first <= t) {
        calls_.push_back([peer, f = std::move(c->wire_.front().second)] { peer->handler_->on_frame(f); });
        c->wire_.pop_front();
        --on_wire_;
    }
}

void MemoryNetwork::flush_all() {
    if (on_wire_ == 0) return;  // the common case, and a simulation of many nodes calls this often
    for (const auto& w : connections_)
        if (auto c = w.lock()) flush(c);
}

std::uint16_t MemoryNetwork::bind(const std::string& host, std::uint16_t port, Accept accept, const void* owner, std::string name) {
    std::lock_guard lock(mutex_);
    if (port == 0) port = next_port_++;
    const std::string key = host + ":" + std::to_string(port);
    if (listeners_.count(key)) throw std::runtime_error("address in use: " + key);
    listeners_[key] = Listener{std::move(accept), owner, std::move(name)};
    return port;
}

void MemoryNetwork::unbind(const void* owner) {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [&](const auto& kv) { return kv.second.owner == owner; });
}

void MemoryNetwork::set_held(bool held) {
    std::vector<std::shared_ptr<MemoryConnection>> open;
    {
        std::lock_guard lock(mutex_);
        held_ = held;
        if (held) return;
        flush_all();
        for (const auto& w : connections_)
            if (auto c = w.lock(); c && c->open_) open.push_back(c);
    }
    for (const auto& c : open) wants_write(c);
}

void MemoryNetwork::set_reachable(bool reachable) {
    std::lock_guard lock(mutex_);
    reachable_ = reachable;
}

void MemoryNetwork::partition(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty() || a == b) throw std::invalid_argument("MemoryNetwork::partition: two different names");
    std::lock_guard lock(mutex_);
    rules_[a < b ? std::pair(a, b) : std::pair(b, a)].cut = true;
}

void MemoryNetwork::heal(const std::string& a, const std::string& b) {
    {
        std::lock_guard lock(mutex_);
        auto it = rules_.find(a < b ? std::pair(a, b) : std::pair(b, a));
        if (it == rules_.end()) return;
        it->second.cut = false;
        flush_all();
    }
    pump();
}

void MemoryNetwork::heal_all() {
    {
        std::lock_guard lock(mutex_);
        for (auto& [k, r] : rules_) r.cut = false;
        flush_all();
    }
    pump();
}

bool MemoryNetwork::partitioned(const std::string& a, const std::string& b) const {
    std::lock_guard lock(mutex_);
    const Rule* r = rule(a, b);
    return r && r->cut;
}

void MemoryNetwork::set_delay(const std::string& a, const std::string& b, Duration delay) {
    if (a.empty() || b.empty() || a == b) throw std::invalid_argument("MemoryNetwork::set_delay: two different names");
    if (delay < Duration::zero()) throw std::invalid_argument("MemoryNetwork::set_delay: a negative delay");
    std::lock_guard lock(mutex_);
    if (delay > Duration::zero() && !clock_) throw std::logic_error("MemoryNetwork::set_delay: set_clock first");
    rules_[a < b ? std::pair(a, b) : std::pair(b, a)].delay = delay;
}

void MemoryNetwork::set_clock(std::shared_ptr<const Clock> clock) {
    std::lock_guard lock(mutex_);
    clock_ = std::move(clock);
}

void MemoryNetwork::deliver_due() {
    {
        std::lock_guard lock(mutex_);
        flush_all();
    }
    pump();
}

std::uint64_t MemoryNetwork::connects_from(const std::string& from) const {
    std::lock_guard lock(mutex_);
    auto it = connects_.find(from);
    return it == connects_.end() ? 0 : it->second;
}

std::size_t MemoryNetwork::open_connections() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& w : connections_)
        if (auto c = w.lock(); c && c->open_) ++n;
    return n;
}

void MemoryNetwork::connect(const Url& url, std::shared_ptr<ConnectionHandler> handler, const void* owner, const std::string& name) {
    std::shared_ptr<MemoryConnection> client, server;
    {
        std::lock_guard lock(mutex_);
        ++connects_[name];
        auto it = listeners_.find(url.host + ":" + std::to_string(url.port));
        const Rule* r = it == listeners_.end() ? nullptr : rule(name, it->second.name);
        if (!reachable_ || it == listeners_.end() || (r && r->cut)) {
            const std::string why = it == listeners_.end() ? "connection refused" : "network unreachable";
            calls_.push_back([handler, why] { handler->on_close(why); });
        } else {
            std::shared_ptr<ConnectionHandler> accepted = it->second.accept();
            client = std::make_shared<MemoryConnection>(weak_from_this(), handler, owner, url.to_string(), name);
            server = std::make_shared<MemoryConnection>(weak_from_this(), accepted, it->second.owner, "memory-client", it->second.name);
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
            on_wire_ -= side->wire_.size();
            side->wire_.clear();  // lost with the connection
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
        if (!c->open_) continue;
        auto peer = c->peer_.lock();
        const Rule* r = peer ? rule(c->end_, peer->end_) : nullptr;
        const TimePoint due = std::max(now() + (r ? r->delay : Duration::zero()), c->last_due_);
        c->last_due_ = due;
        c->wire_.emplace_back(due, std::move(*frame));  // written; arrives when due, unless held or cut
        ++on_wire_;
        flush(c);
    }
    pumping_ = false;
    std::erase_if(connections_, [](const std::weak_ptr<MemoryConnection>& w) { return w.expired(); });
}

std::uint16_t MemoryTransport::listen(const ListenOptions& options, std::function<std::shared_ptr<ConnectionHandler>()> accept) {
    return network_->bind(options.host, options.port, std::move(accept), this, name_);
}

void MemoryTransport::connect(const Url& url, const ConnectOptions&, std::shared_ptr<ConnectionHandler> handler) {
    if (stopped_.load(std::memory_order_acquire)) return handler->on_close("transport shut down");
    network_->connect(url, std::move(handler), this, name_);
}

void MemoryTransport::shutdown() {
    stopped_.store(true, std::memory_order_release);
    network_->unbind(this);
    network_->close_owned_by(this);
}

}  // namespace actors::remote::testing
