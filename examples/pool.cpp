// pool: a router in front of supervised workers. Work spreads over the workers, a crashing worker
// is restarted by the pool without losing the messages queued behind the crash, requests are
// answered by whichever worker got them, and the pool can grow and shrink while it runs.
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

struct Job {
    int id;
    std::string customer;  // consistent hashing keeps one customer on one worker
};
struct Crash {};
struct WhoAmI {
    using Response = std::string;
};

// Shared tally, only to print who did what at the end.
std::mutex tally_mutex;
std::map<std::string, int> jobs_per_worker;

class Worker : public Actor {
public:
    void receive(Context& ctx, Message& msg) override {
        msg.visit(
            [&](const Job&) {
                std::lock_guard lock(tally_mutex);
                ++jobs_per_worker[ctx.name()];
            },
            [&](const Crash&) -> void { throw std::runtime_error("worker hit a bad record"); },
            [&](const WhoAmI&) { return ctx.name() + " " + ctx.self().to_string(); });
    }
};

std::uint64_t customer_key(const Message& m) {
    auto* job = m.as<Job>();
    return job ? std::hash<std::string>{}(job->customer) : 0;
}

int main() {
    Engine engine;
    PoolOptions options;
    options.size = 3;
    options.routing = Routing::consistent_hash;
    options.hash_key = customer_key;
    options.worker = [] { return std::make_unique<Worker>(); };
    // The pool supervises its workers: restart a crashed one at once, at most 5 times a minute.
    options.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(5, 60s));
    Pid pool = spawn_pool(engine, "orders", options);

    const char* customers[] = {"ada", "brian", "grace", "ken", "linus", "margaret"};
    for (int i = 0; i < 60; ++i) engine.send(pool, Job{i, customers[i % 6]});
    engine.wait_idle();

    // A request through the pool is answered by the worker that got it.
    std::printf("asked the pool 'who are you?': %s\n", engine.request(pool, WhoAmI{}).get().value().c_str());

    // Crash one worker. The pool restarts it; its Pid keeps its id and gains a generation.
    auto before = engine.request(pool, GetRoutees{}).get().value();
    engine.send(pool, Job{100, "ada"});
    engine.send(pool, Crash{});
    engine.send(pool, Job{101, "ada"});
    engine.wait_idle();
    auto after = engine.request(pool, GetRoutees{}).get().value();
    for (std::size_t i = 0; i < before.size(); ++i) {
        auto info = engine.info(after[i]);
        std::printf("worker %zu: %s -> %s restarts=%llu\n", i + 1, before[i].to_string().c_str(), info->pid.to_string().c_str(),
                    static_cast<unsigned long long>(info->restarts));
    }

    // Grow, then shrink: removed workers finish what they had queued, then stop.
    engine.send(pool, Resize{5});
    for (int i = 0; i < 50; ++i) engine.send(pool, Job{200 + i, customers[i % 6] + std::string("-") + std::to_string(i)});
    engine.send(pool, Resize{2});
    engine.wait_idle();
    std::printf("routees after resize to 5 and back to 2: %zu\n", engine.request(pool, GetRoutees{}).get().value().size());

    {
        std::lock_guard lock(tally_mutex);
        for (auto& [name, n] : jobs_per_worker) std::printf("  %-16s handled %d jobs\n", name.c_str(), n);
    }
    // A reply can arrive before its handler's turn has finished counting it: settle first.
    engine.wait_idle();
    auto c = engine.counters();
    std::printf("sent=%llu in_flight=%llu processed=%llu dead_lettered=%llu (the crashing message) restarts=%llu\n",
                static_cast<unsigned long long>(c.sent), static_cast<unsigned long long>(c.in_flight),
                static_cast<unsigned long long>(c.processed),
                static_cast<unsigned long long>(c.dead_lettered), static_cast<unsigned long long>(c.restarts));
    engine.shutdown();
    return c.restarts == 1 ? 0 : 1;
}
