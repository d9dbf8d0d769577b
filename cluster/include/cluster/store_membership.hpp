#pragma once
// The membership provider over a Store (etcd, or FakeStore in tests). Each member holds
// <prefix>members/<name> bound to a lease it keeps alive; identities it wins are
// <prefix>identities/<id> bound to the same lease, so they vanish with it.
//
// Driven by tick(now) (drive() makes an actor call it on an engine timer): keep-alive every
// ttl/3, with backoff while the store is unreachable; the watch applied; after an outage, a fresh
// range diffed against what the member knew. While the store is unreachable the member keeps its
// list and its identities, and claim/owner/release fail at once with cluster_unavailable. When
// the store answers again and the lease had lapsed, it registers anew, claims back what it held,
// and reports (on_reregistered) what others won meanwhile.

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "actors/engine.hpp"
#include "cluster/membership.hpp"
#include "cluster/store.hpp"

namespace actors::cluster {

struct StoreMembershipOptions {
    std::string prefix = "/actors/cluster/";
    Duration ttl = std::chrono::seconds(5);
    Duration min_backoff = std::chrono::milliseconds(100);
    Duration max_backoff = std::chrono::seconds(2);
    EventStream* events = nullptr;  // MemberJoined / MemberLeft are published here when set
};

struct MembershipStats {
    std::uint64_t keepalive_failures = 0;
    std::uint64_t reregistrations = 0;
    std::uint64_t bad_entries = 0;  // store entries that were not what a member writes
    std::string last_bad_entry;     // the error that described the latest one
};

class StoreMembership final : public MembershipProvider {
public:
    StoreMembership(std::shared_ptr<Store> store, StoreMembershipOptions options = {});
    ~StoreMembership() override;

    void join(Member self) override;  // also needs tick() to follow changes
    void leave() override;
    [[nodiscard]] bool joined() const override;
    [[nodiscard]] std::vector<Member> members() const override;
    void on_change(ChangeHandler h) override;
    void on_reregistered(ReregisteredHandler h) override;
    ClaimResult claim(const std::string& identity) override;
    [[nodiscard]] std::optional<std::string> owner(const std::string& identity) override;
    bool release(const std::string& identity) override;

    void tick(TimePoint now);
    [[nodiscard]] bool available() const;  // false from a failed store call until one succeeds
    [[nodiscard]] MembershipStats stats() const;

private:
    struct Pending;
    std::shared_ptr<Store> store_;
    StoreMembershipOptions options_;
    mutable std::mutex mutex_;
    std::vector<ChangeHandler> change_handlers_;
    std::vector<ReregisteredHandler> rereg_handlers_;
    std::optional<Member> self_;
    LeaseId lease_ = 0;
    bool available_ = true;
    bool lease_lost_ = false;
    TimePoint next_keepalive_{};
    TimePoint last_renewed_{};
    Duration backoff_{};
    std::map<std::string, Member> members_;
    std::set<std::string> leaving_;
    std::set<std::string> held_;
    std::unique_ptr<Watch> watch_;
    MembershipStats stats_;
    std::uint64_t standing_ = 0;  // EventStream::add_standing: the members, for late observers

    [[nodiscard]] std::string member_key(const std::string& name) const { return options_.prefix + "members/" + name; }
    [[nodiscard]] std::string identity_key(const std::string& id) const { return options_.prefix + "identities/" + id; }
    void register_self(Pending& out);  // grant, put, claim back held identities
    void resync(Pending& out);         // range + new watch, diffed against members_
    void apply(const WatchEvent& e, Pending& out);
    void upsert(const std::string& name, const std::string& value, Pending& out);
    void remove(const std::string& name, Pending& out);
    void failed_call(TimePoint now);
    void require_usable() const;
    void deliver(Pending& p);
};

// Spawns an actor that ticks `m` every `interval` on `engine`'s timers; stop the returned pid
// (or the engine) before `m` goes away.
Pid drive(Engine& engine, StoreMembership& m, Duration interval, std::string name = "cluster-membership");

}  // namespace actors::cluster
