#pragma once
// A one-shot "the workload is done" signal from an actor to the thread that times it. Blocking
// (not spinning) so the waiting thread leaves both cores to the workers of either framework.

#include <condition_variable>
#include <mutex>

namespace bench {

class Completion {
public:
    // Notifies under the lock: the waiter may destroy this object as soon as it wakes, so the
    // notify must be over by the time it can get the mutex back.
    void set() {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [&] { return done_; });
    }
    [[nodiscard]] bool done() {
        std::lock_guard<std::mutex> lock(mutex_);
        return done_;
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool done_ = false;
};

}  // namespace bench
