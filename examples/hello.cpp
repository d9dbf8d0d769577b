// hello: a first tour of the engine. Two kinds of actor, messages, lookup by name, a dead letter,
// a graceful shutdown, and the counters that prove no message went missing.
#include <cstdint>
#include <cstdio>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>

#include "actors/actors.hpp"
#include "actors/log.hpp"

using namespace actors;

// Messages are plain structs: any movable type will do, no base class or registration needed.
struct Greet {
    std::string who;
};
struct Shout {
    std::string text;
};

// A class-based actor. Its members need no mutex: the engine never runs receive() or the hooks
// of one actor on two threads at once.
class Greeter : public Actor {
public:
    void started(Context& ctx) override {
        std::printf("[%s] started as %s\n", ctx.name().c_str(), ctx.self().to_string().c_str());
    }

    void receive(Context& ctx, Message& msg) override {
        // visit() calls the handler whose parameter type matches, and ignores everything else
        // (including the Initialized/Started/Stopped notifications every actor also receives).
        msg.visit([&](const Greet& g) {
            ++greeted_;
            std::printf("[%s] hello, %s! (greeting #%d)\n", ctx.name().c_str(), g.who.c_str(), greeted_);
        });
    }

    void stopped(Context& ctx) override {
        std::printf("[%s] stopped after %d greetings\n", ctx.name().c_str(), greeted_);
    }

private:
    int greeted_ = 0;
};

int main() {
    // The engine logs to a logger named "actors"; registering our own first sends its lines to
    // stdout, so they interleave in order with this program's own output.
    spdlog::stdout_logger_mt("actors")->set_pattern("    [log %l] %v");
    logger()->set_level(spdlog::level::debug);  // debug shows spawned/started too, not just stopped

    Engine engine;  // default config: a thread pool with one worker per hardware thread
    // Declared after the engine so it is destroyed first: it must not outlive the stream it reads.
    EventLogger event_log(engine.events());

    Pid greeter = engine.spawn<Greeter>("greeter");
    // A function actor: for behaviour without state, a lambda is all it takes.
    Pid shouter = engine.spawn_fn("shouter", [](Context& ctx, Message& msg) {
        if (auto* s = msg.as<Shout>()) std::printf("[%s] %s!!!\n", ctx.name().c_str(), s->text.c_str());
    });

    // send() only queues the message: actors start and handle it on the pool's threads, so the
    // lines of the two actors may come out in a different order from one run to the next.
    engine.send(greeter, Greet{"world"});
    engine.send(shouter, Shout{"hello from main"});
    // wait_idle() blocks until no actor has work left; here it keeps the output in step order.
    engine.wait_idle();

    // Names decouple who sends from who handles: look the actor up instead of passing its Pid.
    if (auto found = engine.lookup("greeter")) {
        std::printf("lookup(\"greeter\") -> %s\n", found->to_string().c_str());
        engine.send(*found, Greet{"actors"});
    }
    std::printf("lookup(\"nobody\") -> %s\n", engine.lookup("nobody") ? "found?!" : "nothing");
    engine.wait_idle();

    // A message to an actor that has stopped is not lost silently: the send says so, and the
    // event stream carries a DeadLetter (the warning log line) naming target, type and reason.
    engine.stop(shouter);
    engine.wait_idle();
    SendStatus status = engine.send(shouter, Shout{"anyone there?"});
    std::printf("send to stopped shouter -> %s\n", to_string(status));

    // Graceful: the greeter handles what is queued, then stops; no engine thread runs after this.
    engine.shutdown();

    // Every message sent is accounted for: sent == processed + dead_lettered + dropped.
    EngineCounters c = engine.counters();
    auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };  // portable %llu
    std::printf("counters: sent=%llu processed=%llu dead_lettered=%llu dropped=%llu (spawned=%llu stopped=%llu)\n",
                u(c.sent), u(c.processed), u(c.dead_lettered), u(c.dropped), u(c.spawned), u(c.stopped));
    return c.sent == c.processed + c.dead_lettered + c.dropped ? 0 : 1;
}
