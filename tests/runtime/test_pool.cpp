#include "support/deterministic_engine.hpp"

#include <map>
#include <set>

using namespace actors;
using actors::testing::DeterministicEngine;

namespace {
struct Job {
    int id;
    std::uint64_t key = 0;
};
struct Crash {};
struct WhoAreYou {
    using Response = Pid;
};

// Records, per worker Pid id, the jobs it handled.
using Seen = std::shared_ptr<std::map<std::uint64_t, std::vector<int>>>;

Producer recording_worker(Seen seen) {
    return [seen]() -> std::unique_ptr<Actor> {
        struct Worker : Actor {
            explicit Worker(Seen s) : seen_(std::move(s)) {}
            void receive(Context& ctx, Message& m) override {
                m.visit([&](const Job& j) { (*seen_)[ctx.self().id].push_back(j.id); },
                        [&](const Crash&) { throw std::runtime_error("worker crash"); },
                        [&](const WhoAreYou&) { return ctx.self(); });
            }
            Seen seen_;
        };
        return std::make_unique<Worker>(seen);
    };
}

PoolOptions pool_of(std::size_t n, Routing routing, Seen seen) {
    PoolOptions o;
    o.size = n;
    o.routing = routing;
    o.worker = recording_worker(std::move(seen));
    return o;
}
}  // namespace

using Pool = DeterministicEngine;

TEST_F(Pool, SpawnsItsWorkersAsChildren) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(3, Routing::round_robin, seen));
    run();
    auto routees = engine.request(pool, GetRoutees{});
    run();
    ASSERT_EQ(routees.result()->value().size(), 3u);
    EXPECT_TRUE(engine.lookup("pool/worker-1"));
    EXPECT_TRUE(engine.lookup("pool/worker-3"));
    EXPECT_EQ(engine.info(pool)->children.size(), 3u);
}

TEST_F(Pool, RoundRobinGivesEachWorkerItsTurn) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(3, Routing::round_robin, seen));
    for (int i = 0; i < 9; ++i) engine.send(pool, Job{i});
    run();
    ASSERT_EQ(seen->size(), 3u);
    std::vector<std::vector<int>> per_worker;
    for (auto& [id, jobs] : *seen) per_worker.push_back(jobs);
    EXPECT_EQ(per_worker[0], (std::vector<int>{0, 3, 6}));
    EXPECT_EQ(per_worker[1], (std::vector<int>{1, 4, 7}));
    EXPECT_EQ(per_worker[2], (std::vector<int>{2, 5, 8}));
    expect_conserved();
}

TEST_F(Pool, RandomRoutingReachesEveryWorkerAndIsRepeatable) {
    auto run_once = [](std::uint64_t seed) {
        auto clock2 = std::make_shared<ManualClock>();
        EngineConfig cfg = EngineConfig::deterministic(clock2);
        cfg.random_seed = seed;
        Engine e(cfg);
        auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
        Pid pool = spawn_pool(e, "pool", pool_of(4, Routing::random, seen));
        for (int i = 0; i < 400; ++i) e.send(pool, Job{i});
        e.run_until_idle();
        return *seen;
    };
    auto a = run_once(7), b = run_once(7);
    EXPECT_EQ(a, b);
    ASSERT_EQ(a.size(), 4u);
    std::size_t total = 0;
    for (auto& [id, jobs] : a) {
        EXPECT_GT(jobs.size(), 50u) << "400 jobs over 4 workers at random";
        total += jobs.size();
    }
    EXPECT_EQ(total, 400u);
}

TEST_F(Pool, BroadcastDeliversACopyToEveryWorker) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(3, Routing::broadcast, seen));
    engine.send(pool, Job{1});
    engine.send(pool, Job{2});
    run();
    ASSERT_EQ(seen->size(), 3u);
    for (auto& [id, jobs] : *seen) EXPECT_EQ(jobs, (std::vector<int>{1, 2}));
    expect_conserved();
}

TEST_F(Pool, BroadcastRequestIsAnsweredOnceByTheFirstWorker) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(3, Routing::broadcast, seen));
    run();
    auto routees = engine.request(pool, GetRoutees{});
    run();
    auto who = engine.request(pool, WhoAreYou{});
    run();
    ASSERT_TRUE(who.result()->ok());
    EXPECT_EQ(who.result()->value(), routees.result()->value().front());
}

TEST_F(Pool, ConsistentHashSendsEachKeyToOneWorker) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    PoolOptions o = pool_of(4, Routing::consistent_hash, seen);
    o.hash_key = [](const Message& m) { return m.as<Job>() ? m.as<Job>()->key : 0; };
    Pid pool = spawn_pool(engine, "pool", o);
    for (int round = 0; round < 5; ++round)
        for (std::uint64_t key = 0; key < 50; ++key) engine.send(pool, Job{static_cast<int>(key), key});
    run();
    // Every key's five jobs landed on the same worker.
    std::map<int, std::set<std::uint64_t>> workers_of_key;
    for (auto& [worker, jobs] : *seen)
        for (int key : jobs) workers_of_key[key].insert(worker);
    ASSERT_EQ(workers_of_key.size(), 50u);
    for (auto& [key, workers] : workers_of_key) EXPECT_EQ(workers.size(), 1u) << "key " << key;
    EXPECT_GE(seen->size(), 3u) << "50 keys should spread over the workers";
}

