#pragma once
// The message pool: where envelopes (Message objects) live.
//
// Messages are made on one thread and destroyed on another, usually in the order they were made,
// and often many at once (a burst queued in a mailbox). General-purpose malloc handles that
// badly: its per-thread caches hold a handful of blocks, so bursts go to the shared arena, under
// its lock, from both threads. Here each thread carves envelopes out of its own 32 KiB slab by
// bumping a pointer; freeing one is one atomic decrement on its slab's count, and the thread that
// frees the last one recycles the whole slab. Nothing is reused until its whole slab is free, so a
// long-lived message pins at most one slab.
//
// Sizes above kMaxPooled go to the global operator new. With ACTORS_PLAIN_MESSAGE_ALLOCATION
// (AddressSanitizer builds) every envelope does, so use-after-free of a message is still caught.

#include <cstddef>

namespace actors::detail::message_pool {

inline constexpr std::size_t kMaxPooled = 256;

void* allocate(std::size_t size);
void release(void* p, std::size_t size) noexcept;

}  // namespace actors::detail::message_pool
