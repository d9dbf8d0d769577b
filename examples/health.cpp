// health: how the engine tells you an actor is in trouble before anything crashes. An actor's own
// health check (check_failed), a mailbox that is not keeping up (mailbox_lag) and a handler that
// runs too long (slow_handler) each raise ActorUnhealthy, and clear with ActorHealthy.
#include <chrono>
#include <cstdio>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

struct Disconnect {};
struct Reconnect {};
struct Job {
    std::chrono::milliseconds cost;
};

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Knows best whether it is healthy: it checks its own connection every 20 ms.
class DbClient : public Actor {
public:
    void started(Context& ctx) override {
        ctx.enable_health_check(20ms, [this](Context&) { return connected_; });
    }
    void receive(Context&, Message& msg) override {
        if (msg.is<Disconnect>()) connected_ = false;
        if (msg.is<Reconnect>()) connected_ = true;
    }

private:
    bool connected_ = true;
};

// Each job takes real time; sent faster than that, they wait in the mailbox.
void consume(Context&, Message& msg) {
    if (auto* job = msg.as<Job>()) std::this_thread::sleep_for(job->cost);
}

int main() {
    EngineConfig config;
    config.health.interval = 20ms;       // the monitor looks this often: measures are +/- 20 ms
    config.health.mailbox_lag = 100ms;   // oldest queued message older than this: unhealthy
    config.health.slow_handler = 150ms;  // one handler call longer than this: unhealthy
    const auto t0 = std::chrono::steady_clock::now();
    auto now_ms = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
    Engine engine(config);  // after now_ms, which its subscriber uses: destroyed before it

    // Health events as they happen (on an engine thread), with what was measured.
    engine.events().subscribe([&](const Event& e) {
        if (auto* u = e.as<ActorUnhealthy>())
            std::printf("%4.0f ms      UNHEALTHY %s %-12s measured=%5.1f ms  (%s)\n", now_ms(), u->pid.to_string().c_str(),
                        to_string(u->signal), ms(u->measured), u->detail.c_str());
        else if (auto* h = e.as<ActorHealthy>())
            std::printf("%4.0f ms      healthy   %s %-12s measured=%5.1f ms\n", now_ms(), h->pid.to_string().c_str(),
                        to_string(h->signal), ms(h->measured));
    });

    Pid db = engine.spawn<DbClient>("db");
    Pid consumer = engine.spawn_fn("consumer", consume);
    engine.wait_idle();
    std::printf("db is %s, consumer is %s\n", db.to_string().c_str(), consumer.to_string().c_str());

    std::printf("%4.0f ms  1. db loses its connection for 100 ms\n", now_ms());
    engine.send(db, Disconnect{});
    std::this_thread::sleep_for(100ms);
    // The snapshot carries the signals currently raised, for a dashboard that polls.
    std::printf("%4.0f ms      db health bits in the snapshot: %u (check_failed=1)\n", now_ms(), unsigned{engine.info(db)->health});
    engine.send(db, Reconnect{});
    std::this_thread::sleep_for(60ms);

    std::printf("%4.0f ms  2. ten 25 ms jobs at once: the last waits ~225 ms in the mailbox\n", now_ms());
    for (int i = 0; i < 10; ++i) engine.send(consumer, Job{25ms});
    engine.wait_idle();
    std::this_thread::sleep_for(60ms);  // the monitor's next looks see an empty mailbox

    // Only the handler is slow here: the mailbox is empty while it runs.
    std::printf("%4.0f ms  3. one job that takes 250 ms\n", now_ms());
    engine.send(consumer, Job{250ms});
    engine.wait_idle();
    std::this_thread::sleep_for(60ms);

    engine.shutdown();
    std::printf("%4.0f ms  done\n", now_ms());
    return 0;
}
