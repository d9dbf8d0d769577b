// slow-consumer: a producer sending 50 jobs/s into a consumer's 32-slot mailbox (drop_newest).
// 4 s after each (re)start the consumer's disk stalls while it flushes: its handler fails, and its supervisor
// waits out the stall (1.5 s, a fixed restart delay) before the consumer takes messages again.
// Meanwhile the jobs pile up: the mailbox fills (MailboxOverflow, dead letters mailbox_full) and
// the oldest waits longer than HealthOptions::mailbox_lag (ActorUnhealthy); once it drains, the
// consumer is healthy again.
//
// Why a stall and not a handler that takes long: a handler that blocks would block the browser
// page (one thread) and stand still on virtual time, while a supervised pause keeps messages
// waiting in the mailbox on every scheduler, including a ManualClock.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "catalog.hpp"
#include "demo_actor.hpp"
#include "rooted_scenario.hpp"

namespace actors::scenarios::detail {
namespace {

using namespace std::chrono_literals;

struct Work {
    std::uint64_t n = 0;
};
struct Feed {};
struct Flush {
    std::uint32_t generation = 0;  // only the instance that set the timer stalls (see demo_actor.hpp)
};

constexpr Duration kFeedEvery = 100ms;
constexpr int kFeedBatch = 5;  // 50 jobs/s per producer
constexpr std::size_t kMailbox = 32;
constexpr Duration kFlushEvery = 4s;
constexpr Duration kMinStall = 1500ms;

class Consumer final : public DemoActor {
public:
    void started(Context& ctx) override { ctx.send_repeat(kFlushEvery, ctx.self(), Flush{ctx.self().generation}); }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (auto* f = msg.as<Flush>(); f && f->generation == ctx.self().generation)
            throw std::runtime_error("disk stalled while flushing");
    }
};

class Feeder final : public DemoActor {
public:
    explicit Feeder(Pid consumer) : consumer_(consumer) {}
    void started(Context& ctx) override { ctx.send_repeat(kFeedEvery, ctx.self(), Feed{}); }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (!msg.is<Feed>()) return;
        for (int i = 0; i < kFeedBatch; ++i) ctx.send(consumer_, Work{++sent_});
    }

private:
    Pid consumer_;
    std::uint64_t sent_ = 0;
};

class Root final : public DemoActor {
public:
    void started(Context& ctx) override {
        SpawnOptions bounded;
        bounded.mailbox = MailboxOptions{kMailbox, OverflowPolicy::drop_newest};
        consumer_ = ctx.spawn<Consumer>("consumer", bounded);
        add_producer(ctx);
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        msg.visit([&](const AddMember&) { return add_producer(ctx); });
    }

private:
    Pid add_producer(Context& ctx) { return ctx.spawn<Feeder>("producer-" + std::to_string(++producers_), consumer_); }

    Pid consumer_;
    unsigned producers_ = 0;
};

class SlowConsumer final : public RootedScenario {
public:
    using RootedScenario::RootedScenario;

    std::size_t storm(Engine& engine, std::size_t messages) override {
        auto consumer = find(engine, "consumer");
        if (!consumer) return 0;
        for (std::size_t i = 0; i < messages; ++i) engine.send(*consumer, Work{i});
        return messages;
    }

protected:
    [[nodiscard]] Producer root_producer() const override { return producer_of<Root>(); }
    [[nodiscard]] SpawnOptions root_options(const Engine& engine) const override {
        // The stall outlasts the engine's lag threshold by half, so the monitor sees it whatever
        // the dashboard configured (1.5 s with the default 1 s threshold).
        const HealthOptions& h = engine.config().health;
        const Duration stall = std::max(kMinStall, h.mailbox_lag + h.mailbox_lag / 2);
        SpawnOptions o;
        o.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(stall, 1000, std::chrono::seconds(60)));
        return o;
    }
    [[nodiscard]] bool crashable(std::string_view leaf) const override {
        return leaf == "consumer" || starts_with(leaf, "producer-");
    }
};

}  // namespace

std::unique_ptr<Scenario> make_slow_consumer(const ScenarioInfo& info) { return std::make_unique<SlowConsumer>(info); }

}  // namespace actors::scenarios::detail
