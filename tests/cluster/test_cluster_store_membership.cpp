// The store-backed membership provider on FakeStore (etcd's semantics on virtual time), driven by
// a cooperative engine on a ManualClock: every lease expiry and retry happens at an exact time.
#include <gtest/gtest.h>

#include "cluster/cluster_error.hpp"
#include "cluster/fake_store.hpp"
#include "cluster/store_membership.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace actors::cluster;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> names(const std::vector<Member>& ms) {
    std::vector<std::string> out;
    for (const Member& m : ms) out.push_back(m.name);
    return out;
}

struct Node {
    Node(std::shared_ptr<FakeStore> store, EventStream* events, Duration ttl = 3s)
        : m(std::move(store), StoreMembershipOptions{"/t/", ttl, 100ms, 800ms, events}) {
        m.on_change([this](const MembershipChange& c) { changes.push_back(c); });
        m.on_reregistered([this](const Reregistered& r) { reregs.push_back(r); });
    }
    StoreMembership m;
    std::vector<MembershipChange> changes;
    std::vector<Reregistered> reregs;
};

class StoreMembershipTest : public ::testing::Test, protected actors::testing::TestEngine {
protected:
    std::shared_ptr<FakeStore> store = std::make_shared<FakeStore>(clock);
    Node a{store, &engine.events()};
    Node b{store, nullptr};
    void tick_all() {
        a.m.tick(engine.now());
        b.m.tick(engine.now());
    }
    // Virtual time in small steps, both members ticking, like drive() would.
    void pass(Duration d) {
        for (Duration t{}; t < d; t += 100ms) {
            advance(100ms);
            tick_all();
        }
    }
};

}  // namespace

TEST_F(StoreMembershipTest, MembersJoinAndSeeEachOther) {
    a.m.join(Member{"a", "127.0.0.1:1", {"user"}});
    b.m.join(Member{"b", "127.0.0.1:2", {"user", "room"}});
    tick_all();
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(names(b.m.members()), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(b.m.members()[1].kinds, (std::vector<std::string>{"user", "room"}));
    ASSERT_EQ(a.changes.size(), 2u);
    EXPECT_EQ(a.changes[1].member.name, "b");
    // A published its view into the engine's stream.
    run();
    auto joined = sink.of<MemberJoined>();
    ASSERT_EQ(joined.size(), 2u);
    EXPECT_EQ(joined[1].member, "b");
    EXPECT_EQ(joined[1].address, "127.0.0.1:2");
}

TEST_F(StoreMembershipTest, AMemberThatStopsRenewingIsGoneAfterItsTtlWithReasonLeaseExpired) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    tick_all();
    // b "crashes": nobody ticks it any more.
    for (int i = 0; i < 25; ++i) {
        advance(100ms);
        a.m.tick(engine.now());
    }
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"})) << "still inside b's 3 s lease";
    for (int i = 0; i < 10; ++i) {
        advance(100ms);
        a.m.tick(engine.now());
    }
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a"}));
    ASSERT_FALSE(a.changes.empty());
    EXPECT_EQ(a.changes.back().kind, MembershipChange::Kind::left);
    EXPECT_EQ(a.changes.back().reason, MemberLeftReason::lease_expired);
    run();
    auto left = sink.of<MemberLeft>();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].member, "b");
    EXPECT_EQ(left[0].reason, MemberLeftReason::lease_expired);
}

TEST_F(StoreMembershipTest, KeepAliveHoldsMembershipPastManyTtls) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    pass(20s);
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(a.changes.size(), 2u);  // two joins, nothing else
}

