// ping-pong: pairs of players bouncing a ball. Each player holds the ball for a swing (a timer)
// before sending it back, so a rally is a few messages a second to watch, not a CPU burner.
// The server (ping-N) watches its rally: if the ball is lost - the partner restarted or stopped,
// and its pending swing died with it - it serves a new ball, and ignores balls of rallies it gave
// up on, so a pair never has more than one ball in play for long.
#include <chrono>
#include <string>

#include "catalog.hpp"
#include "demo_actor.hpp"
#include "rooted_scenario.hpp"

namespace actors::scenarios::detail {
namespace {

using namespace std::chrono_literals;

struct Ball {
    std::uint64_t rally = 0;
    std::uint64_t hits = 0;
};
struct Watch {};

constexpr unsigned kPairs = 3;

// Pairs play at different speeds, so the dashboard shows different rates side by side.
Duration swing_of(unsigned pair) {
    constexpr Duration swings[] = {100ms, 200ms, 350ms};
    return swings[(pair - 1) % 3];
}

class Returner final : public DemoActor {
public:
    explicit Returner(Duration swing) : swing_(swing) {}

protected:
    void handle(Context& ctx, Message& msg) override {
        if (auto* ball = msg.as<Ball>()) ctx.send_after(swing_, msg.sender(), Ball{ball->rally, ball->hits + 1});
    }

private:
    Duration swing_;
};

class Server final : public DemoActor {
public:
    Server(Pid partner, Duration swing) : partner_(partner), swing_(swing) {}

    void started(Context& ctx) override {
        serve(ctx);
        ctx.send_repeat(4 * swing_, ctx.self(), Watch{});
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (auto* ball = msg.as<Ball>()) {
            if (ball->rally != rally_) return;  // from a rally given up on: let it drop
            last_hit_ = ctx.now();
            ctx.send_after(swing_, partner_, Ball{rally_, ball->hits + 1});
        } else if (msg.is<Watch>() && ctx.now() - last_hit_ > 3 * swing_) {
            serve(ctx);  // a round trip takes 2 swings: the ball is lost
        }
    }

private:
    void serve(Context& ctx) {
        // Unique across this server's incarnations, so a restarted server ignores old balls.
        rally_ = (std::uint64_t{ctx.self().generation} << 32) | ++serves_;
        last_hit_ = ctx.now();
        ctx.send(partner_, Ball{rally_, 0});
    }

    Pid partner_;
    Duration swing_;
    std::uint64_t rally_ = 0;
    std::uint32_t serves_ = 0;
    TimePoint last_hit_{};
};

class Root final : public DemoActor {
public:
    void started(Context& ctx) override {
        for (unsigned i = 0; i < kPairs; ++i) add_pair(ctx);
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        msg.visit([&](const AddMember&) { return add_pair(ctx); });
    }

private:
    Pid add_pair(Context& ctx) {
        const unsigned n = ++pairs_;
        const Pid pong = ctx.spawn<Returner>("pong-" + std::to_string(n), swing_of(n));
        return ctx.spawn<Server>("ping-" + std::to_string(n), pong, swing_of(n));
    }

    unsigned pairs_ = 0;
};

class PingPong final : public RootedScenario {
public:
    using RootedScenario::RootedScenario;

    std::size_t storm(Engine& engine, std::size_t messages) override {
        auto players = members(engine, [this](std::string_view leaf) { return crashable(leaf); });
        if (players.empty()) return 0;
        for (std::size_t i = 0; i < messages; ++i) engine.send(players[i % players.size()], Poke{"storm"});
        return messages;
    }

protected:
    [[nodiscard]] Producer root_producer() const override { return producer_of<Root>(); }
    [[nodiscard]] SpawnOptions root_options(const Engine&) const override {
        SpawnOptions o;
        o.supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(20, std::chrono::seconds(60)));
        return o;
    }
    [[nodiscard]] bool crashable(std::string_view leaf) const override {
        return starts_with(leaf, "ping-") || starts_with(leaf, "pong-");
    }
};

}  // namespace

std::unique_ptr<Scenario> make_ping_pong(const ScenarioInfo& info) { return std::make_unique<PingPong>(info); }

}  // namespace actors::scenarios::detail
