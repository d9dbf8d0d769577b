// The etcd provider against a real etcd: membership, lease expiry, the put-if-absent race,
// graceful leave and an etcd restart mid-test. Waits poll with a bound; no timing is asserted.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

#include "cluster/cluster_error.hpp"
#include "cluster/etcd_store.hpp"
#include "cluster/store_membership.hpp"
#include "etcd_server.hpp"

using namespace actors;
using namespace actors::cluster;
using namespace std::chrono_literals;

namespace {

struct Node {
    Node(const actors::testing::EtcdServer& etcd, EventStream* events = nullptr)
        : store(std::make_shared<EtcdStore>(etcd.options())), m(store, StoreMembershipOptions{"/it/", 2s, 100ms, 500ms, events}) {
        m.on_change([this](const MembershipChange& c) {
            std::lock_guard lock(mu);
            changes.push_back(c);
        });
        m.on_reregistered([this](const Reregistered& r) {
            std::lock_guard lock(mu);
            reregs.push_back(r);
        });
    }
    std::shared_ptr<EtcdStore> store;
    StoreMembership m;
    std::mutex mu;
    std::vector<MembershipChange> changes;
    std::vector<Reregistered> reregs;
};

SteadyClock wall;

// Ticks `nodes` every 50 ms until `done` holds or `bound` passes; returns whether it held.
bool tick_until(std::initializer_list<Node*> nodes, const std::function<bool()>& done, Duration bound = 15s) {
    const TimePoint until = wall.now() + bound;
    while (wall.now() < until) {
        for (Node* n : nodes) n->m.tick(wall.now());
        if (done()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

// Ticks `nodes` every 50 ms for `d` (keeping them alive while time passes).
void tick_for(std::initializer_list<Node*> nodes, Duration d) {
    const TimePoint until = wall.now() + d;
    while (wall.now() < until) {
        for (Node* n : nodes) n->m.tick(wall.now());
        std::this_thread::sleep_for(50ms);
    }
}

std::size_t count(const StoreMembership& m) { return m.members().size(); }

}  // namespace

TEST(EtcdMembership, MembersJoinAndSeeEachOther) {
    actors::testing::EtcdServer etcd("join");
    Node a(etcd), b(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {"user"}});
    b.m.join(Member{"b", "127.0.0.1:7002", {"user", "room"}});
    ASSERT_TRUE(tick_until({&a, &b}, [&] { return count(a.m) == 2 && count(b.m) == 2; }));
    EXPECT_EQ(a.m.members()[1].name, "b");
    EXPECT_EQ(a.m.members()[1].kinds, (std::vector<std::string>{"user", "room"}));
}

TEST(EtcdMembership, AMemberWhoseKeepAliveStopsIsGoneAfterItsTtl) {
    actors::testing::EtcdServer etcd("expiry");
    Node a(etcd), b(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {}});
    b.m.join(Member{"b", "127.0.0.1:7002", {}});
    ASSERT_TRUE(b.m.claim("user/bob").won);
    ASSERT_TRUE(tick_until({&a, &b}, [&] { return count(a.m) == 2; }));
    // b stops renewing (as if it crashed); only a ticks.
    ASSERT_TRUE(tick_until({&a}, [&] { return count(a.m) == 1; })) << "b still listed after 15 s with a 2 s lease";
    std::lock_guard lock(a.mu);
    EXPECT_EQ(a.changes.back().member.name, "b");
    EXPECT_EQ(a.changes.back().reason, MemberLeftReason::lease_expired);
    EXPECT_EQ(a.m.owner("user/bob"), std::nullopt) << "b's identity went with its lease";
}

TEST(EtcdMembership, PutIfAbsentRaceHasExactlyOneWinner) {
    actors::testing::EtcdServer etcd("race");
    Node a(etcd), b(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {}});
    b.m.join(Member{"b", "127.0.0.1:7002", {}});
    constexpr int n = 20;
    std::vector<ClaimResult> ra(n), rb(n);
    std::atomic<int> ready{0};
    auto racer = [&](StoreMembership& m, std::vector<ClaimResult>& out) {
        ++ready;
        while (ready.load() < 2) std::this_thread::yield();
        for (int i = 0; i < n; ++i) out[i] = m.claim("user/" + std::to_string(i));
    };
    std::thread ta(racer, std::ref(a.m), std::ref(ra)), tb(racer, std::ref(b.m), std::ref(rb));
    ta.join();
    tb.join();
    for (int i = 0; i < n; ++i) {
        EXPECT_NE(ra[i].won, rb[i].won) << "identity " << i;
        EXPECT_EQ(ra[i].owner, rb[i].owner) << "identity " << i;
        EXPECT_EQ(a.m.owner("user/" + std::to_string(i)), std::optional<std::string>(ra[i].owner));
    }
}

