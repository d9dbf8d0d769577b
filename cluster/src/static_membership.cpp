#include "cluster/static_membership.hpp"

#include <algorithm>

#include "cluster/cluster_error.hpp"
#include "cluster/rendezvous.hpp"

namespace actors::cluster {

StaticMembership::StaticMembership(std::vector<Member> seeds) : seeds_(std::move(seeds)) {
    for (const Member& m : seeds_) check_member(m);
    std::sort(seeds_.begin(), seeds_.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < seeds_.size(); ++i)
        if (seeds_[i].name == seeds_[i - 1].name)
            throw ClusterError(ClusterErrorCode::invalid_argument, "seed list names '" + seeds_[i].name + "' twice");
}

void StaticMembership::join(Member self) {
    check_member(self);
    std::lock_guard lock(mutex_);
    auto it = std::find_if(seeds_.begin(), seeds_.end(), [&](const Member& m) { return m.name == self.name; });
    if (it == seeds_.end() || it->address != self.address)
        throw ClusterError(ClusterErrorCode::invalid_argument, "'" + self.name + "' at " + self.address + " is not in the seed list");
    self_ = self.name;
}

void StaticMembership::leave() {
    std::lock_guard lock(mutex_);
    self_.reset();
}

bool StaticMembership::joined() const {
    std::lock_guard lock(mutex_);
    return self_.has_value();
}

std::vector<Member> StaticMembership::members() const { return seeds_; }

// A fixed list never changes, so there is nothing to report.
void StaticMembership::on_change(ChangeHandler) {}
void StaticMembership::on_reregistered(ReregisteredHandler) {}

namespace {
// Virtual actors claim "kind/identity" and place it over the members hosting the kind; the owner
// here must be the same member, so the seeds hosting that kind compete (all of them if none does).
std::optional<std::string> owner_among(const std::string& identity, const std::vector<Member>& seeds) {
    const auto slash = identity.find('/');
    if (slash != std::string::npos) {
        const std::string kind = identity.substr(0, slash);
        std::vector<Member> hosts;
        for (const Member& m : seeds)
            if (std::find(m.kinds.begin(), m.kinds.end(), kind) != m.kinds.end()) hosts.push_back(m);
        if (!hosts.empty()) return rendezvous_owner(identity, hosts);
    }
    return rendezvous_owner(identity, seeds);
}
}  // namespace

ClaimResult StaticMembership::claim(const std::string& identity) {
    check_identity(identity);
    std::lock_guard lock(mutex_);
    if (!self_) throw ClusterError(ClusterErrorCode::not_joined, "this member has not joined the cluster");
    std::string o = *owner_among(identity, seeds_);
    return ClaimResult{o == *self_, o};
}

std::optional<std::string> StaticMembership::owner(const std::string& identity) {
    check_identity(identity);
    return owner_among(identity, seeds_);
}

bool StaticMembership::release(const std::string& identity) {
    check_identity(identity);
    return false;
}

}  // namespace actors::cluster
