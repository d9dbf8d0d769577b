#include "actors/event_stream.hpp"

#include <algorithm>
#include <stdexcept>

#include "actors/log.hpp"
#include "actors/error.hpp"

namespace actors {

namespace {
// Streams this thread is dispatching right now: a callback that publishes must not try to
// dispatch the same stream again (the outer loop will deliver its event), but may dispatch others.
thread_local std::vector<const EventStream*> tl_dispatching;

constexpr std::size_t kDispatchBatch = 256;
}  // namespace

EventStream::EventStream(std::size_t ring_capacity, std::shared_ptr<const Clock> clock)
    : clock_(std::move(clock)), subscribers_(std::make_shared<const SubscriberList>()) {
    if (ring_capacity == 0) throw InvalidArgument("event ring capacity must be at least 1");
    if (!clock_) throw InvalidArgument("EventStream needs a clock");
    ring_.resize(ring_capacity);
}

EventStream::~EventStream() = default;

std::uint64_t EventStream::publish(EventBody body) {
    const bool nested = std::find(tl_dispatching.begin(), tl_dispatching.end(), this) != tl_dispatching.end();
    std::uint64_t seq;
    for (;;) {
        {
            std::lock_guard lock(ring_mutex_);
            seq = last_seq_.load(std::memory_order_relaxed) + 1;
            // Callback subscribers are lossless: rather than overwrite an event they have not
            // been given, the publisher helps dispatch first (backpressure). Only a callback that
            // itself publishes a whole ring's worth can still overrun, and it is told so.
            const bool would_overrun = has_subscribers_.load(std::memory_order_acquire) && !nested &&
                                       seq - dispatched_seq_.load(std::memory_order_acquire) > ring_.size();
            if (!would_overrun) {
                // Stamped under the lock so timestamps never go backwards along the sequence, and
                // counted under it so tally() sees every kind's count agree with last_seq.
                ++published_[body.index()];
                ring_[seq % ring_.size()] = Event{seq, clock_->now(), std::move(body)};
                last_seq_.store(seq, std::memory_order_release);
                break;
            }
        }
        dispatch(/*wait=*/true);
    }
    if (has_subscribers_.load(std::memory_order_acquire)) dispatch(/*wait=*/false);
    return seq;
}

EventBatch EventStream::read_since(std::uint64_t cursor, std::size_t max) const {
    EventBatch batch;
    read_into(cursor, max, batch);
    return batch;
}

void EventStream::read_into(std::uint64_t cursor, std::size_t max, EventBatch& batch) const {
    batch.events.clear();
    batch.missed = 0;
    std::lock_guard lock(ring_mutex_);
    const std::uint64_t last = last_seq_.load(std::memory_order_relaxed);
    // A cursor at or beyond the end comes back as the end, so no later event is skipped. Checked
    // first: cursor + 1 wraps for UINT64_MAX and would read as "from the oldest, missed some".
    if (cursor >= last) {
        batch.next = last;
        return;
    }
    const std::uint64_t oldest = last >= ring_.size() ? last - ring_.size() + 1 : 1;
    std::uint64_t from = cursor + 1;
    if (from < oldest) {
        batch.missed = oldest - from;
        from = oldest;
    }
    batch.next = from - 1;
    if (from > last || max == 0) return;
    const std::uint64_t to = std::min<std::uint64_t>(last, from + std::min<std::uint64_t>(max, last - from + 1) - 1);
    batch.events.reserve(static_cast<std::size_t>(to - from + 1));
    for (std::uint64_t s = from; s <= to; ++s) batch.events.push_back(ring_[s % ring_.size()]);
    batch.next = to;
}

EventTally EventStream::tally() const {
    std::lock_guard lock(ring_mutex_);
    return EventTally{last_seq_.load(std::memory_order_relaxed), published_};
}

SubscriptionId EventStream::subscribe(Callback callback) {
    if (!callback) throw InvalidArgument("EventStream::subscribe: empty callback");
    // Lock order everywhere: dispatch_mutex_ before subscribers_mutex_. A callback subscribing
    // from inside dispatch already holds the first.
    const bool nested = std::find(tl_dispatching.begin(), tl_dispatching.end(), this) != tl_dispatching.end();
    std::unique_lock<std::mutex> dispatch_lock;
    if (!nested) dispatch_lock = std::unique_lock(dispatch_mutex_);
    std::lock_guard lock(subscribers_mutex_);
    auto list = std::make_shared<SubscriberList>(*subscribers_);
    SubscriptionId id = next_subscription_++;
    list->push_back(Subscriber{id, std::make_shared<Entry>(std::move(callback))});
    // Nobody was listening, so nothing was dispatched: start the new listener at "now" rather
    // than replaying the whole ring at it.
    if (subscribers_->empty() && !nested)
        dispatched_seq_.store(std::max(dispatched_seq_.load(std::memory_order_relaxed), last_seq()), std::memory_order_release);
    subscribers_ = std::move(list);
    subscribers_version_.fetch_add(1, std::memory_order_release);
    has_subscribers_.store(true, std::memory_order_release);
    return id;
}

bool EventStream::unsubscribe(SubscriptionId id) {
    std::shared_ptr<Entry> gone;
    {
        std::lock_guard lock(subscribers_mutex_);
        auto list = std::make_shared<SubscriberList>(*subscribers_);
        auto it = std::find_if(list->begin(), list->end(), [&](const Subscriber& s) { return s.id == id; });
        if (it == list->end()) return false;
        // A dispatcher holding an older list checks this before each call (see dispatch()).
        it->entry->active.store(false, std::memory_order_seq_cst);
        gone = it->entry;
        list->erase(it);
        has_subscribers_.store(!list->empty(), std::memory_order_release);
        subscribers_ = std::move(list);
        subscribers_version_.fetch_add(1, std::memory_order_release);
    }
    // On the dispatching thread (this callback or another one of this stream unsubscribing it)
    // nothing else can be delivering: there is one dispatcher at a time, and it is us. Elsewhere,
    // wait (without any of our locks) for a call already inside the callback to return. The
    // dispatcher publishes delivering_ before reading `active`, and we cleared `active` before
    // reading delivering_ (both sequentially consistent): either it saw the flag and skips the
    // call, or we see it delivering and wait.
    const bool on_dispatching_thread = std::find(tl_dispatching.begin(), tl_dispatching.end(), this) != tl_dispatching.end();
    if (!on_dispatching_thread && delivering_.load(std::memory_order_seq_cst) == id) {
        std::unique_lock lock(delivered_mutex_);
        unsubscribe_waiters_.fetch_add(1, std::memory_order_seq_cst);
        delivered_cv_.wait(lock, [&] { return delivering_.load(std::memory_order_seq_cst) != id; });
        unsubscribe_waiters_.fetch_sub(1, std::memory_order_seq_cst);
    }
    // The dispatcher keeps the list it last took until the next event, so the callback (and what
    // it captured) is let go here, as the caller expects, now that nothing can be calling it;
    // unless it is the callback running on this thread, unsubscribing itself.
    if (!(on_dispatching_thread && delivering_.load(std::memory_order_seq_cst) == id)) {
        Callback dead;
        std::swap(dead, gone->callback);
    }
    return true;
}

std::uint64_t EventStream::add_standing(Restate restate) {
    if (!restate) throw InvalidArgument("EventStream::add_standing: empty function");
    std::lock_guard lock(standing_mutex_);
    const std::uint64_t id = next_standing_++;
    standing_.emplace_back(id, std::move(restate));
    return id;
}

void EventStream::remove_standing(std::uint64_t id) {
    std::lock_guard lock(standing_mutex_);
    std::erase_if(standing_, [id](const auto& s) { return s.first == id; });
}

std::vector<EventBody> EventStream::standing() const {
    std::vector<EventBody> out;
    std::lock_guard lock(standing_mutex_);
    for (const auto& [id, restate] : standing_) restate(out);
    return out;
}

std::size_t EventStream::subscriber_count() const {
    std::lock_guard lock(subscribers_mutex_);
    return subscribers_->size();
}

void EventStream::dispatch(bool wait) {
    if (std::find(tl_dispatching.begin(), tl_dispatching.end(), this) != tl_dispatching.end()) return;
    for (;;) {
        // Whoever holds the lock delivers everything published so far, in order; a publisher
        // that finds it taken leaves its event to the holder (unless it must wait for room).
        if (wait) {
            dispatch_mutex_.lock();
            wait = false;
        } else if (!dispatch_mutex_.try_lock()) {
            return;
        }
        tl_dispatching.push_back(this);
        std::uint64_t done;
        EventBatch& batch = dispatch_batch_;
        for (;;) {
            const std::uint64_t from = dispatched_seq_.load(std::memory_order_relaxed);
            // Nothing new: no need to take the ring's lock to find out.
            if (last_seq_.load(std::memory_order_acquire) <= from) break;
            read_into(from, kDispatchBatch, batch);
            if (batch.events.empty() && batch.missed == 0) break;
            // The list as of this batch (a callback may have subscribed or unsubscribed during
            // the last one); taken again only when it changed.
            if (!dispatch_subs_ || subscribers_version_.load(std::memory_order_acquire) != dispatch_subs_version_) {
                std::lock_guard lock(subscribers_mutex_);
                dispatch_subs_ = subscribers_;
                dispatch_subs_version_ = subscribers_version_.load(std::memory_order_relaxed);
            }
            const SubscriberList& subs = *dispatch_subs_;
            auto deliver = [&](const Event& e) {
                for (const Subscriber& s : subs) {
                    // Announce the call before checking the flag (see unsubscribe()); a callback
                    // unsubscribed since this list was taken, even by the previous callback of
                    // this very event, is not called.
                    delivering_.store(s.id, std::memory_order_seq_cst);
                    if (s.entry->active.load(std::memory_order_seq_cst)) {
                        try {
                            s.entry->callback(e);
                        } catch (const std::exception& ex) {
                            logger()->error("event subscriber {} threw on event #{}: {}", s.id, e.seq, ex.what());
                        } catch (...) {
                            logger()->error("event subscriber {} threw on event #{}", s.id, e.seq);
                        }
                    }
                    delivering_.store(0, std::memory_order_seq_cst);
                    // A waiter counts itself (under the mutex) before it checks delivering_: if we
                    // read no waiter, its check comes after our store and sees it.
                    if (unsubscribe_waiters_.load(std::memory_order_seq_cst) > 0) {
                        { std::lock_guard lock(delivered_mutex_); }
                        delivered_cv_.notify_all();
                    }
                }
            };
            if (batch.missed) deliver(Event{0, clock_->now(), EventsMissed{from + 1, batch.missed}});
            for (const Event& e : batch.events) deliver(e);
            dispatched_seq_.store(batch.next, std::memory_order_release);
        }
        // The copies go now, not when the next dispatch overwrites them: an event's strings and
        // shared values should not outlive their delivery by an unbounded time.
        batch.events.clear();
        done = dispatched_seq_.load(std::memory_order_relaxed);
        tl_dispatching.pop_back();
        dispatch_mutex_.unlock();
        // An event published after the last read by a thread that found the lock taken would
        // otherwise wait for the next publish.
        if (last_seq() <= done || !has_subscribers_.load(std::memory_order_acquire)) return;
    }
}

}  // namespace actors
