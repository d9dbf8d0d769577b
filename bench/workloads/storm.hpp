#pragma once
// Send storm: `storm_groups` supervisors each own `storm_actors_per_group` receivers; one sender
// thread per worker sends to random receivers for a fixed time, never more than `storm_window`
// messages ahead of what has been processed. Timed until every sent message is processed;
// reports processed messages/s and the engine's dead letters (dead-lettered + dropped).

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "../params.hpp"
#include "../stopwatch.hpp"
#include "../tally.hpp"
#include "host.hpp"

namespace bench::ours {

namespace storm_detail {

struct Shared {
    std::mutex mutex;
    std::vector<actors::Pid> receivers;
    Tally processed;
};

class Group final : public actors::Actor {
public:
    Group(Shared* shared, int size) : shared_(shared), size_(size) {}
    void started(actors::Context& ctx) override {
        Tally* processed = &shared_->processed;
        for (int i = 0; i < size_; ++i) {
            actors::Pid child = ctx.spawn_fn("", [processed](actors::Context&, actors::Message& m) {
                if (m.is<int>()) processed->add();
            });
            std::lock_guard lock(shared_->mutex);
            shared_->receivers.push_back(child);
        }
    }
    void receive(actors::Context&, actors::Message&) override {}

private:
    Shared* shared_;
    int size_;
};

}  // namespace storm_detail

inline Sample send_storm(const Mode& mode, const Params& p) {
    Host h(mode);
    storm_detail::Shared shared;
    for (int g = 0; g < p.storm_groups; ++g)
        h.engine().spawn<storm_detail::Group>("group-" + std::to_string(g), {}, &shared, p.storm_actors_per_group);
    h.settle();
    std::vector<actors::Pid> targets;
    {
        std::lock_guard lock(shared.mutex);
        targets = shared.receivers;
    }
    const actors::EngineCounters before = h.engine().counters();
    Tally sent;
    Stopwatch t;
    if (h.cooperative()) {
        XorShift rng(1);
        while (t.seconds() < p.storm_seconds) {
            for (long i = 0; i < p.storm_window; ++i) h.engine().send(targets[rng.below(targets.size())], 1);
            sent.add(p.storm_window);
            h.engine().run_until_idle();
        }
    } else {
        std::vector<std::thread> senders;
        for (unsigned s = 0; s < mode.workers; ++s) {
            senders.emplace_back([&, s] {
                XorShift rng(s + 1);
                for (long i = 0;; ++i) {
                    if ((i & 1023) == 0) {
                        if (t.seconds() >= p.storm_seconds) break;
                        while (sent.sum() - shared.processed.sum() > p.storm_window) std::this_thread::yield();
                    }
                    h.engine().send(targets[rng.below(targets.size())], 1);
                    sent.add();
                }
            });
        }
        for (auto& s : senders) s.join();
    }
    const long total = sent.sum();
    // Everything sent is either processed or counted as dead/dropped by the engine.
    auto lost = [&](const actors::EngineCounters& c) {
        return static_cast<long>((c.dead_lettered - before.dead_lettered) + (c.dropped - before.dropped));
    };
    while (shared.processed.sum() + lost(h.engine().counters()) < total) {
        if (h.cooperative()) h.engine().run_until_idle();
        else std::this_thread::yield();
    }
    const double s = t.seconds();
    return {static_cast<double>(shared.processed.sum()) / s, static_cast<double>(lost(h.engine().counters()))};
}

}  // namespace bench::ours