TEST_F(StoreMembershipTest, PutIfAbsentHasExactlyOneWinner) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    ClaimResult ra = a.m.claim("user/alice");
    ClaimResult rb = b.m.claim("user/alice");
    EXPECT_TRUE(ra.won);
    EXPECT_FALSE(rb.won);
    EXPECT_EQ(rb.owner, "a");
    EXPECT_EQ(b.m.owner("user/alice"), std::optional<std::string>("a"));
    EXPECT_TRUE(a.m.claim("user/alice").won) << "claiming again what it owns is a win";
    EXPECT_FALSE(b.m.release("user/alice")) << "b cannot hand over what a owns";
    EXPECT_TRUE(a.m.release("user/alice"));
    EXPECT_EQ(a.m.owner("user/alice"), std::nullopt);
    EXPECT_TRUE(b.m.claim("user/alice").won);
}

TEST_F(StoreMembershipTest, IdentitiesOfALapsedMemberFreeUp) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    ASSERT_TRUE(b.m.claim("user/bob").won);
    for (int i = 0; i < 40; ++i) {
        advance(100ms);
        a.m.tick(engine.now());
    }
    EXPECT_EQ(a.m.owner("user/bob"), std::nullopt);
    EXPECT_TRUE(a.m.claim("user/bob").won);
}

TEST_F(StoreMembershipTest, GracefulLeaveDeletesKeysAndOthersSeeReasonGraceful) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    ASSERT_TRUE(b.m.claim("user/x").won);
    tick_all();
    b.m.leave();
    EXPECT_FALSE(b.m.joined());
    a.m.tick(engine.now());
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a"}));
    EXPECT_EQ(a.changes.back().reason, MemberLeftReason::graceful);
    for (const auto& [k, v] : store->dump()) EXPECT_EQ(k.find("/t/members/b"), std::string::npos) << k;
    EXPECT_EQ(store->dump().count("/t/identities/user/x"), 0u);
    ASSERT_EQ(b.changes.back().kind, MembershipChange::Kind::left);
    EXPECT_THROW((void)b.m.claim("user/y"), ClusterError);
}

TEST_F(StoreMembershipTest, StoreDownCallsFailFastStateIsKeptAndAShortOutageLosesNothing) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    ASSERT_TRUE(a.m.claim("user/kept").won);
    tick_all();
    store->set_available(false);
    pass(1500ms);  // shorter than the 3 s TTL
    EXPECT_FALSE(a.m.available());
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"})) << "the last known list is kept";
    try {
        (void)a.m.claim("user/new");
        ADD_FAILURE() << "claim succeeded while the store is down";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::cluster_unavailable);
    }
    EXPECT_GT(a.m.stats().keepalive_failures, 0u);
    store->set_available(true);
    pass(1s);
    EXPECT_TRUE(a.m.available());
    EXPECT_TRUE(a.reregs.empty()) << "the lease survived: nothing to re-register";
    EXPECT_EQ(a.m.owner("user/kept"), std::optional<std::string>("a"));
    EXPECT_EQ(a.changes.size(), 2u) << "no member left or joined across the outage";
}

TEST_F(StoreMembershipTest, AfterALongOutageTheMemberReregistersAndReportsWhatItLost) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    ASSERT_TRUE(a.m.claim("user/one").won);
    ASSERT_TRUE(a.m.claim("user/two").won);
    tick_all();
    store->set_available(false);
    pass(5s);  // a's lease lapses in the store meanwhile (and b's: nobody can renew)
    store->set_available(true);
    // b comes back first and wins one of a's identities.
    for (int i = 0; i < 20 && !b.m.available(); ++i) {  // b retries on its own backoff
        advance(100ms);
        b.m.tick(engine.now());
    }
    ASSERT_TRUE(b.m.available());
    ASSERT_TRUE(b.m.claim("user/two").won);
    pass(2s);
    ASSERT_EQ(a.reregs.size(), 1u);
    EXPECT_EQ(a.reregs[0].kept, (std::vector<std::string>{"user/one"}));
    EXPECT_EQ(a.reregs[0].lost, (std::vector<std::string>{"user/two"}));
    EXPECT_EQ(a.m.owner("user/one"), std::optional<std::string>("a"));
    EXPECT_GE(a.m.stats().reregistrations, 1u);
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(a.m.claim("user/three").won);
}

