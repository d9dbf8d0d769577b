#pragma once
// Native extensions of the JS API: C++ compiled into a bigger module (the dashboard, say) offers
// named functions that a page calls on one of its engines, `engine.extension(name, args)`, with
// JSON in and out like the rest of the API. This keeps the Embind surface fixed while letting a
// module add features that need the engine itself (attach a dashboard to it, start a demo
// scenario in it). Portable C++: tested natively.

#include <functional>
#include <string>
#include <vector>

#include "actors/engine.hpp"
#include "actors/bridge/json.hpp"

namespace actors::js {

// Throws std::invalid_argument for bad arguments; the JS side sees a TypeError-like error.
using ExtensionFn = std::function<json::Value(Engine& engine, const json::Value& args)>;
using EngineClosingFn = std::function<void(Engine& engine)>;

// Throws std::invalid_argument if `name` is empty or taken.
void register_extension(std::string name, ExtensionFn fn);
// Throws std::invalid_argument naming the extensions there are when `name` is not one of them.
json::Value call_extension(Engine& engine, const std::string& name, const json::Value& args);
[[nodiscard]] std::vector<std::string> extension_names();

// Extensions that keep a reference to an engine learn here that it is about to be destroyed.
void on_engine_closing(EngineClosingFn fn);
void engine_closing(Engine& engine) noexcept;

}  // namespace actors::js
