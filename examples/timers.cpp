// timers: messages delivered later. A one-shot (send_after), a repeating timer (send_repeat)
// cancelled through its handle, a timer cancelled before it fired, and timers that die with the
// actor that owns them. Real time on the thread pool, so the printed times vary by a millisecond
// or two from run to run.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "actors/actors.hpp"

using namespace actors;
using namespace std::chrono_literals;

struct Tick {};
struct Reminder {
    std::string text;
};
// Answered once the metronome has cancelled its ticks: main waits on it instead of sleeping.
struct WhenDone {
    using Response = int;
};

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

class Metronome : public Actor {
public:
    void started(Context& ctx) override {
        t0_ = ctx.now();
        ctx.send_after(30ms, ctx.self(), Reminder{"30 ms have passed"});  // fire and forget
        ticks_ = ctx.send_repeat(20ms, ctx.self(), Tick{});              // keep the handle to cancel
    }
    void receive(Context& ctx, Message& msg) override {
        msg.visit([&](const Reminder& r) { std::printf("  t=%3.0f ms  reminder: %s\n", ms(ctx.now() - t0_), r.text.c_str()); },
                  [&](const Tick&) {
                      std::printf("  t=%3.0f ms  tick %d\n", ms(ctx.now() - t0_), ++ticks_seen_);
                      if (ticks_seen_ < 5) return;
                      const bool stopped = ticks_.cancel();
                      std::printf("  cancel() -> %s, active() -> %s\n", stopped ? "true" : "false", ticks_.active() ? "true" : "false");
                      if (done_.valid()) done_.reply(ticks_seen_);
                  },
                  [&](const WhenDone& w) {
                      done_ = msg.take_responder(w);
                      if (ticks_seen_ >= 5) done_.reply(ticks_seen_);
                  });
    }

private:
    TimePoint t0_{};
    TimerHandle ticks_;
    int ticks_seen_ = 0;
    Responder<int> done_;
};

// Polls every 10 ms and never cancels: stopping the actor cancels its timers. It hands its
// handle out only so main can look at it afterwards.
class Poller : public Actor {
public:
    explicit Poller(std::shared_ptr<TimerHandle> handle) : handle_(std::move(handle)) {}
    void started(Context& ctx) override { *handle_ = ctx.send_repeat(10ms, ctx.self(), Tick{}); }
    void receive(Context&, Message& msg) override {
        if (msg.is<Tick>()) ++polls_;
    }
    void stopped(Context&) override { std::printf("  poller stopped after %d polls\n", polls_); }

private:
    std::shared_ptr<TimerHandle> handle_;
    int polls_ = 0;
};

int main() {
    Engine engine;  // thread pool; timers run on its timer thread and just send the message

    std::printf("1. a metronome: one reminder at 30 ms, a tick every 20 ms until the 5th\n");
    Pid metronome = engine.spawn<Metronome>("metronome");
    // A timer from outside any actor, cancelled before it is due: its message is never sent.
    TimerHandle never = engine.send_after(50ms, metronome, Reminder{"you should never see this"});
    std::printf("  external send_after(50 ms) cancelled early: cancel() -> %s\n", never.cancel() ? "true" : "false");
    Result<int> ticks = engine.request(metronome, WhenDone{}, 2s).get();
    std::this_thread::sleep_for(60ms);  // long enough for a tick that was not cancelled to show
    std::printf("  60 ms later the metronome has still seen %d ticks\n", engine.request(metronome, WhenDone{}).get().value());

    std::printf("2. a poller with a 10 ms repeat, stopped after ~55 ms\n");
    auto handle = std::make_shared<TimerHandle>();
    Pid poller = engine.spawn<Poller>("poller", handle);
    std::this_thread::sleep_for(55ms);
    engine.stop(poller);
    engine.wait_idle();
    std::printf("  its timer: active() -> %s, cancel() -> %s (already cancelled)\n", handle->active() ? "true" : "false",
                handle->cancel() ? "true" : "false");
    // Had the timer survived its actor, each firing would now be a dead letter.
    const std::uint64_t seq = engine.events().last_seq();
    std::this_thread::sleep_for(50ms);
    int dead = 0;
    for (const Event& e : engine.events().read_since(seq).events) dead += e.is<DeadLetter>() ? 1 : 0;
    std::printf("  dead letters in the 50 ms after it stopped: %d\n", dead);

    engine.shutdown();
    return ticks.value() == 5 && dead == 0 ? 0 : 1;
}