TEST_F(StoreMembershipTest, GarbageMemberValuesAreCountedAndSkipped) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    store->put_raw("/t/members/evil", "{not a member}");
    store->put_raw("/t/members/huge", std::string(1 << 20, 'x'));
    tick_all();
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a"}));
    EXPECT_EQ(a.m.stats().bad_entries, 2u);
    EXPECT_NE(a.m.stats().last_bad_entry.find("bad_data"), std::string::npos);
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    tick_all();
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a", "b"})) << "the member keeps working";
}

TEST_F(StoreMembershipTest, BadIdentitiesAndOwnersAreClearErrors) {
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    try {
        (void)a.m.claim(std::string(1 << 20, 'i'));
        ADD_FAILURE() << "a 1 MB identity was accepted";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::invalid_argument);
    }
    EXPECT_THROW((void)a.m.claim(""), ClusterError);
    store->put_raw("/t/identities/user/z", std::string(100000, 'o'));
    try {
        (void)a.m.owner("user/z");
        ADD_FAILURE() << "a 100 kB owner was accepted";
    } catch (const ClusterError& e) {
        EXPECT_EQ(e.code(), ClusterErrorCode::bad_data);
    }
    EXPECT_TRUE(a.m.claim("user/ok").won) << "the member keeps working";
}

TEST_F(StoreMembershipTest, CallsBeforeJoinAndBadMembersAreRefused) {
    EXPECT_THROW((void)a.m.claim("user/x"), ClusterError);
    EXPECT_THROW(a.m.join(Member{"has/slash", "127.0.0.1:1", {}}), ClusterError);
    EXPECT_THROW(a.m.join(Member{"ok", "", {}}), ClusterError);
    EXPECT_FALSE(a.m.joined());
    a.m.join(Member{"ok", "127.0.0.1:1", {}});
    EXPECT_THROW(a.m.join(Member{"ok", "127.0.0.1:1", {}}), ClusterError);
}

TEST_F(StoreMembershipTest, DriveTicksTheProviderOnTheEngineTimers) {
    Pid ticker = drive(engine, a.m, 200ms);
    b.m.join(Member{"b", "127.0.0.1:2", {}});
    a.m.join(Member{"a", "127.0.0.1:1", {}});
    // b never ticks: it lapses, and only the driven ticks can tell a.
    advance(5s);
    EXPECT_EQ(names(a.m.members()), (std::vector<std::string>{"a"}));
    engine.stop(ticker);
    run();
}

// A dashboard that attaches after the members joined still lists them: the engine's snapshot
// restates them (Snapshot::standing), and no longer once the membership provider is gone.
TEST_F(StoreMembershipTest, TheEnginesSnapshotRestatesTheMembersForObserversThatAttachLater) {
    a.m.join(Member{"a", "127.0.0.1:1", {"user"}});
    b.m.join(Member{"b", "127.0.0.1:2", {"user", "room"}});
    tick_all();
    run();
    const Snapshot s = engine.snapshot();
    std::vector<MemberJoined> restated;
    for (const Event& e : s.standing) {
        EXPECT_EQ(e.seq, s.last_seq);
        if (const auto* j = e.as<MemberJoined>()) restated.push_back(*j);
    }
    ASSERT_EQ(restated.size(), 2u);
    EXPECT_EQ(restated[0].member, "a");
    EXPECT_EQ(restated[1].member, "b");
    EXPECT_EQ(restated[1].kinds, (std::vector<std::string>{"user", "room"}));
    {
        Node c{store, &engine.events()};  // a second provider on the same stream, gone at the brace
        c.m.join(Member{"c", "127.0.0.1:3", {}});
        c.m.tick(engine.now());
        EXPECT_EQ(engine.snapshot().standing.size(), 2u + 3u);
    }
    EXPECT_EQ(engine.snapshot().standing.size(), 2u);
}
