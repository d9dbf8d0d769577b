#pragma once
// Intrusive multi-producer single-consumer queue (Dmitry Vyukov's design). push() is one atomic
// exchange plus one store, wait-free and lock-free for producers; pop() is the consumer's alone.
// pop() may briefly return nullptr while a producer is between its two steps; callers treat that
// as "try again later", never as "empty forever".

#include <atomic>

#include "actors/message.hpp"

namespace actors::detail {

class MpscQueue {
public:
    MpscQueue() noexcept : head_(&stub_), tail_(&stub_) {}
    MpscQueue(const MpscQueue&) = delete;
    MpscQueue& operator=(const MpscQueue&) = delete;

    void push(Message* m) noexcept { link(m); }

    Message* pop() noexcept {
        Node* tail = tail_;
        Node* next = tail->next_.load(std::memory_order_acquire);
        if (tail == &stub_) {
            if (next == nullptr) return nullptr;
            tail_ = next;
            tail = next;
            next = next->next_.load(std::memory_order_acquire);
        }
        if (next != nullptr) {
            tail_ = next;
            return static_cast<Message*>(tail);
        }
        if (tail != head_.load(std::memory_order_acquire)) return nullptr;  // a push is half done
        link(&stub_);
        next = tail->next_.load(std::memory_order_acquire);
        if (next != nullptr) {
            tail_ = next;
            return static_cast<Message*>(tail);
        }
        return nullptr;
    }

    // The message pop() would return next, left in place; consumer only.
    Message* peek() const noexcept {
        Node* tail = tail_;
        Node* next = tail->next_.load(std::memory_order_acquire);
        if (tail == &stub_) return next ? static_cast<Message*>(next) : nullptr;
        return static_cast<Message*>(tail);
    }

private:
    using Node = QueueNode;

    void link(Node* n) noexcept {
        n->next_.store(nullptr, std::memory_order_relaxed);
        Node* prev = head_.exchange(n, std::memory_order_acq_rel);
        prev->next_.store(n, std::memory_order_release);
    }

    mutable Node stub_;
    std::atomic<Node*> head_;  // producers' end
    Node* tail_;               // consumer's end
};

}  // namespace actors::detail
