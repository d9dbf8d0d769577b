#pragma once
// The store seam, with etcd v3's semantics: leases with a TTL, keys bound to a lease vanish with
// it, put-if-absent and compare-and-delete transactions, prefix ranges and a watch from a revision.
// The etcd provider talks to a real etcd; FakeStore has the same semantics on virtual time.
// Every call throws ClusterError(cluster_unavailable) when the store does not answer.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/clock.hpp"

namespace actors::cluster {

using LeaseId = std::int64_t;

struct KeyValue {
    std::string key;
    std::string value;
    LeaseId lease = 0;
    std::int64_t mod_revision = 0;
};

struct WatchEvent {
    enum class Type { put, erase } type = Type::put;
    KeyValue kv;  // for erase, only key (and mod_revision) are meaningful
};

struct RangeResult {
    std::vector<KeyValue> kvs;
    std::int64_t revision = 0;  // the store's revision the range was read at
};

// Events under a prefix, collected as they come; the owner polls them. Broken once the stream
// ended (the store went away): make a new one after a fresh range.
class Watch {
public:
    virtual ~Watch() = default;
    [[nodiscard]] virtual std::vector<WatchEvent> poll() = 0;
    [[nodiscard]] virtual bool broken() const = 0;
};

class Store {
public:
    virtual ~Store() = default;
    virtual LeaseId grant(Duration ttl) = 0;
    // False when the lease no longer exists (it expired or was revoked).
    virtual bool keep_alive(LeaseId lease) = 0;
    virtual void revoke(LeaseId lease) = 0;
    virtual void put(const std::string& key, const std::string& value, LeaseId lease) = 0;
    // Puts only if the key does not exist (create_revision == 0): nullopt if it did, else the holder.
    virtual std::optional<KeyValue> put_if_absent(const std::string& key, const std::string& value, LeaseId lease) = 0;
    virtual std::optional<KeyValue> get(const std::string& key) = 0;
    virtual RangeResult range(const std::string& prefix) = 0;
    // Deletes only if the key holds `expected`; returns whether it did.
    virtual bool erase_if(const std::string& key, const std::string& expected) = 0;
    // Events after `after_revision` under `prefix`.
    virtual std::unique_ptr<Watch> watch(const std::string& prefix, std::int64_t after_revision) = 0;
};

}  // namespace actors::cluster
