#pragma once
// An in-memory Store with etcd's semantics on a Clock (a ManualClock in tests): leases expire
// when their TTL passes without a keep-alive, taking their keys with them; revisions count every
// change; watches see every change after their revision. set_available(false) makes every call
// fail as an unreachable etcd would, while leases keep ageing. client(name) is the same store as
// one member reaches it, so a simulation cuts a single member off (set_reachable) while the
// others carry on.

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "cluster/store.hpp"

namespace actors::cluster {

class FakeStore final : public Store {
public:
    explicit FakeStore(std::shared_ptr<const Clock> clock);

    void set_available(bool up);
    // The same keys, leases and revisions, reached by the member `name`: its calls fail and its
    // watches break while set_reachable(name, false) holds, as across a partition from etcd.
    [[nodiscard]] std::shared_ptr<FakeStore> client(std::string name);
    void set_reachable(const std::string& client, bool reachable);
    // Raw access for tests that plant bad data or inspect keys.
    void put_raw(const std::string& key, const std::string& value);
    [[nodiscard]] std::map<std::string, std::string> dump();

    LeaseId grant(Duration ttl) override;
    bool keep_alive(LeaseId lease) override;
    void revoke(LeaseId lease) override;
    void put(const std::string& key, const std::string& value, LeaseId lease) override;
    std::optional<KeyValue> put_if_absent(const std::string& key, const std::string& value, LeaseId lease) override;
    std::optional<KeyValue> get(const std::string& key) override;
    RangeResult range(const std::string& prefix) override;
    bool erase_if(const std::string& key, const std::string& expected) override;
    std::unique_ptr<Watch> watch(const std::string& prefix, std::int64_t after_revision) override;

    struct State;

private:
    FakeStore(std::shared_ptr<const Clock> clock, std::shared_ptr<State> state, std::string client);
    std::shared_ptr<const Clock> clock_;
    std::shared_ptr<State> state_;
    std::string client_;  // "" for the store itself
    void check_up(std::unique_lock<std::mutex>& lock);
};

}  // namespace actors::cluster
