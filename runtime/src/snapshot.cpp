#include "actors/snapshot.hpp"

namespace actors {

const char* to_string(ActorState s) noexcept {
    switch (s) {
        case ActorState::starting: return "starting";
        case ActorState::running: return "running";
        case ActorState::suspended: return "suspended";
        case ActorState::restarting: return "restarting";
        case ActorState::stopping: return "stopping";
        case ActorState::stopped: return "stopped";
    }
    return "unknown";
}

}  // namespace actors
