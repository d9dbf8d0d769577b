#pragma once
// EngineAccess: the runtime's own way from an Engine to its EngineCore. Engine::core() is private
// so users of the library never see the internal type; the library parts that need the core
// (Context, pools) include this header, which only runtime/src can.

#include "actors/engine.hpp"

namespace actors::detail {

struct EngineAccess {
    [[nodiscard]] static EngineCore& core(Engine& engine) noexcept { return engine.core(); }
};

}  // namespace actors::detail
