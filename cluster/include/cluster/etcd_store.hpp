#pragma once
// The Store on a real etcd v3, through its JSON gateway over plain HTTP (Boost.Beast): no gRPC.
// Native builds only. Each call is one short request with a deadline, so an unreachable etcd
// costs at most `request_timeout` and then throws ClusterError(cluster_unavailable). A watch is
// one streaming request read by its own thread until the stream ends.

#include <memory>
#include <string>

#include "cluster/store.hpp"

namespace actors::cluster {

struct EtcdOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 2379;
    Duration request_timeout = std::chrono::seconds(1);
    std::size_t max_response = 8 * 1024 * 1024;  // a bigger answer is bad data, not a reason to run out of memory
};

class EtcdStore final : public Store {
public:
    explicit EtcdStore(EtcdOptions options);
    ~EtcdStore() override;

    LeaseId grant(Duration ttl) override;
    bool keep_alive(LeaseId lease) override;
    void revoke(LeaseId lease) override;
    void put(const std::string& key, const std::string& value, LeaseId lease) override;
    std::optional<KeyValue> put_if_absent(const std::string& key, const std::string& value, LeaseId lease) override;
    std::optional<KeyValue> get(const std::string& key) override;
    RangeResult range(const std::string& prefix) override;
    bool erase_if(const std::string& key, const std::string& expected) override;
    std::unique_ptr<Watch> watch(const std::string& prefix, std::int64_t after_revision) override;

private:
    EtcdOptions options_;
};

}  // namespace actors::cluster
