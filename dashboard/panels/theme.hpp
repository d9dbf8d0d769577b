#pragma once
// Colours that carry meaning, shared by every panel so a state looks the same everywhere.

#include <imgui.h>

#include <type_traits>
#include <variant>

#include "actors/event.hpp"
#include "actors/snapshot.hpp"
#include "dashboard/event_log.hpp"

namespace actors::dashboard {

// The EventKind (variant index) of event type T, at compile time.
template <class T, class V = EventBody>
struct kind_index;
template <class T, class... Ts>
struct kind_index<T, std::variant<Ts...>> {
    static constexpr EventKind value = [] {
        EventKind i = 0;
        (void)((std::is_same_v<T, Ts> ? true : (++i, false)) || ...);
        return i;
    }();
};
template <class T>
inline constexpr EventKind kind_index_of = kind_index<T>::value;

}  // namespace actors::dashboard

namespace actors::dashboard::theme {

inline const ImVec4 good{0.36f, 0.82f, 0.47f, 1.0f};
inline const ImVec4 info{0.45f, 0.68f, 0.98f, 1.0f};
inline const ImVec4 warn{0.98f, 0.74f, 0.27f, 1.0f};
inline const ImVec4 bad{0.96f, 0.36f, 0.36f, 1.0f};
inline const ImVec4 muted{0.55f, 0.57f, 0.62f, 1.0f};
inline const ImVec4 accent{0.72f, 0.55f, 0.98f, 1.0f};

ImVec4 state_colour(ActorState s) noexcept;
ImVec4 kind_colour(EventKind k) noexcept;
const char* state_label(ActorState s) noexcept;

// A number that changed recently is drawn brighter; `pulse` in [0, 1].
ImVec4 pulse(ImVec4 base, float amount) noexcept;

}  // namespace actors::dashboard::theme
