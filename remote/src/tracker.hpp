#pragma once
// Which connections of a transport are still alive, so shutdown() can close them, wait for
// their close handshakes, and end whatever is left itself. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace actors::remote::beast_detail {

class Tracked {
public:
    virtual ~Tracked() = default;
    virtual void close(std::string reason) = 0;
    // The io threads have stopped: report on_close now, from the caller's thread.
    virtual void abandon(std::string reason) = 0;
};

class Tracker {
public:
    // False once shutdown began: the caller must not start the connection.
    bool add(std::shared_ptr<Tracked> connection) {
        std::lock_guard lock(mutex_);
        if (closed_) return false;
        live_.emplace(connection.get(), std::move(connection));
        return true;
    }
    void remove(const Tracked* connection) {
        std::lock_guard lock(mutex_);
        live_.erase(connection);
        if (live_.empty()) emptied_.notify_all();
    }
    // Refuses new connections from now on and returns the live ones.
    std::vector<std::shared_ptr<Tracked>> close_admission() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        return snapshot_locked();
    }
    bool wait_empty(std::chrono::milliseconds grace) {
        std::unique_lock lock(mutex_);
        return emptied_.wait_for(lock, grace, [&] { return live_.empty(); });
    }
    std::vector<std::shared_ptr<Tracked>> take_all() {
        std::lock_guard lock(mutex_);
        auto all = snapshot_locked();
        live_.clear();
        return all;
    }

private:
    std::vector<std::shared_ptr<Tracked>> snapshot_locked() const {
        std::vector<std::shared_ptr<Tracked>> all;
        all.reserve(live_.size());
        for (const auto& [key, connection] : live_) all.push_back(connection);
        return all;
    }

    std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<const Tracked*, std::shared_ptr<Tracked>> live_;
    bool closed_ = false;
};

}  // namespace actors::remote::beast_detail
