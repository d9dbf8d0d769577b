#pragma once
// Timers ordered by due time (ties by creation order), cancellable by id. Callbacks are handed
// out and run by the caller outside the lock, so a callback may add or cancel timers.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

#include "actors/clock.hpp"
#include "actors/scheduler.hpp"

namespace actors::detail {

class TimerQueue {
public:
    TimerId add(TimePoint due, std::function<void()> fn) {
        std::lock_guard lock(mutex_);
        TimerId id = next_id_++;
        by_due_.emplace(Key{due, id}, std::move(fn));
        due_of_.emplace(id, due);
        return id;
    }

    bool cancel(TimerId id) {
        std::lock_guard lock(mutex_);
        auto it = due_of_.find(id);
        if (it == due_of_.end()) return false;
        by_due_.erase(Key{it->second, id});
        due_of_.erase(it);
        return true;
    }

    // The earliest timer due at or before `now`, removed from the queue.
    std::optional<std::function<void()>> pop_due(TimePoint now) {
        std::lock_guard lock(mutex_);
        auto it = by_due_.begin();
        if (it == by_due_.end() || it->first.first > now) return std::nullopt;
        auto fn = std::move(it->second);
        due_of_.erase(it->first.second);
        by_due_.erase(it);
        return fn;
    }

    [[nodiscard]] std::optional<TimePoint> next_due() const {
        std::lock_guard lock(mutex_);
        if (by_due_.empty()) return std::nullopt;
        return by_due_.begin()->first.first;
    }

    [[nodiscard]] std::size_t size() const {
        std::lock_guard lock(mutex_);
        return by_due_.size();
    }

    // Drops every timer; the callbacks are destroyed outside the lock (they may own state whose
    // destructor calls back into cancel()).
    void clear() {
        std::map<Key, std::function<void()>> doomed;
        {
            std::lock_guard lock(mutex_);
            doomed.swap(by_due_);
            due_of_.clear();
        }
    }

private:
    using Key = std::pair<TimePoint, TimerId>;
    mutable std::mutex mutex_;
    std::map<Key, std::function<void()>> by_due_;
    std::unordered_map<TimerId, TimePoint> due_of_;
    TimerId next_id_ = 1;
};

}  // namespace actors::detail
