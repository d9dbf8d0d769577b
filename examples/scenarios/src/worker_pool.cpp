// worker-pool: a router pool of 8 supervised workers fed by a producer. About one job in 50 is a
// "corrupt record" that crashes its worker; the pool restarts it with exponential backoff (with
// jitter), so a worker that keeps crashing waits visibly longer each time, and one that crashes
// more than 6 times in 30 s is stopped (MaxRestartsExceeded) and escalates: the scenario's root
// then restarts the whole pool after its own backoff.
#include <chrono>
#include <stdexcept>
#include <string>

#include "actors/pool.hpp"
#include "catalog.hpp"
#include "demo_actor.hpp"
#include "rooted_scenario.hpp"

namespace actors::scenarios::detail {
namespace {

using namespace std::chrono_literals;

struct Job {
    std::uint64_t id = 0;
    TimePoint sent_at{};
};
struct Produce {};

constexpr std::size_t kWorkers = 8;
constexpr std::uint64_t kCrashOneIn = 50;
constexpr Duration kProduceEvery = 100ms;
constexpr int kJobsPerTick = 4;  // 40 jobs/s: about one crash every 1.25 s across the pool

class Worker final : public DemoActor {
public:
    void started(Context& ctx) override {
        rng_ = rng_for(ctx);
        started_at_ = ctx.now();
    }

protected:
    void handle(Context&, Message& msg) override {
        auto* job = msg.as<Job>();
        if (!job || !rng_.one_in(kCrashOneIn)) return;
        // Only jobs sent after this instance started may crash it: older ones may come from the
        // restart stash (see demo_actor.hpp). They are still drawn, so the sequence stays the same.
        if (job->sent_at > started_at_) throw std::runtime_error("job " + std::to_string(job->id) + ": corrupt record");
    }

private:
    Rng rng_;
    TimePoint started_at_{};
};

class JobProducer final : public DemoActor {
public:
    explicit JobProducer(Pid pool) : pool_(pool) {}
    void started(Context& ctx) override { ctx.send_repeat(kProduceEvery, ctx.self(), Produce{}); }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (!msg.is<Produce>()) return;
        for (int i = 0; i < kJobsPerTick; ++i) ctx.send(pool_, Job{++next_id_, ctx.now()});
    }

private:
    Pid pool_;  // a restarted pool keeps its Pid id, so this stays valid
    std::uint64_t next_id_ = 0;
};

PoolOptions pool_options() {
    PoolOptions o;
    o.size = kWorkers;
    o.routing = Routing::round_robin;
    o.worker = producer_of<Worker>();
    // Delays 200 ms, 400 ms, ... up to 5 s (+/- 20 %) for restarts within the 30 s window.
    o.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::backoff(200ms, 5s, 2.0, 0.2, 6, 30s));
    return o;
}

class Root final : public DemoActor {
public:
    void started(Context& ctx) override {
        pool_ = spawn_pool(ctx, "pool", pool_options());
        ctx.spawn<JobProducer>("producer", pool_);
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        auto* add = msg.as<AddMember>();
        if (!add) return;
        // Resize refills workers that left the pool, then adds one; the newest worker is the last
        // routee. Both go from this actor to the pool, so they arrive in this order.
        ctx.send(pool_, Resize{++size_});
        ctx.request(pool_, GetRoutees{}, [responder = msg.take_responder(*add)](Result<std::vector<Pid>> r) {
            if (!r) responder.fail(r.error());
            else if (r.value().empty()) responder.fail(Error{ErrorCode::no_reply, "the pool has no workers"});
            else responder.reply(r.value().back());
        });
    }

private:
    Pid pool_;
    std::size_t size_ = kWorkers;
};

class WorkerPool final : public RootedScenario {
public:
    using RootedScenario::RootedScenario;

    std::size_t storm(Engine& engine, std::size_t messages) override {
        auto pool = find(engine, "pool");
        if (!pool) return 0;
        for (std::size_t i = 0; i < messages; ++i) engine.send(*pool, Job{1'000'000'000 + i, engine.now()});
        return messages;
    }

protected:
    [[nodiscard]] Producer root_producer() const override { return producer_of<Root>(); }
    [[nodiscard]] SpawnOptions root_options(const Engine&) const override {
        // A pool escalates when one of its workers exceeds its restart limit: start it afresh,
        // backing off in turn if that keeps happening.
        SpawnOptions o;
        o.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::backoff(1s, 10s, 2.0, 0.2, 5, 60s));
        return o;
    }
    [[nodiscard]] bool crashable(std::string_view leaf) const override { return starts_with(leaf, "worker-"); }
};

}  // namespace

std::unique_ptr<Scenario> make_worker_pool(const ScenarioInfo& info) { return std::make_unique<WorkerPool>(info); }

}  // namespace actors::scenarios::detail
