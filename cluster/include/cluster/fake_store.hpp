#pragma once
// An in-memory Store with etcd's semantics on a Clock (a ManualClock in tests): leases expire
// when their TTL passes without a keep-alive, taking their keys with them; revisions count every
// change; watches see every change after their revision. set_available(false) makes every call
// fail as an unreachable etcd would, while leases keep ageing.

#include <map>
#include <memory>
#include <mutex>

#include "cluster/store.hpp"

namespace actors::cluster {

class FakeStore final : public Store {
public:
    explicit FakeStore(std::shared_ptr<const Clock> clock);

    void set_available(bool up);
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
    std::shared_ptr<const Clock> clock_;
    std::shared_ptr<State> state_;
    void check_up(std::unique_lock<std::mutex>& lock);
};

}  // namespace actors::cluster
