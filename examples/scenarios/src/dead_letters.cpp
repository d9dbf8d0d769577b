// dead-letters: a generator that keeps writing to actors that are gone. Every cycle it spawns a
// target, writes to the targets it keeps alive (~1 s each), stops the oldest, and goes on writing
// to the last few it stopped (actor_stopped) and to Pids no actor ever had (no_such_actor).
#include <chrono>
#include <string>
#include <vector>

#include "catalog.hpp"
#include "demo_actor.hpp"
#include "rooted_scenario.hpp"

namespace actors::scenarios::detail {
namespace {

using namespace std::chrono_literals;

struct Cycle {};
struct Note {
    std::uint64_t n = 0;
};

constexpr Duration kCycleEvery = 250ms;
constexpr std::size_t kLiveTargets = 4;
constexpr std::size_t kGhosts = 4;
constexpr int kUnknownPerCycle = 2;

// Engines hand out Pid ids from 1 upwards; none gets near this.
Pid unknown_pid(std::uint32_t node, Rng& rng) { return Pid{node, (std::uint64_t{1} << 62) + rng.below(1u << 20), 0}; }

class Target final : public DemoActor {
protected:
    void handle(Context&, Message&) override {}
};

class Generator final : public DemoActor {
public:
    void started(Context& ctx) override {
        rng_ = rng_for(ctx);
        ctx.send_repeat(kCycleEvery, ctx.self(), Cycle{});
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (!msg.is<Cycle>()) return;
        live_.push_back(ctx.spawn<Target>("target-" + std::to_string(++spawned_)));
        for (const Pid& t : live_) ctx.send(t, Note{++notes_});
        if (live_.size() > kLiveTargets) {
            // Stopped with a note still queued: that one dead-letters too.
            ctx.stop(live_.front());
            ghosts_.push_back(live_.front());
            live_.erase(live_.begin());
            if (ghosts_.size() > kGhosts) ghosts_.erase(ghosts_.begin());
        }
        for (const Pid& g : ghosts_) ctx.send(g, Note{++notes_});
        for (int i = 0; i < kUnknownPerCycle; ++i) ctx.send(unknown_pid(ctx.self().node, rng_), Note{++notes_});
    }

private:
    Rng rng_;
    std::vector<Pid> live_;
    std::vector<Pid> ghosts_;
    std::uint64_t spawned_ = 0;
    std::uint64_t notes_ = 0;
};

class Root final : public DemoActor {
public:
    void started(Context& ctx) override { add_generator(ctx); }

protected:
    void handle(Context& ctx, Message& msg) override {
        msg.visit([&](const AddMember&) { return add_generator(ctx); });
    }

private:
    Pid add_generator(Context& ctx) { return ctx.spawn<Generator>("generator-" + std::to_string(++generators_)); }
    unsigned generators_ = 0;
};

class DeadLetters final : public RootedScenario {
public:
    using RootedScenario::RootedScenario;

    // Half to a live target stopped just before (actor_stopped), half to unknown Pids.
    std::size_t storm(Engine& engine, std::size_t messages) override {
        auto targets = members(engine, [](std::string_view leaf) { return starts_with(leaf, "target-"); });
        Pid ghost;
        if (!targets.empty()) {
            ghost = targets[rng().below(targets.size())];
            engine.stop(ghost);
        }
        for (std::size_t i = 0; i < messages; ++i) {
            if (ghost && i % 2 == 0) engine.send(ghost, Note{i});
            else engine.send(unknown_pid(engine.node(), rng()), Note{i});
        }
        return messages;
    }

protected:
    [[nodiscard]] Producer root_producer() const override { return producer_of<Root>(); }
    [[nodiscard]] bool crashable(std::string_view leaf) const override {
        return starts_with(leaf, "generator-") || starts_with(leaf, "target-");
    }
};

}  // namespace

std::unique_ptr<Scenario> make_dead_letters(const ScenarioInfo& info) { return std::make_unique<DeadLetters>(info); }

}  // namespace actors::scenarios::detail
