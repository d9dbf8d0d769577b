#pragma once
// C++ actors a web page may spawn by kind name (engine.spawnNative(name, kind)): register a
// producer under a name at startup. Two kinds ship built in: "counter" (JsMessage {add: n} adds,
// JsRequest "get" answers the total) and "echo" (answers a JsRequest with its body).

#include <string>
#include <vector>

#include "actors/actor.hpp"

namespace actors::js {

// Throws std::invalid_argument if the kind is empty, taken, or the producer empty.
void register_native_actor(const std::string& kind, Producer producer);
// nullptr-producing lookups throw std::invalid_argument listing the kinds there are.
[[nodiscard]] Producer native_actor(const std::string& kind);
[[nodiscard]] std::vector<std::string> native_actor_kinds();

}  // namespace actors::js
