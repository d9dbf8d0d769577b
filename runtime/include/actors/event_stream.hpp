#pragma once
// EventStream: every event the engine publishes, numbered 1, 2, 3, ... and kept in a bounded ring.
//
// Two ways to observe it:
//  - read_since(seq): a cursor. Returns the events after `seq` still in the ring; if the ring has
//    already overwritten some of them, `missed` says exactly how many, so a slow reader sees the
//    gap instead of a silent hole. Any thread, any time, no registration.
//  - subscribe(callback): callbacks get every event in sequence order, one at a time (never two
//    callbacks concurrently), on whichever publishing thread is dispatching. They lose nothing: a
//    publisher that would overwrite an event not yet given to them helps dispatch first, so slow
//    callbacks slow publishers down (backpressure). The one exception is a callback that itself
//    publishes more than a ring's worth: it then receives an EventsMissed event naming exactly
//    which sequence numbers it lost. Callbacks may publish or send; keep them short.
// Publishing is a short critical section (sequence number + ring slot + a count per kind); when
// nobody subscribed with a callback, nothing else happens.
//
// tally(): how many events of each kind were published up to last_seq, read together with it.
// An observer that starts from those totals and folds the events after last_seq counts each event
// exactly once (the engine's snapshot carries them; see snapshot.hpp).

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "actors/clock.hpp"
#include "actors/event.hpp"

namespace actors {

using SubscriptionId = std::uint64_t;

namespace detail {
// The position of T among EventBody's alternatives (a compile error when it is not one).
template <class T, class... Ts>
consteval std::size_t event_kind_index(const std::variant<Ts...>*) {
    constexpr bool match[] = {std::is_same_v<T, Ts>...};
    for (std::size_t i = 0; i < sizeof...(Ts); ++i)
        if (match[i]) return i;
    throw "not an event kind";
}
}  // namespace detail

// Events published up to and including last_seq, counted by kind in the step that numbered them.
struct EventTally {
    std::uint64_t last_seq = 0;
    std::array<std::uint64_t, std::variant_size_v<EventBody>> by_kind{};

    template <class T>
    [[nodiscard]] std::uint64_t of() const noexcept {
        return by_kind[detail::event_kind_index<T>(static_cast<const EventBody*>(nullptr))];
    }
};

struct EventBatch {
    std::vector<Event> events;   // consecutive sequence numbers, oldest first
    std::uint64_t missed = 0;    // events after the cursor that the ring no longer holds
    std::uint64_t next = 0;      // pass this as the next cursor
};

class EventStream {
public:
    // Throws InvalidArgument when ring_capacity is 0 (and subscribe() for an empty callback).
    EventStream(std::size_t ring_capacity, std::shared_ptr<const Clock> clock);
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;
    ~EventStream();

    // Returns the event's sequence number.
    std::uint64_t publish(EventBody body);

    using Callback = std::function<void(const Event&)>;
    SubscriptionId subscribe(Callback callback);
    // Returns whether `id` was subscribed. After it returns the callback is never called again,
    // on any thread: if another thread is inside the callback right now, unsubscribe waits for
    // that call to return, so a callback that captures `this` may be unsubscribed in a
    // destructor and the object torn down right after. From inside a callback (any callback of
    // this stream, on the dispatching thread) it does not wait: it cannot be running elsewhere.
    // So do not call it while holding a lock the callback itself takes. The std::function is
    // destroyed later, on whichever thread drops it last; it must not own what it must outlive.
    bool unsubscribe(SubscriptionId id);

    // Events with sequence number > cursor (0 = from the oldest kept), at most `max`.
    [[nodiscard]] EventBatch read_since(std::uint64_t cursor, std::size_t max = SIZE_MAX) const;

    [[nodiscard]] std::uint64_t last_seq() const noexcept { return last_seq_.load(std::memory_order_acquire); }
    // last_seq and the count of each kind published up to it, read under one lock.
    [[nodiscard]] EventTally tally() const;
    [[nodiscard]] std::size_t capacity() const noexcept { return ring_.size(); }
    [[nodiscard]] std::size_t subscriber_count() const;

    // State that observers build from events but that lives outside the engine (a cluster's
    // members, its activations) is restated by its owner as the events that would build it,
    // and every Engine::snapshot() carries them (Snapshot::standing): an observer that attaches
    // late folds the same state as one that saw every event. `restate` appends them; it is
    // called on the thread taking a snapshot, under a lock of this stream, so remove_standing()
    // must not be called while holding a lock `restate` takes. Returns an id for remove_standing.
    using Restate = std::function<void(std::vector<EventBody>&)>;
    std::uint64_t add_standing(Restate restate);
    void remove_standing(std::uint64_t id);  // after it returns `restate` is never called again
    [[nodiscard]] std::vector<EventBody> standing() const;

private:
    struct Entry {
        explicit Entry(Callback c) : callback(std::move(c)) {}
        Callback callback;
        std::atomic<bool> active{true};  // false once unsubscribed: the dispatcher skips it
    };
    struct Subscriber {
        SubscriptionId id;
        std::shared_ptr<Entry> entry;
    };
    using SubscriberList = std::vector<Subscriber>;

    void dispatch(bool wait);
    // read_since into `out` (cleared, its capacity kept): the dispatcher's batches reuse one buffer.
    void read_into(std::uint64_t cursor, std::size_t max, EventBatch& out) const;

    std::shared_ptr<const Clock> clock_;
    mutable std::mutex ring_mutex_;
    std::vector<Event> ring_;
    std::atomic<std::uint64_t> last_seq_{0};
    std::array<std::uint64_t, std::variant_size_v<EventBody>> published_{};  // under ring_mutex_

    mutable std::mutex subscribers_mutex_;
    std::shared_ptr<const SubscriberList> subscribers_;
    // Bumped (under subscribers_mutex_) whenever subscribers_ is replaced, so the dispatcher
    // takes the list again only when it changed, not for every batch.
    std::atomic<std::uint64_t> subscribers_version_{0};
    std::atomic<bool> has_subscribers_{false};
    SubscriptionId next_subscription_ = 1;

    mutable std::mutex standing_mutex_;
    std::vector<std::pair<std::uint64_t, Restate>> standing_;
    std::uint64_t next_standing_ = 1;

    std::mutex dispatch_mutex_;
    // Written only under dispatch_mutex_; read by publishers to see how far behind callbacks are.
    std::atomic<std::uint64_t> dispatched_seq_{0};
    // Under dispatch_mutex_: the batch buffer, reused, and the subscriber list last taken, with
    // its version (taken again only when subscribe/unsubscribe replaced it).
    EventBatch dispatch_batch_;
    std::shared_ptr<const SubscriberList> dispatch_subs_;
    std::uint64_t dispatch_subs_version_ = 0;
    // The subscription whose callback the dispatcher is in (0: none). unsubscribe() from another
    // thread waits on delivered_cv_ while it names its id; the dispatcher notifies only when
    // someone waits, so a delivery costs two atomic stores and a load.
    std::atomic<SubscriptionId> delivering_{0};
    std::atomic<int> unsubscribe_waiters_{0};
    std::mutex delivered_mutex_;
    std::condition_variable delivered_cv_;
};

}  // namespace actors
