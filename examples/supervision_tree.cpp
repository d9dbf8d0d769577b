// supervision_tree: a supervisor decides, per exception type, what happens to a child that
// crashed - restart it (fresh state, generation + 1), resume it (state kept), or escalate (the
// supervisor fails in turn, and its own supervisor, here the root guardian, restarts it).
#include <chrono>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

// A failure worth shrugging off. It is a runtime_error too, so the decider must test it first.
struct Transient : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Inc {};
struct Crash {
    char kind;  // 'r' runtime_error, 't' Transient, anything else logic_error
};
struct GetCount {
    using Response = int;
};

class Worker : public Actor {
public:
    void started(Context& ctx) override {
        std::printf("  [%s] started as %s, count=%d\n", ctx.name().c_str(), ctx.self().to_string().c_str(), count_);
    }
    void receive(Context&, Message& msg) override {
        msg.visit([&](const Inc&) { ++count_; },
                  [&](const GetCount&) { return count_; },
                  [&](const Crash& c) {
                      if (c.kind == 'r') throw std::runtime_error("disk on fire");
                      if (c.kind == 't') throw Transient("network hiccup");
                      throw std::logic_error("impossible state");
                  });
    }

private:
    int count_ = 0;  // lost on restart, kept on resume
};

class Supervisor : public Actor {
public:
    // Children are (re)made here, so a restarted supervisor rebuilds its whole subtree.
    void started(Context& ctx) override {
        ctx.spawn<Worker>("worker-a");
        ctx.spawn<Worker>("worker-b");
    }
    void receive(Context&, Message&) override {}
};

// The decision is by exception type; Failure::is<E>() also matches types derived from E.
Directive decide(const Failure& f) {
    if (f.is<Transient>()) return Directive::resume;
    if (f.is<std::runtime_error>()) return Directive::restart;
    return Directive::escalate;
}

int main() {
    Engine engine;
    std::map<std::uint64_t, std::string> names;  // Pid id -> name, learnt from ActorSpawned
    std::uint64_t cursor = 0;
    // Print the supervision events since the last call, skipping the routine spawn/start ones.
    auto show_events = [&] {
        EventBatch batch = engine.events().read_since(cursor);
        cursor = batch.next;
        for (const Event& e : batch.events) {
            if (auto* s = e.as<ActorSpawned>()) names[s->pid.id] = s->name;
            if (e.is<ActorSpawned>() || e.is<ActorStarted>()) continue;
            // The actor an event is about: pid, or target (DeadLetter), or from (Escalated).
            Pid who = std::visit([](const auto& b) -> Pid {
                if constexpr (requires { b.pid; }) return b.pid;
                else if constexpr (requires { b.target; }) return b.target;
                else if constexpr (requires { b.from; }) return b.from;
                else return {};
            }, e.body);
            std::printf("    %-20s %s\n", names[who.id].c_str(), describe(e).c_str());
        }
    };
    auto count_of = [&](Pid p) { return engine.request(p, GetCount{}).get().value(); };

    // The strategy belongs to the parent: it decides for each child, one at a time (one_for_one),
    // allowing at most 5 restarts of a child within any 1 s.
    SpawnOptions opts;
    opts.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(5, 1s), decide);
    Pid sup = engine.spawn<Supervisor>("supervisor", opts);
    engine.wait_idle();
    Pid a = *engine.lookup("supervisor/worker-a");
    Pid b = *engine.lookup("supervisor/worker-b");
    show_events();

    std::printf("\n1. runtime_error -> restart: worker-a counts to 3, then crashes\n");
    for (int i = 0; i < 3; ++i) engine.send(a, Inc{});
    std::printf("  worker-a count before: %d\n", count_of(a));
    engine.send(a, Crash{'r'});  // this message is not retried: it becomes a dead letter
    engine.wait_idle();
    show_events();
    // The old Pid (generation 0) still reaches the new incarnation; only the state is new.
    std::printf("  worker-a is now %s, count=%d (fresh instance)\n", engine.info(a)->pid.to_string().c_str(), count_of(a));

    std::printf("\n2. Transient -> resume: worker-b counts to 2, hiccups, counts on\n");
    engine.send(b, Inc{});
    engine.send(b, Inc{});
    engine.send(b, Crash{'t'});
    engine.send(b, Inc{});  // waits in the mailbox while the supervisor decides, then runs
    engine.wait_idle();
    show_events();  // a resume publishes no event of its own: the failure is all there is to see
    std::printf("  worker-b is still %s, count=%d (same instance)\n", engine.info(b)->pid.to_string().c_str(), count_of(b));

    std::printf("\n3. logic_error -> escalate: the supervisor fails, the root guardian restarts it\n");
    engine.send(a, Crash{'x'});
    engine.wait_idle();
    show_events();
    // Restarting the supervisor stopped its children; its new instance spawned new ones.
    std::printf("  supervisor is now %s; worker-a is a new actor %s; the old one is %s\n",
                engine.info(sup)->pid.to_string().c_str(), engine.lookup("supervisor/worker-a")->to_string().c_str(),
                engine.alive(a) ? "alive?!" : "dead");

    engine.shutdown();
    EngineCounters c = engine.counters();  // 4 failures: a, b, a again, and the supervisor itself
    std::printf("\nfailures=%d restarts=%d\n", static_cast<int>(c.failures), static_cast<int>(c.restarts));
    return c.restarts == 2 && c.failures == 4 ? 0 : 1;
}
