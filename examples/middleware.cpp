// middleware: code that wraps every message an actor handles, without touching the actor. A
// metrics layer for the whole engine, a logging layer and a filter for one actor only. Each layer
// calls next() to pass the message inwards - or does not, and the message goes no further.
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/sinks/stdout_sinks.h>

#include "actors/actors.hpp"
#include "actors/log.hpp"

using namespace actors;
using WallClock = std::chrono::steady_clock;  // actors::Clock is the engine's time seam

struct Order {
    std::string item;
    int quantity;
};
struct Pay {
    int cents;
};
struct CountOrdered {
    using Response = int;
};

// Shared by every actor, so it locks: middleware runs on whichever thread runs the actor.
struct Metrics {
    struct Row {
        int count = 0;
        WallClock::duration time{};
    };
    std::mutex mutex;
    std::map<std::string, Row> by_type;

    Middleware layer() {
        return [this](Context&, Message& msg, const Next& next) {
            const auto t0 = WallClock::now();
            next();  // everything inside: the other layers, then receive()
            const auto took = WallClock::now() - t0;
            std::lock_guard lock(mutex);
            Row& row = by_type[msg.type_name()];
            ++row.count;
            row.time += took;
        };
    }
};

Middleware logging(std::shared_ptr<spdlog::logger> log) {
    return [log](Context& ctx, Message& msg, const Next& next) {
        log->info("{} <- {} from {}", ctx.name(), msg.type_name(), msg.sender() ? msg.sender().to_string() : "outside");
        next();
        log->info("{} done with {}", ctx.name(), msg.type_name());
    };
}

// Short-circuit: an order for nothing never reaches the kitchen. It still counts as processed.
void drop_empty_orders(Context&, Message& msg, const Next& next) {
    if (auto* o = msg.as<Order>(); o && o->quantity <= 0) {
        std::printf("      [filter] dropped an order for %d x %s\n", o->quantity, o->item.c_str());
        return;
    }
    next();
}

int main() {
    auto metrics = std::make_shared<Metrics>();
    EngineConfig config;
    config.middleware = {metrics->layer()};  // engine-wide: around every actor, outermost
    Engine engine(config);

    std::printf("spawning (lifecycle notifications pass through middleware too):\n");
    auto log = spdlog::stdout_logger_mt("kitchen");
    log->set_pattern("    [log] %v");
    // Per actor, outermost first: logging sees the dropped order go in and come back out.
    SpawnOptions kitchen_opts;
    kitchen_opts.middleware = {logging(log), drop_empty_orders};
    Pid kitchen = engine.spawn_fn("kitchen", [ordered = 0](Context&, Message& msg) mutable {
        msg.visit([&](const Order& o) {
                      std::printf("      [kitchen] cooking %d x %s\n", o.quantity, o.item.c_str());
                      std::this_thread::sleep_for(std::chrono::milliseconds(2 * o.quantity));
                      ordered += o.quantity;
                  },
                  [&](const CountOrdered&) { return ordered; });
    }, kitchen_opts);
    // No middleware of its own: only the engine-wide metrics see its messages.
    Pid cashier = engine.spawn_fn("cashier", [](Context&, Message& msg) {
        if (auto* p = msg.as<Pay>()) std::printf("      [cashier] took %d cents\n", p->cents);
    });
    engine.wait_idle();

    std::printf("orders:\n");
    engine.send(kitchen, Order{"soup", 2});
    engine.send(kitchen, Order{"air", 0});
    engine.send(kitchen, Order{"tea", 1});
    engine.wait_idle();
    std::printf("payments:\n");
    engine.send(cashier, Pay{450});
    engine.send(cashier, Pay{120});
    engine.wait_idle();
    // A request passes through the same layers; the reply is unaffected by them.
    std::printf("asking the kitchen:\n");
    Result<int> ordered = engine.request(kitchen, CountOrdered{}).get();
    engine.wait_idle();  // the reply can arrive before the handler (and its middleware) returns
    std::printf("  items ordered: %d\n", ordered.value());
    std::printf("  kitchen processed %llu messages: 3 orders (the dropped one too) and the request\n",
                static_cast<unsigned long long>(engine.info(kitchen)->counters.processed));

    std::printf("shutting down:\n");
    engine.shutdown();
    std::printf("metrics, all actors:\n  %-22s %5s %10s\n", "message type", "count", "total ms");
    for (const auto& [type, row] : metrics->by_type)
        std::printf("  %-22s %5d %10.3f\n", type.c_str(), row.count,
                    std::chrono::duration<double, std::milli>(row.time).count());
    return 0;
}
