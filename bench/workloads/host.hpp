#pragma once
// Our side of every workload runs on a Host: an Engine on the thread pool (native, `workers`
// threads) or on the cooperative scheduler (one thread: natively for the wasm/native ratio, and
// in WebAssembly, where the thread-pool workloads run on it too).

#include <stdexcept>

#include "actors/actors.hpp"
#include "../completion.hpp"

namespace bench::ours {

struct Mode {
    bool cooperative = false;
    unsigned workers = 2;  // thread pool only
};

inline actors::EngineConfig engine_config(const Mode& m) {
    actors::EngineConfig c = m.cooperative ? actors::EngineConfig::cooperative() : actors::EngineConfig{};
    if (!m.cooperative) c.worker_threads = m.workers;
    return c;
}

class Host {
public:
    explicit Host(const Mode& m) : cooperative_(m.cooperative), engine_(engine_config(m)) {}

    [[nodiscard]] actors::Engine& engine() noexcept { return engine_; }
    [[nodiscard]] bool cooperative() const noexcept { return cooperative_; }

    // Until `done` is set: the workers get there (thread pool), or this thread drives the engine.
    void wait(Completion& done) {
        if (!cooperative_) {
            done.wait();
            return;
        }
        while (!done.done())
            if (engine_.run_until_idle() == 0 && !done.done()) throw std::runtime_error("workload stalled before completing");
    }
    // Let spawns and starts finish before the clock starts.
    void settle() { engine_.wait_idle(); }

private:
    bool cooperative_;
    actors::Engine engine_;
};

// Actors that must take everything a workload sends at once (CAF's mailboxes are unbounded too).
inline actors::SpawnOptions unbounded_mailbox() {
    actors::SpawnOptions o;
    o.mailbox.capacity = actors::unbounded;
    return o;
}

}  // namespace bench::ours
