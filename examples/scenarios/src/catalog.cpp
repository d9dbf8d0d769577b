#include "catalog.hpp"

#include <array>
#include <string>

#include "actors/error.hpp"

namespace actors::scenarios {
namespace {

using Factory = std::unique_ptr<Scenario> (*)(const ScenarioInfo&);

struct Entry {
    ScenarioInfo info;
    Factory make;
};

const std::array<Entry, 5>& catalog() {
    static const std::array<Entry, 5> entries{{
        {{"worker-pool", "Supervised worker pool",
          "A producer feeds 40 jobs/s to a pool of 8 workers; about one job in 50 crashes its worker. The pool restarts "
          "it with exponential backoff (200 ms doubling, +/- 20 %), so a worker that keeps crashing waits longer each "
          "time; more than 6 restarts in 30 s stops it and the pool itself is restarted."},
         detail::make_worker_pool},
        {{"ping-pong", "Ping-pong",
          "Three pairs of players bounce a ball, each holding it for a swing of 100, 200 or 350 ms. Crash a player and its "
          "partner's server notices the lost ball and serves a new one."},
         detail::make_ping_pong},
        {{"dead-letters", "Dead-letter generator",
          "A generator spawns a target every 250 ms, stops the oldest after about a second, and keeps writing to the "
          "stopped ones (dead letters: actor_stopped) and to Pids that never existed (no_such_actor)."},
         detail::make_dead_letters},
        {{"slow-consumer", "Slow consumer",
          "A producer sends 50 jobs/s into a consumer's 32-slot mailbox (drop_newest). 4 s after each start the consumer's "
          "disk stalls for 1.5 s: its mailbox overflows (dead letters: mailbox_full) and its oldest message waits past the "
          "health threshold (unhealthy: mailbox_lag) until it catches up."},
         detail::make_slow_consumer},
        {{"chat-room", "Chat room",
          "Users join a room, chat every 1-3 s and watch the room; the room broadcasts every line and watches its members, "
          "announcing those who leave. Every 2 s someone may leave (is stopped) or join. Stop the room and its users "
          "leave; the lobby opens a new one."},
         detail::make_chat_room},
    }};
    return entries;
}

}  // namespace

std::span<const ScenarioInfo> list() {
    static const std::array<ScenarioInfo, 5> infos = [] {
        std::array<ScenarioInfo, 5> out;
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = catalog()[i].info;
        return out;
    }();
    return infos;
}

std::unique_ptr<Scenario> make(std::string_view name) {
    std::string names;
    for (const Entry& e : catalog()) {
        if (e.info.name == name) return e.make(e.info);
        names += (names.empty() ? "" : ", ") + e.info.name;
    }
    throw InvalidArgument("no scenario named '" + std::string(name) + "'; the scenarios are: " + names);
}

}  // namespace actors::scenarios
