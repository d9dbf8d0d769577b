#pragma once
// Pool: a router actor that owns `size` workers (its children, supervised by it) and passes each
// message it receives to one of them - or, for broadcast, to all. Messages are forwarded
// unchanged: the worker sees the original sender, and a request is answered by the worker
// straight to the requester. A crashed worker is restarted by the pool (same Pid id, next
// generation), so routing to it goes on; a worker that stops for good leaves the pool.
//
// Control messages, handled by the pool itself:
//   Resize{n}      grow (new workers) or shrink (the newest workers finish their queue and stop)
//   GetRoutees{}   a request answered with the current workers, in order
//
// Routing:
//   round_robin      each worker in turn
//   random           uniformly at random (seeded from EngineConfig::random_seed: repeatable)
//   broadcast        a copy to every worker (the payload type must be copyable); a request's
//                    answer comes from the first worker only
//   consistent_hash  by PoolOptions::hash_key(message), on a ring with virtual nodes, so a key
//                    sticks to one worker and resizing moves only about 1/n of the keys

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/error.hpp"
#include "actors/spawn_options.hpp"
#include "actors/supervision.hpp"

namespace actors {

class Engine;
class Context;

enum class Routing : std::uint8_t { round_robin, random, broadcast, consistent_hash };
[[nodiscard]] const char* to_string(Routing r) noexcept;

using HashKey = std::function<std::uint64_t(const Message&)>;

struct PoolOptions {
    std::size_t size = 4;
    Routing routing = Routing::round_robin;
    Producer worker;                  // makes each worker, and each restarted one
    HashKey hash_key;                 // consistent_hash only: the routing key of a message
    SpawnOptions worker_options;      // each worker's mailbox, middleware, ...
    SupervisorStrategy supervisor;    // how the pool supervises its workers (default: restart)
    std::size_t virtual_nodes = 64;   // consistent_hash: ring points per worker

    // Throws InvalidArgument: no worker producer, consistent_hash without hash_key, zero
    // virtual nodes, more than 100,000 workers.
    void validate() const;
};

// Refused at the call (InvalidArgument) above max_size, like PoolOptions::size: an
// absurd size would otherwise fail inside the pool and restart it.
struct Resize {
    static constexpr std::size_t max_size = 100000;
    std::size_t size;

    explicit Resize(std::size_t n) : size(n) {
        if (n > max_size)
            throw InvalidArgument("Resize: " + std::to_string(n) + " workers is absurd (at most 100,000)");
    }
};
struct GetRoutees {
    using Response = std::vector<Pid>;
};

// Spawn a pool at the top level, or as a child of the actor whose context is given.
Pid spawn_pool(Engine& engine, std::string name, PoolOptions options, SpawnOptions pool_options = {});
Pid spawn_pool(Context& ctx, std::string name, PoolOptions options, SpawnOptions pool_options = {});

}  // namespace actors
