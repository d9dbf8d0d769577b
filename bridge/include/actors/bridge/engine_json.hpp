#pragma once
// The JSON shapes the JS API speaks: Pids as "<node.id.generation>" strings, events, snapshots,
// counters, and engine/spawn options read from JSON with errors that name the bad field.
// Portable C++, unit-tested natively.

#include <optional>
#include <string>

#include "actors/engine_config.hpp"
#include "actors/event.hpp"
#include "actors/snapshot.hpp"
#include "actors/spawn_options.hpp"
#include "actors/bridge/json.hpp"

namespace actors::js {

// Throws std::invalid_argument: not a pid string.
[[nodiscard]] Pid parse_pid(const std::string& text);
[[nodiscard]] json::Value pid_json(const Pid& pid);  // null for an invalid Pid

[[nodiscard]] json::Value event_json(const Event& e);
[[nodiscard]] json::Value snapshot_json(const Snapshot& s);
[[nodiscard]] json::Value counters_json(const EngineCounters& c);
[[nodiscard]] json::Value links_json(const std::vector<LinkStats>& links);  // Snapshot::links, StatsSampled::links

// Recognised keys (all optional): mailboxCapacity, eventRingCapacity, throughput,
// requestTimeoutMs, seed, health: {enabled, intervalMs, mailboxLagMs, slowHandlerMs}.
// Unknown keys and wrong types throw std::invalid_argument naming them.
[[nodiscard]] EngineConfig engine_config_from(const json::Value& options);
// mailboxCapacity, overflow ("drop_newest" | "drop_oldest" | "reject_sender"),
// supervisor: {strategy: "one_for_one" | "all_for_one", directive: "restart" | "resume" |
// "stop" | "escalate", restart: "immediate" | "fixed" | "backoff", delayMs, minMs, maxMs,
// factor, jitter, maxRestarts, windowMs}.
[[nodiscard]] SpawnOptions spawn_options_from(const json::Value& options);

}  // namespace actors::js
