#include "actors/send_status.hpp"

namespace actors {

const char* to_string(SendStatus s) noexcept {
    switch (s) {
        case SendStatus::delivered: return "delivered";
        case SendStatus::dropped: return "dropped";
        case SendStatus::rejected: return "rejected";
        case SendStatus::dead_letter: return "dead_letter";
    }
    return "unknown";
}

}  // namespace actors
