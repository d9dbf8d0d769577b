#pragma once
// A fixed list of members, for small deployments and tests without etcd. Everyone is "up" from
// the start and never leaves; there is no store to arbitrate, so the owner of an identity is the
// one rendezvous hashing picks over the list (for "kind/identity", over the seeds hosting the
// kind, as virtual actors place it): every member computes the same answer, claim() wins only on
// that member, and release() has nothing to hand over.

#include <mutex>

#include "cluster/membership.hpp"

namespace actors::cluster {

class StaticMembership final : public MembershipProvider {
public:
    // Throws ClusterError(invalid_argument) for a bad member or a duplicate name.
    explicit StaticMembership(std::vector<Member> seeds);

    // `self` must be one of the seeds (by name and address).
    void join(Member self) override;
    void leave() override;
    [[nodiscard]] bool joined() const override;
    [[nodiscard]] std::vector<Member> members() const override;
    void on_change(ChangeHandler h) override;
    void on_reregistered(ReregisteredHandler h) override;
    ClaimResult claim(const std::string& identity) override;
    [[nodiscard]] std::optional<std::string> owner(const std::string& identity) override;
    bool release(const std::string& identity) override;

private:
    std::vector<Member> seeds_;  // sorted by name
    mutable std::mutex mutex_;
    std::optional<std::string> self_;
};

}  // namespace actors::cluster