TEST_F(Pool, ConsistentHashMovesFewKeysWhenResized) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    PoolOptions o = pool_of(4, Routing::consistent_hash, seen);
    o.hash_key = [](const Message& m) { return m.as<Job>() ? m.as<Job>()->key : 0; };
    Pid pool = spawn_pool(engine, "pool", o);
    auto owner_of_keys = [&] {
        seen->clear();
        for (std::uint64_t key = 0; key < 400; ++key) engine.send(pool, Job{static_cast<int>(key), key});
        run();
        std::map<int, std::uint64_t> owner;
        for (auto& [worker, jobs] : *seen)
            for (int key : jobs) owner[key] = worker;
        return owner;
    };
    auto before = owner_of_keys();
    engine.send(pool, Resize{5});
    run();
    auto after = owner_of_keys();
    int moved = 0;
    for (auto& [key, worker] : before) moved += after[key] != worker;
    // Ideal is 1/5 of the keys; a plain modulo would move about 4/5.
    EXPECT_LT(moved, 400 * 2 / 5) << moved << " of 400 keys moved";
    EXPECT_GT(moved, 0);
}

TEST_F(Pool, ARequestThroughThePoolIsAnsweredByTheWorker) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(2, Routing::round_robin, seen));
    auto a = engine.request(pool, WhoAreYou{});
    auto b = engine.request(pool, WhoAreYou{});
    run();
    ASSERT_TRUE(a.result()->ok());
    ASSERT_TRUE(b.result()->ok());
    EXPECT_NE(a.result()->value(), b.result()->value());
    EXPECT_EQ(engine.info(a.result()->value())->parent, pool);
}

TEST_F(Pool, ACrashedWorkerIsRestartedByThePoolAndKeepsGettingWork) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(2, Routing::round_robin, seen));
    run();
    engine.send(pool, Crash{});  // worker-1 crashes
    engine.send(pool, Job{1});   // worker-2
    engine.send(pool, Job{2});   // worker-1 again, restarted
    run();
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_EQ(restarted[0].pid.generation, 1u);
    EXPECT_EQ(engine.info(restarted[0].pid)->parent, pool);
    std::size_t handled = 0;
    for (auto& [w, jobs] : *seen) handled += jobs.size();
    EXPECT_EQ(handled, 2u);
    EXPECT_TRUE(engine.alive(pool));
    EXPECT_EQ(engine.info(pool)->restarts, 0u) << "the pool itself did not fail";
}

TEST_F(Pool, ResizeGrowsAndShrinks) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(2, Routing::round_robin, seen));
    engine.send(pool, Resize{5});
    run();
    auto grown = engine.request(pool, GetRoutees{});
    run();
    EXPECT_EQ(grown.result()->value().size(), 5u);
    engine.send(pool, Resize{1});
    run();
    auto shrunk = engine.request(pool, GetRoutees{});
    run();
    ASSERT_EQ(shrunk.result()->value().size(), 1u);
    EXPECT_EQ(engine.info(pool)->children.size(), 1u) << "removed workers stopped";
    for (int i = 0; i < 3; ++i) engine.send(pool, Job{i});
    run();
    EXPECT_EQ(seen->size(), 1u);
    expect_conserved();
}

TEST_F(Pool, AWorkerStoppedFromOutsideLeavesThePool) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(3, Routing::round_robin, seen));
    run();
    engine.stop(*engine.lookup("pool/worker-2"));
    run();
    auto routees = engine.request(pool, GetRoutees{});
    run();
    EXPECT_EQ(routees.result()->value().size(), 2u);
}

TEST_F(Pool, AnEmptyPoolDeadLettersWhatItReceives) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(0, Routing::round_robin, seen));
    engine.send(pool, Job{1});
    run();
    EXPECT_EQ(sink.count<DeadLetter>(), 1u);
    expect_conserved();
}

TEST_F(Pool, BadOptionsAreRejected) {
    PoolOptions none;
    EXPECT_THROW(spawn_pool(engine, "p1", none), std::invalid_argument);
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    PoolOptions hashless = pool_of(2, Routing::consistent_hash, seen);
    EXPECT_THROW(spawn_pool(engine, "p2", hashless), std::invalid_argument);
    PoolOptions huge = pool_of(1000000, Routing::round_robin, seen);
    EXPECT_THROW(spawn_pool(engine, "p3", huge), std::invalid_argument);
}

TEST_F(Pool, AResizeAboveTheLimitIsRefusedAtTheCallAndThePoolKeepsRunning) {
    auto seen = std::make_shared<std::map<std::uint64_t, std::vector<int>>>();
    Pid pool = spawn_pool(engine, "pool", pool_of(2, Routing::round_robin, seen));
    run();
    EXPECT_THROW(engine.send(pool, Resize{Resize::max_size + 1}), std::invalid_argument);
    EXPECT_NO_THROW(engine.send(pool, Resize{3}));
    run();
    auto routees = engine.request(pool, GetRoutees{});
    run();
    EXPECT_EQ(routees.result()->value().size(), 3u);
    EXPECT_EQ(sink.count<ActorFailed>(), 0u) << "the refusal happened at the call, not inside the pool";
    EXPECT_EQ(engine.info(pool)->restarts, 0u);
    expect_conserved();
}
