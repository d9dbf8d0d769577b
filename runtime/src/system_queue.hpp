#pragma once
// The system queue: commands (start, stop, watch, supervision) are few, so it is a Treiber stack
// that the consumer takes whole and reverses, 16 bytes where the user queue's design takes 24
// (it needs a stub node). Producers push with a compare-and-swap; the consumer's order is the
// order of those pushes, batch after batch, so commands stay first in, first out.

#include <atomic>

#include "actors/message.hpp"

namespace actors::detail {

class SystemQueue {
public:
    SystemQueue() noexcept = default;
    SystemQueue(const SystemQueue&) = delete;
    SystemQueue& operator=(const SystemQueue&) = delete;

    void push(Message* m) noexcept {
        QueueNode* top = pushed_.load(std::memory_order_relaxed);
        do {
            m->next_.store(top, std::memory_order_relaxed);
        } while (!pushed_.compare_exchange_weak(top, m, std::memory_order_release, std::memory_order_relaxed));
    }

    // Consumer only.
    Message* pop() noexcept {
        if (!ready_) {
            QueueNode* n = pushed_.exchange(nullptr, std::memory_order_acquire);
            while (n) {  // newest first: reversed, the oldest comes out first
                QueueNode* next = n->next_.load(std::memory_order_relaxed);
                n->next_.store(ready_, std::memory_order_relaxed);
                ready_ = n;
                n = next;
            }
            if (!ready_) return nullptr;
        }
        QueueNode* n = ready_;
        ready_ = n->next_.load(std::memory_order_relaxed);
        return static_cast<Message*>(n);
    }

private:
    std::atomic<QueueNode*> pushed_{nullptr};  // producers' end, newest first
    QueueNode* ready_ = nullptr;               // consumer's, oldest first
};

}  // namespace actors::detail
