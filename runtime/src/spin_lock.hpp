#pragma once
// A lock for critical sections of a few dozen instructions (a hash lookup and a reference count),
// taken on every send: inline, one atomic exchange to take and one store to give back, where a
// std::mutex costs two calls into pthread. A waiter spins briefly, then yields its core, so a
// holder that was preempted on a busy machine gets to finish.

#include <atomic>
#include <thread>

namespace actors::detail {

class SpinLock {
public:
    void lock() noexcept {
        for (int spins = 0; locked_.exchange(true, std::memory_order_acquire); ) {
            while (locked_.load(std::memory_order_relaxed))
                if (++spins > 64) std::this_thread::yield();
        }
    }
    bool try_lock() noexcept { return !locked_.load(std::memory_order_relaxed) && !locked_.exchange(true, std::memory_order_acquire); }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

}  // namespace actors::detail
