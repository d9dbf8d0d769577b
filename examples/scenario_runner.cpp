// scenario_runner: runs one of the dashboard's demo scenarios on the thread pool, without a
// display, and prints how many events of each kind it produced (and per second), so a scenario's
// load can be checked from a terminal.
//
//   scenario_runner NAME [seconds] [--buttons]    --buttons: press spawn, crash and a 200-message
//   scenario_runner --list                        storm half way through
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "actors/actors.hpp"
#include "scenarios/scenario.hpp"

using namespace actors;

namespace {

int usage() {
    std::fprintf(stderr, "usage: scenario_runner NAME [seconds] [--buttons]\n       scenario_runner --list\nscenarios:\n");
    for (const auto& s : scenarios::list()) std::fprintf(stderr, "  %-14s %s\n", s.name.c_str(), s.title.c_str());
    return 2;
}

// An event kind, refined by what a dashboard breaks it down by.
std::string key_of(const Event& e) {
    std::string key = kind_name(e.body);
    if (auto* d = e.as<DeadLetter>()) key += std::string(" (") + to_string(d->reason) + ")";
    if (auto* u = e.as<ActorUnhealthy>()) key += std::string(" (") + to_string(u->signal) + ")";
    if (auto* h = e.as<ActorHealthy>()) key += std::string(" (") + to_string(h->signal) + ")";
    if (auto* c = e.as<CustomEvent>()) key += " (" + c->topic + ")";
    return key;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string name = argv[1];
    if (name == "--list") {
        for (const auto& s : scenarios::list()) std::printf("%s\t%s\n  %s\n", s.name.c_str(), s.title.c_str(), s.description.c_str());
        return 0;
    }
    double seconds = 5;
    bool buttons = false;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        char* end = nullptr;
        if (arg == "--buttons") buttons = true;
        else if ((seconds = std::strtod(arg.c_str(), &end)) <= 0 || *end != '\0') return usage();
    }

    std::unique_ptr<scenarios::Scenario> scenario;
    try {
        scenario = scenarios::make(name);
    } catch (const ActorError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }

    std::mutex mutex;  // callbacks run on the engine's threads
    std::map<std::string, std::uint64_t> counts;
    Engine engine;  // declared after what its subscriber uses, so it is destroyed first
    engine.events().subscribe([&](const Event& e) {
        std::lock_guard lock(mutex);
        ++counts[key_of(e)];
    });

    using clock = std::chrono::steady_clock;
    const auto run_for = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
    const auto t0 = clock::now();
    scenario->start(engine);
    if (buttons) {
        std::this_thread::sleep_for(run_for / 2);
        auto spawned = scenario->spawn(engine).get();
        auto crashed = scenario->crash(engine);
        const auto stormed = scenario->storm(engine, 200);
        std::printf("buttons: spawn -> %s, crash -> %s, storm -> %zu sent\n",
                    spawned ? spawned.value().to_string().c_str() : spawned.error().message().c_str(),
                    crashed ? crashed->to_string().c_str() : "nobody", stormed);
    }
    std::this_thread::sleep_for(t0 + run_for - clock::now());
    const auto counters = engine.counters();
    std::map<std::string, std::uint64_t> result;  // before the teardown adds its stops
    {
        std::lock_guard lock(mutex);
        result = counts;
    }
    scenario->stop(engine);
    engine.shutdown();

    std::printf("%s for %.1f s on the thread pool\n%-34s %8s %10s\n", name.c_str(), seconds, "event", "count", "per second");
    for (const auto& [key, n] : result)
        std::printf("%-34s %8llu %10.1f\n", key.c_str(), static_cast<unsigned long long>(n), static_cast<double>(n) / seconds);
    std::printf("messages: sent %llu (%.0f/s), processed %llu, dead-lettered %llu, dropped %llu (counters before stop)\n",
                static_cast<unsigned long long>(counters.sent), static_cast<double>(counters.sent) / seconds,
                static_cast<unsigned long long>(counters.processed), static_cast<unsigned long long>(counters.dead_lettered),
                static_cast<unsigned long long>(counters.dropped));
    return 0;
}
