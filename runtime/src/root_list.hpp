#pragma once
// The engine's top-level actors in spawn order, threaded through the cells themselves: adding and
// removing one is O(1) and allocates nothing, where a vector of Pids cost an O(n) erase per stop
// (quadratic when many short-lived actors come and go) and a slot per actor. The owner guards it
// with one mutex; a cell is in it from spawn until it retires.

#include <cstddef>
#include <vector>

#include "cell.hpp"

namespace actors::detail {

class RootList {
public:
    void push_back(Cell& c) noexcept {
        RootLink& l = c.root_link();
        l.prev = tail_;
        l.next = nullptr;
        if (tail_) tail_->root_link().next = &c;
        else head_ = &c;
        tail_ = &c;
        ++size_;
    }
    // No-op for a cell that is not in the list.
    void remove(Cell& c) noexcept {
        RootLink& l = c.root_link();
        if (l.prev == nullptr && l.next == nullptr && head_ != &c) return;
        if (l.prev) l.prev->root_link().next = l.next;
        else head_ = l.next;
        if (l.next) l.next->root_link().prev = l.prev;
        else tail_ = l.prev;
        l = RootLink{};
        --size_;
    }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    // The newest one's current Pid; an invalid Pid when empty.
    [[nodiscard]] Pid newest() const { return tail_ ? tail_->pid() : Pid{}; }
    // Current Pids, oldest first.
    [[nodiscard]] std::vector<Pid> pids() const {
        std::vector<Pid> out;
        out.reserve(size_);
        for (Cell* c = head_; c; c = c->root_link().next) out.push_back(c->pid());
        return out;
    }

private:
    Cell* head_ = nullptr;
    Cell* tail_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace actors::detail