TEST(EtcdMembership, GracefulLeaveDeletesItsKeys) {
    actors::testing::EtcdServer etcd("leave");
    Node a(etcd), b(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {}});
    b.m.join(Member{"b", "127.0.0.1:7002", {}});
    ASSERT_TRUE(b.m.claim("user/x").won);
    ASSERT_TRUE(tick_until({&a, &b}, [&] { return count(a.m) == 2; }));
    b.m.leave();
    EtcdStore raw(etcd.options());
    for (const KeyValue& kv : raw.range("/it/").kvs) EXPECT_NE(kv.value, "b") << kv.key;
    EXPECT_FALSE(raw.get("/it/members/b").has_value());
    EXPECT_FALSE(raw.get("/it/identities/user/x").has_value());
    ASSERT_TRUE(tick_until({&a}, [&] { return count(a.m) == 1; }));
    std::lock_guard lock(a.mu);
    EXPECT_EQ(a.changes.back().reason, MemberLeftReason::graceful);
}

TEST(EtcdMembership, EtcdRestartMidTestFailsFastThenTheMemberReregisters) {
    actors::testing::EtcdServer etcd("restart");
    Node a(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {}});
    ASSERT_TRUE(a.m.claim("user/kept").won);
    ASSERT_TRUE(tick_until({&a}, [&] { return count(a.m) == 1; }));

    etcd.stop();
    // Past the lease TTL without a renewal: the member counts its lease as lost.
    ASSERT_TRUE(tick_until({&a}, [&] { return !a.m.available() && a.m.stats().keepalive_failures >= 3; }));
    std::this_thread::sleep_for(2100ms);
    a.m.tick(wall.now());
    EXPECT_EQ(count(a.m), 1u) << "the member keeps its state";
    try {
        (void)a.m.claim("user/new");
        ADD_FAILURE() << "claim succeeded with etcd down";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::cluster_unavailable);
    }
    EXPECT_THROW((void)a.m.owner("user/kept"), ClusterError);

    etcd.start();
    ASSERT_TRUE(tick_until({&a}, [&] {
        std::lock_guard lock(a.mu);
        return a.m.available() && !a.reregs.empty();
    }));
    {
        std::lock_guard lock(a.mu);
        EXPECT_EQ(a.reregs[0].kept, (std::vector<std::string>{"user/kept"}));
        EXPECT_TRUE(a.reregs[0].lost.empty());
    }
    EXPECT_GE(a.m.stats().reregistrations, 1u);
    EXPECT_EQ(a.m.owner("user/kept"), std::optional<std::string>("a"));
    EXPECT_TRUE(a.m.claim("user/new").won);
    // The re-registered keys live on the new lease: still there after the old one would have lapsed.
    tick_for({&a}, 3s);
    EXPECT_EQ(a.m.owner("user/kept"), std::optional<std::string>("a"));
    EXPECT_EQ(count(a.m), 1u);
}

TEST(EtcdMembership, GarbageFromTheStoreIsAClearErrorAndTheMemberKeepsWorking) {
    actors::testing::EtcdServer etcd("garbage");
    Node a(etcd);
    a.m.join(Member{"a", "127.0.0.1:7001", {}});
    EtcdStore raw(etcd.options());
    raw.put("/it/members/evil", "\x01\x02 not a member", 0);
    raw.put("/it/identities/user/big", std::string(1 << 20, 'o'), 0);
    ASSERT_TRUE(tick_until({&a}, [&] { return a.m.stats().bad_entries >= 1; }));
    EXPECT_EQ(count(a.m), 1u);
    try {
        (void)a.m.owner("user/big");
        ADD_FAILURE() << "a 1 MB owner was accepted";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::bad_data);
    }
    try {
        (void)a.m.claim(std::string(1 << 20, 'i'));
        ADD_FAILURE() << "a 1 MB identity was accepted";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::invalid_argument);
    }
    EXPECT_TRUE(a.m.claim("user/fine").won);
}

TEST(EtcdMembership, AnUnreachableEtcdIsClusterUnavailable) {
    EtcdOptions o;
    o.port = actors::testing::free_port();  // nobody listens
    o.request_timeout = 300ms;
    EtcdStore store(o);
    try {
        (void)store.grant(2s);
        ADD_FAILURE() << "granted a lease with no etcd";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::cluster_unavailable);
    }
    StoreMembership m(std::make_shared<EtcdStore>(o), StoreMembershipOptions{"/it/", 2s});
    EXPECT_THROW(m.join(Member{"a", "127.0.0.1:1", {}}), ClusterError);
    EXPECT_FALSE(m.joined());
}
