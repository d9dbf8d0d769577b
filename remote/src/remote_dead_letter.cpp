#include "remote/session.hpp"

namespace actors::remote {

const char* to_string(RemoteDeadLetter r) noexcept {
    switch (r) {
        case RemoteDeadLetter::remote_restarted: return "remote_restarted";
        case RemoteDeadLetter::remote_unreachable: return "remote_unreachable";
        case RemoteDeadLetter::buffer_full: return "buffer_full";
        case RemoteDeadLetter::too_large: return "too_large";
        case RemoteDeadLetter::remote_maybe_delivered: return "remote_maybe_delivered";
    }
    return "unknown";
}

}  // namespace actors::remote
