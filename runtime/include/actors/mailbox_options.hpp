#pragma once
// How a mailbox is bounded, and what happens when it is full.

#include <cstddef>
#include <cstdint>
#include <limits>

namespace actors {

enum class OverflowPolicy : std::uint8_t {
    // The message being sent is dropped; the sender is not told (send() returns dropped).
    drop_newest,
    // The message is accepted and the oldest queued one is dropped when the actor next takes a
    // message, so the actor always sees the newest `capacity` messages. Dropping happens on the
    // actor's side, so until it next runs the queue may briefly hold more than `capacity`.
    drop_oldest,
    // The send is refused: send() returns rejected, a request fails at once with mailbox_full,
    // and a sending actor also receives a MailboxFull notification.
    reject_sender,
};

[[nodiscard]] const char* to_string(OverflowPolicy p) noexcept;

// A capacity that never fills (memory is the only bound).
inline constexpr std::size_t unbounded = std::numeric_limits<std::uint32_t>::max();

// Messages counted against the capacity are user messages; system messages (stop, child
// terminated, request continuations) are never refused and never dropped.
struct MailboxOptions {
    std::size_t capacity = 0;  // 0 = the engine's default_mailbox_capacity
    OverflowPolicy overflow = OverflowPolicy::drop_newest;
};

}  // namespace actors
