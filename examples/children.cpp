// children: actors form a tree. A parent spawns children, their names nest under its own, the
// snapshot shows the tree, and stopping the parent takes the whole subtree down, newest first.
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "actors/actors.hpp"

using namespace actors;

class Child : public Actor {
public:
    void receive(Context&, Message&) override {}
};

class Parent : public Actor {
public:
    // Children are spawned in started(), not the constructor: only now does the parent exist in
    // the engine, with a Context to spawn through.
    void started(Context& ctx) override {
        for (int i = 1; i <= 3; ++i) {
            Pid kid = ctx.spawn<Child>("child-" + std::to_string(i));
            std::printf("%s spawned %s as %s\n", ctx.name().c_str(), ctx.engine().info(kid)->name.c_str(),
                        kid.to_string().c_str());
        }
    }
    void receive(Context&, Message&) override {}
};

int main() {
    Engine engine;
    Pid parent = engine.spawn<Parent>("parent");
    Pid loner = engine.spawn_fn("loner", [](Context&, Message&) {});  // another top-level actor, for contrast
    engine.wait_idle();

    // A child's registered name is its path, so it can be found without asking the parent.
    if (auto kid = engine.lookup("parent/child-2"))
        std::printf("lookup(\"parent/child-2\") -> %s\n", kid->to_string().c_str());

    // The snapshot is a consistent copy of the actor table: print it as a tree, roots first.
    Snapshot snap = engine.snapshot();
    std::map<Pid, ActorInfo> by_pid;
    for (const ActorInfo& a : snap.actors) by_pid[a.pid] = a;
    std::function<void(const ActorInfo&, int)> print_tree = [&](const ActorInfo& a, int depth) {
        std::printf("  %*s%-*s %s  %s, %zu children\n", depth * 2, "", 18 - depth * 2, a.name.c_str(),
                    a.pid.to_string().c_str(), to_string(a.state), a.children.size());
        for (const Pid& c : a.children) print_tree(by_pid.at(c), depth + 1);
    };
    std::printf("snapshot (%zu actors, as of event #%llu):\n", snap.actors.size(),
                static_cast<unsigned long long>(snap.last_seq));
    for (const ActorInfo& a : snap.actors)
        if (!a.parent) print_tree(a, 0);

    // Stopping the parent stops its children first, one at a time, newest first: a child may
    // depend on the ones spawned before it, never the other way round.
    engine.stop(parent);
    engine.wait_idle();

    // The event stream kept the whole story; read it from the start and keep the stops.
    std::printf("ActorStopped events, in order:\n");
    for (const Event& e : engine.events().read_since(0).events) {
        if (auto* s = e.as<ActorStopped>())
            std::printf("  #%-3llu %-16s reason=%s\n", static_cast<unsigned long long>(e.seq),
                        by_pid.at(s->pid).name.c_str(), to_string(s->reason));
    }
    std::printf("parent alive: %s, loner alive: %s\n", engine.alive(parent) ? "yes" : "no",
                engine.alive(loner) ? "yes" : "no");

    engine.shutdown();
    return 0;
}
