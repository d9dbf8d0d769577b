#include "cluster/fake_store.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "cluster/cluster_error.hpp"

namespace actors::cluster {

namespace {
class FakeWatch;
}

struct FakeStore::State {
    std::mutex mutex;
    bool available = true;
    std::set<std::string> unreachable;  // clients cut off
    std::int64_t revision = 1;
    LeaseId next_lease = 1;
    struct Lease {
        Duration ttl;
        TimePoint deadline;
    };
    std::map<LeaseId, Lease> leases;
    std::map<std::string, KeyValue> kvs;
    std::vector<WatchEvent> history;  // every change, for watches that start in the past
    std::vector<FakeWatch*> watches;

    void record(WatchEvent e);
    void erase_key(const std::string& key) {
        auto it = kvs.find(key);
        if (it == kvs.end()) return;
        kvs.erase(it);
        WatchEvent e{WatchEvent::Type::erase, KeyValue{key, {}, 0, ++revision}};
        record(std::move(e));
    }
    void expire(TimePoint now) {
        for (auto it = leases.begin(); it != leases.end();) {
            if (now < it->second.deadline) { ++it; continue; }
            drop_lease_keys(it->first);
            it = leases.erase(it);
        }
    }
    void drop_lease_keys(LeaseId id) {
        std::vector<std::string> doomed;
        for (const auto& [k, kv] : kvs)
            if (kv.lease == id) doomed.push_back(k);
        for (const std::string& k : doomed) erase_key(k);
    }
};

namespace {
class FakeWatch final : public Watch {
public:
    FakeWatch(std::shared_ptr<FakeStore::State> s, std::string prefix, std::string owner)
        : client(std::move(owner)), s_(std::move(s)), prefix_(std::move(prefix)) {}
    ~FakeWatch() override {
        std::lock_guard lock(s_->mutex);
        std::erase(s_->watches, this);
    }
    std::vector<WatchEvent> poll() override {
        std::lock_guard lock(s_->mutex);
        return std::exchange(pending_, {});
    }
    bool broken() const override {
        std::lock_guard lock(s_->mutex);
        return broken_;
    }
    // Under the state's mutex.
    void offer(const WatchEvent& e) {
        if (!broken_ && e.kv.key.compare(0, prefix_.size(), prefix_) == 0) pending_.push_back(e);
    }
    void cut() { broken_ = true; }
    const std::string client;

private:
    std::shared_ptr<FakeStore::State> s_;
    std::string prefix_;
    std::vector<WatchEvent> pending_;
    bool broken_ = false;
};
}  // namespace

void FakeStore::State::record(WatchEvent e) {
    for (FakeWatch* w : watches) w->offer(e);
    history.push_back(std::move(e));
}

FakeStore::FakeStore(std::shared_ptr<const Clock> clock) : clock_(std::move(clock)), state_(std::make_shared<State>()) {}

FakeStore::FakeStore(std::shared_ptr<const Clock> clock, std::shared_ptr<State> state, std::string client)
    : clock_(std::move(clock)), state_(std::move(state)), client_(std::move(client)) {}

std::shared_ptr<FakeStore> FakeStore::client(std::string name) {
    if (name.empty()) throw ClusterError(ClusterErrorCode::invalid_argument, "FakeStore::client needs a name");
    return std::shared_ptr<FakeStore>(new FakeStore(clock_, state_, std::move(name)));
}

void FakeStore::set_reachable(const std::string& client, bool reachable) {
    std::lock_guard lock(state_->mutex);
    if (reachable) {
        state_->unreachable.erase(client);
        return;
    }
    state_->unreachable.insert(client);
    for (FakeWatch* w : state_->watches)
        if (w->client == client) w->cut();
}

void FakeStore::check_up(std::unique_lock<std::mutex>&) {
    state_->expire(clock_->now());
    if (!state_->available) throw ClusterError(ClusterErrorCode::cluster_unavailable, "fake store is down");
    if (!client_.empty() && state_->unreachable.count(client_))
        throw ClusterError(ClusterErrorCode::cluster_unavailable, "fake store unreachable from '" + client_ + "'");
}

void FakeStore::set_available(bool up) {
    std::lock_guard lock(state_->mutex);
    state_->available = up;
    // A store that goes away ends its watch streams, as a dropped connection to etcd does.
    if (!up)
        for (FakeWatch* w : state_->watches) w->cut();
}

void FakeStore::put_raw(const std::string& key, const std::string& value) {
    std::lock_guard lock(state_->mutex);
    KeyValue kv{key, value, 0, ++state_->revision};
    state_->kvs[key] = kv;
    state_->record(WatchEvent{WatchEvent::Type::put, kv});
}

std::map<std::string, std::string> FakeStore::dump() {
    std::lock_guard lock(state_->mutex);
    state_->expire(clock_->now());
    std::map<std::string, std::string> out;
    for (const auto& [k, kv] : state_->kvs) out[k] = kv.value;
    return out;
}

LeaseId FakeStore::grant(Duration ttl) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    const LeaseId id = state_->next_lease++;
    state_->leases[id] = State::Lease{ttl, clock_->now() + ttl};
    return id;
}

bool FakeStore::keep_alive(LeaseId lease) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    auto it = state_->leases.find(lease);
    if (it == state_->leases.end()) return false;
    it->second.deadline = clock_->now() + it->second.ttl;
    return true;
}

void FakeStore::revoke(LeaseId lease) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    if (state_->leases.erase(lease) > 0) state_->drop_lease_keys(lease);
}

void FakeStore::put(const std::string& key, const std::string& value, LeaseId lease) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    if (lease != 0 && !state_->leases.count(lease))
        throw ClusterError(ClusterErrorCode::bad_data, "requested lease not found");
    KeyValue kv{key, value, lease, ++state_->revision};
    state_->kvs[key] = kv;
    state_->record(WatchEvent{WatchEvent::Type::put, kv});
}

std::optional<KeyValue> FakeStore::put_if_absent(const std::string& key, const std::string& value, LeaseId lease) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    if (auto it = state_->kvs.find(key); it != state_->kvs.end()) return it->second;
    if (lease != 0 && !state_->leases.count(lease))
        throw ClusterError(ClusterErrorCode::bad_data, "requested lease not found");
    KeyValue kv{key, value, lease, ++state_->revision};
    state_->kvs[key] = kv;
    state_->record(WatchEvent{WatchEvent::Type::put, kv});
    return std::nullopt;
}

std::optional<KeyValue> FakeStore::get(const std::string& key) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    if (auto it = state_->kvs.find(key); it != state_->kvs.end()) return it->second;
    return std::nullopt;
}

RangeResult FakeStore::range(const std::string& prefix) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    RangeResult r;
    r.revision = state_->revision;
    for (auto it = state_->kvs.lower_bound(prefix); it != state_->kvs.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        r.kvs.push_back(it->second);
    return r;
}

bool FakeStore::erase_if(const std::string& key, const std::string& expected) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    auto it = state_->kvs.find(key);
    if (it == state_->kvs.end() || it->second.value != expected) return false;
    state_->erase_key(key);
    return true;
}

std::unique_ptr<Watch> FakeStore::watch(const std::string& prefix, std::int64_t after_revision) {
    std::unique_lock lock(state_->mutex);
    check_up(lock);
    auto w = std::make_unique<FakeWatch>(state_, prefix, client_);
    for (const WatchEvent& e : state_->history)
        if (e.kv.mod_revision > after_revision) w->offer(e);
    state_->watches.push_back(w.get());
    return w;
}

}  // namespace actors::cluster
