#include "actors/pool.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>

#include "actors/context.hpp"
#include "actors/engine.hpp"
#include "engine_access.hpp"
#include "engine_core.hpp"
#include "actors/error.hpp"

namespace actors {

const char* to_string(Routing r) noexcept {
    switch (r) {
        case Routing::round_robin: return "round_robin";
        case Routing::random: return "random";
        case Routing::broadcast: return "broadcast";
        case Routing::consistent_hash: return "consistent_hash";
    }
    return "unknown";
}

void PoolOptions::validate() const {
    if (!worker) throw InvalidArgument("PoolOptions: no worker producer");
    if (routing == Routing::consistent_hash && !hash_key)
        throw InvalidArgument("PoolOptions: consistent_hash routing needs a hash_key function");
    if (virtual_nodes == 0) throw InvalidArgument("PoolOptions: virtual_nodes must be at least 1");
    if (size > 100000) throw InvalidArgument("PoolOptions: size " + std::to_string(size) + " is absurd (at most 100,000)");
    supervisor.restart.validate();
}

namespace {

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64: spreads nearby keys over the ring
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

class PoolActor final : public Actor {
public:
    explicit PoolActor(PoolOptions options) : options_(std::move(options)) {}

    void started(Context& ctx) override {
        rng_.seed(ctx.engine().config().random_seed ^ mix(ctx.self().id));
        next_index_ = 1;
        routees_.clear();
        resize(ctx, options_.size);
    }

    void receive(Context& ctx, Message& msg) override {
        if (msg.is<Initialized>() || msg.is<Started>() || msg.is<Stopped>()) return;
        if (auto* r = msg.as<Resize>()) {
            resize(ctx, r->size);
            return;
        }
        if (auto* g = msg.as<GetRoutees>()) {
            ctx.respond(*g, routees_);
            return;
        }
        if (auto* t = msg.as<Terminated>()) {
            if (std::erase_if(routees_, [&](const Pid& p) { return p.same_actor(t->pid); }) > 0) rebuild_ring();
            return;
        }
        route(ctx, msg);
    }

private:
    void route(Context& ctx, Message& msg) {
        if (routees_.empty()) {
            ctx.forward(Pid{});  // a dead letter: nobody to handle it
            return;
        }
        switch (options_.routing) {
            case Routing::round_robin:
                ctx.forward(routees_[cursor_++ % routees_.size()]);
                break;
            case Routing::random:
                ctx.forward(routees_[std::uniform_int_distribution<std::size_t>(0, routees_.size() - 1)(rng_)]);
                break;
            case Routing::broadcast: {
                detail::EngineCore& core = detail::EngineAccess::core(ctx.engine());
                for (std::size_t i = 1; i < routees_.size(); ++i) core.send(routees_[i], msg.clone());
                ctx.forward(routees_.front());
                break;
            }
            case Routing::consistent_hash: {
                auto it = ring_.lower_bound(mix(options_.hash_key(msg)));
                ctx.forward(it == ring_.end() ? ring_.begin()->second : it->second);
                break;
            }
        }
    }

    void resize(Context& ctx, std::size_t size) {
        if (size > 100000) throw InvalidArgument("Resize: " + std::to_string(size) + " workers is absurd (at most 100,000)");
        while (routees_.size() < size) {
            // Names are never reused, so a worker still finishing its queue cannot clash.
            Pid w = ctx.spawn("worker-" + std::to_string(next_index_++), options_.worker, options_.worker_options);
            ctx.watch(w);
            routees_.push_back(w);
        }
        while (routees_.size() > size) {
            Pid w = routees_.back();
            routees_.pop_back();
            ctx.unwatch(w);
            ctx.engine().poison(w);
        }
        rebuild_ring();
    }

    void rebuild_ring() {
        ring_.clear();
        if (options_.routing != Routing::consistent_hash) return;
        for (const Pid& w : routees_)
            for (std::size_t v = 0; v < options_.virtual_nodes; ++v) ring_.emplace(mix(w.id * 0x100000001B3ull + v), w);
    }

    PoolOptions options_;
    std::vector<Pid> routees_;
    std::map<std::uint64_t, Pid> ring_;
    std::size_t cursor_ = 0;
    std::size_t next_index_ = 1;
    std::mt19937_64 rng_;
};

SpawnOptions pool_spawn_options(const PoolOptions& options, SpawnOptions pool_options) {
    options.validate();
    pool_options.supervisor = options.supervisor;
    return pool_options;
}

Producer pool_producer(PoolOptions options) {
    return [options = std::move(options)] { return std::make_unique<PoolActor>(options); };
}

}  // namespace

Pid spawn_pool(Engine& engine, std::string name, PoolOptions options, SpawnOptions pool_options) {
    SpawnOptions so = pool_spawn_options(options, std::move(pool_options));
    return engine.spawn(std::move(name), pool_producer(std::move(options)), std::move(so));
}

Pid spawn_pool(Context& ctx, std::string name, PoolOptions options, SpawnOptions pool_options) {
    SpawnOptions so = pool_spawn_options(options, std::move(pool_options));
    return ctx.spawn(std::move(name), pool_producer(std::move(options)), std::move(so));
}

}  // namespace actors
