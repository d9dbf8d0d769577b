#include "actors/error.hpp"

namespace actors {

const char* to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::timeout: return "timeout";
        case ErrorCode::no_such_actor: return "no_such_actor";
        case ErrorCode::actor_stopped: return "actor_stopped";
        case ErrorCode::mailbox_full: return "mailbox_full";
        case ErrorCode::handler_failed: return "handler_failed";
        case ErrorCode::no_reply: return "no_reply";
        case ErrorCode::engine_stopped: return "engine_stopped";
        case ErrorCode::invalid_argument: return "invalid_argument";
        case ErrorCode::node_down: return "node_down";
        case ErrorCode::unavailable: return "unavailable";
    }
    return "unknown";
}

std::string Error::message() const {
    std::string m = to_string(code);
    if (!detail.empty()) m += ": " + detail;
    return m;
}

}  // namespace actors
