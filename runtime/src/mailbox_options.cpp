#include "actors/mailbox_options.hpp"

namespace actors {

const char* to_string(OverflowPolicy p) noexcept {
    switch (p) {
        case OverflowPolicy::drop_newest: return "drop_newest";
        case OverflowPolicy::drop_oldest: return "drop_oldest";
        case OverflowPolicy::reject_sender: return "reject_sender";
    }
    return "unknown";
}

}  // namespace actors
