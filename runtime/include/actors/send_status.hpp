#pragma once

#include <cstdint>

namespace actors {

// What became of a send. Every outcome but `delivered` also produced a DeadLetter event.
enum class SendStatus : std::uint8_t {
    delivered,    // queued in the target's mailbox
    dropped,      // the target's mailbox was full (drop_newest)
    rejected,     // the target's mailbox was full (reject_sender)
    dead_letter,  // no such actor, stopped, or engine shut down
};

[[nodiscard]] const char* to_string(SendStatus s) noexcept;

}  // namespace actors
