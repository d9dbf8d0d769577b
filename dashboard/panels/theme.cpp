#include "theme.hpp"

#include <algorithm>

namespace actors::dashboard::theme {

ImVec4 state_colour(ActorState s) noexcept {
    switch (s) {
        case ActorState::starting: return info;
        case ActorState::running: return good;
        case ActorState::suspended: return bad;
        case ActorState::restarting: return warn;
        case ActorState::stopping: return warn;
        case ActorState::stopped: return muted;
    }
    return muted;
}

const char* state_label(ActorState s) noexcept { return to_string(s); }

ImVec4 kind_colour(EventKind k) noexcept {
    if (k == kind_index_of<ActorSpawned> || k == kind_index_of<ActorStarted>) return info;
    if (k == kind_index_of<ActorStopped>) return muted;
    if (k == kind_index_of<ActorFailed> || k == kind_index_of<MaxRestartsExceeded> || k == kind_index_of<Escalated> || k == kind_index_of<EventsMissed>)
        return bad;
    if (k == kind_index_of<ActorRestarted> || k == kind_index_of<DeadLetter> || k == kind_index_of<MailboxOverflow> || k == kind_index_of<ActorUnhealthy>)
        return warn;
    if (k == kind_index_of<ActorResumed> || k == kind_index_of<ActorHealthy>) return good;
    if (k == kind_index_of<CustomEvent>) return accent;
    return muted;
}

ImVec4 pulse(ImVec4 base, float amount) noexcept {
    const float a = std::clamp(amount, 0.0f, 1.0f);
    return ImVec4{base.x + (1 - base.x) * a * 0.6f, base.y + (1 - base.y) * a * 0.6f, base.z + (1 - base.z) * a * 0.6f, base.w};
}

}  // namespace actors::dashboard::theme
