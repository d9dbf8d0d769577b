#include "actors/thread_pool_scheduler.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "timer_queue.hpp"
#include "actors/error.hpp"

namespace actors {

SchedulerKind default_scheduler_kind() noexcept { return SchedulerKind::thread_pool; }

namespace {
constexpr int kSpinsBeforeSleep = 64;
// Consecutive runs from the LIFO slot before the queue gets a turn, so two actors bouncing
// messages cannot starve the rest of a worker's queue.
constexpr int kMaxSlotStreak = 16;
}

struct ThreadPoolScheduler::Impl {
    struct alignas(64) Worker {
        std::mutex mutex;
        std::deque<Runnable*> queue;
        std::atomic<std::size_t> size{0};  // written under mutex; read without it by idle checks
        bool closed = false;
        Runnable* next = nullptr;  // owner only: runs before the queue (message-chain locality)
        int slot_streak = 0;       // owner only
        std::thread thread;
    };

    std::shared_ptr<Clock> clock;
    std::size_t throughput;
    std::vector<std::unique_ptr<Worker>> workers;
    std::atomic<bool> stopping{false};
    std::atomic<std::uint32_t> round_robin{0};

    // Parking: a worker that found nothing sleeps here until a producer sees it asleep.
    std::mutex park_mutex;
    std::condition_variable park_cv;
    std::atomic<int> sleepers{0};
    int wake_tokens = 0;

    detail::TimerQueue timers;
    std::mutex timer_mutex;
    std::condition_variable timer_cv;
    std::thread timer_thread;
    bool timer_stop = false;

    std::mutex shutdown_mutex;
    bool shut_down = false;

    static thread_local Impl* tl_pool;
    static thread_local Worker* tl_worker;

    void run_inline(Runnable& r) {
        while (r.run(throughput) == Runnable::Turn::more) {
        }
        r.release();
    }

    bool push(Worker& w, Runnable& r) {
        {
            std::lock_guard lock(w.mutex);
            if (w.closed) return false;
            w.queue.push_back(&r);
            w.size.store(w.queue.size(), std::memory_order_relaxed);
        }
        wake_one();
        return true;
    }

    void wake_one() {
        // Pairs with the fence in park(): either we see the sleeper, or it sees our work.
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (sleepers.load(std::memory_order_relaxed) == 0) return;
        {
            std::lock_guard lock(park_mutex);
            if (wake_tokens < static_cast<int>(workers.size())) ++wake_tokens;
        }
        park_cv.notify_one();
    }

    Runnable* pop_front(Worker& w) {
        if (w.size.load(std::memory_order_relaxed) == 0) return nullptr;
        std::lock_guard lock(w.mutex);
        if (w.queue.empty()) return nullptr;
        Runnable* r = w.queue.front();
        w.queue.pop_front();
        w.size.store(w.queue.size(), std::memory_order_relaxed);
        return r;
    }

    Runnable* steal(Worker& self) {
        const std::size_t n = workers.size();
        const std::size_t start = round_robin.fetch_add(1, std::memory_order_relaxed);
        for (std::size_t i = 0; i < n; ++i) {
            Worker& victim = *workers[(start + i) % n];
            if (&victim == &self || victim.size.load(std::memory_order_relaxed) == 0) continue;
            std::lock_guard lock(victim.mutex);
            if (victim.queue.empty()) continue;
            Runnable* r = victim.queue.back();
            victim.queue.pop_back();
            victim.size.store(victim.queue.size(), std::memory_order_relaxed);
            return r;
        }
        return nullptr;
    }

    Runnable* find_work(Worker& self) {
        if (self.next) {
            if (self.slot_streak < kMaxSlotStreak || self.size.load(std::memory_order_relaxed) == 0) {
                ++self.slot_streak;
                return std::exchange(self.next, nullptr);
            }
            Runnable* r = std::exchange(self.next, nullptr);
            if (!push(self, *r)) return r;
        }
        self.slot_streak = 0;
        if (Runnable* r = pop_front(self)) return r;
        return steal(self);
    }

    bool any_work() const {
        for (const auto& w : workers)
            if (w->size.load(std::memory_order_relaxed) != 0) return true;
        return false;
    }

    void park() {
        std::unique_lock lock(park_mutex);
        sleepers.fetch_add(1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (!any_work() && !stopping.load(std::memory_order_acquire)) {
            park_cv.wait(lock, [&] { return wake_tokens > 0 || stopping.load(std::memory_order_acquire); });
            if (wake_tokens > 0) --wake_tokens;
        }
        sleepers.fetch_sub(1, std::memory_order_relaxed);
    }

    // Runs `r` until it is idle or something else on this worker waits for a turn. Pushing a
    // runnable that still has work back on the queue while nothing else here does woke a
    // sleeping worker per turn, which then often stole it, so its state crossed cores every 64
    // messages (counting: ~15,600 wake calls and up to 7,000 futex notifies per run of 1 M
    // messages, and 3-6 M msg/s instead of 20 when the two actors ended up apart).
    void run_turns(Worker& self, Runnable& r) {
        while (r.run(throughput) == Runnable::Turn::more) {
            if (self.next == nullptr && self.size.load(std::memory_order_relaxed) == 0 &&
                !stopping.load(std::memory_order_relaxed))
                continue;
            // Behind everything else on this worker, where an idle worker can steal it.
            if (!push(self, r)) run_inline(r);
            return;
        }
        r.release();
    }

    void worker_loop(Worker& self) {
        tl_pool = this;
        tl_worker = &self;
        int idle_spins = 0;
        while (!stopping.load(std::memory_order_acquire)) {
            Runnable* r = find_work(self);
            if (!r) {
                if (++idle_spins < kSpinsBeforeSleep) {
                    std::this_thread::yield();
                } else {
                    idle_spins = 0;
                    park();
                }
                continue;
            }
            idle_spins = 0;
            run_turns(self, *r);
        }
        // Whatever sits in the LIFO slot would be invisible to the final drain.
        if (Runnable* r = std::exchange(self.next, nullptr)) run_inline(*r);
        tl_worker = nullptr;
        tl_pool = nullptr;
    }

    void timer_loop() {
        std::unique_lock lock(timer_mutex);
        while (!timer_stop) {
            auto due = timers.next_due();
            if (!due) {
                timer_cv.wait(lock);
                continue;
            }
            const TimePoint now = clock->now();
            if (*due > now) {
                timer_cv.wait_for(lock, *due - now);
                continue;
            }
            lock.unlock();
            while (auto fn = timers.pop_due(clock->now())) (*fn)();
            lock.lock();
        }
    }
};

thread_local ThreadPoolScheduler::Impl* ThreadPoolScheduler::Impl::tl_pool = nullptr;
thread_local ThreadPoolScheduler::Impl::Worker* ThreadPoolScheduler::Impl::tl_worker = nullptr;

ThreadPoolScheduler::ThreadPoolScheduler(unsigned workers, std::shared_ptr<Clock> clock, std::size_t throughput)
    : impl_(std::make_unique<Impl>()) {
    if (workers == 0 || workers > 1024)
        throw InvalidArgument("worker thread count must be between 1 and 1024, got " + std::to_string(workers));
    if (throughput == 0) throw InvalidArgument("scheduler throughput must be at least 1 message per turn");
    if (!clock) clock = std::make_shared<SteadyClock>();
    if (clock->is_manual())
        throw InvalidArgument("a ManualClock needs the cooperative scheduler: thread-pool timers would wait for time nobody advances");
    impl_->clock = std::move(clock);
    impl_->throughput = throughput;
    for (unsigned i = 0; i < workers; ++i) impl_->workers.push_back(std::make_unique<Impl::Worker>());
    for (auto& w : impl_->workers) w->thread = std::thread([this, wp = w.get()] { impl_->worker_loop(*wp); });
    impl_->timer_thread = std::thread([this] { impl_->timer_loop(); });
}

ThreadPoolScheduler::~ThreadPoolScheduler() { shutdown(); }

const Clock& ThreadPoolScheduler::clock() const noexcept { return *impl_->clock; }
unsigned ThreadPoolScheduler::worker_count() const noexcept { return static_cast<unsigned>(impl_->workers.size()); }

void ThreadPoolScheduler::schedule(Runnable& r) {
    r.retain();
    Impl& p = *impl_;
    if (Impl::tl_pool == &p && Impl::tl_worker) {
        Impl::Worker& self = *Impl::tl_worker;
        // The actor just made runnable by this worker runs next here; the one it displaces
        // goes to the queue, where others can steal it.
        if (Runnable* displaced = std::exchange(self.next, &r)) {
            if (!p.push(self, *displaced)) p.run_inline(*displaced);
        } else if (p.sleepers.load(std::memory_order_relaxed) > 0) {
            // Work in the slot cannot be stolen; a sleeping worker may still help with the
            // rest of the queue once this worker is busy.
            if (self.size.load(std::memory_order_relaxed) > 0) p.wake_one();
        }
        return;
    }
    Impl::Worker& target = *p.workers[p.round_robin.fetch_add(1, std::memory_order_relaxed) % p.workers.size()];
    if (!p.push(target, r)) p.run_inline(r);
}

TimerId ThreadPoolScheduler::call_after(Duration delay, std::function<void()> fn) {
    Impl& p = *impl_;
    std::lock_guard lock(p.timer_mutex);
    if (p.timer_stop) return 0;
    TimerId id = p.timers.add(p.clock->now() + std::max(delay, Duration::zero()), std::move(fn));
    p.timer_cv.notify_one();
    return id;
}

bool ThreadPoolScheduler::cancel(TimerId id) { return id != 0 && impl_->timers.cancel(id); }

void ThreadPoolScheduler::shutdown() {
    Impl& p = *impl_;
    std::lock_guard serial(p.shutdown_mutex);
    if (p.shut_down) return;
    p.shut_down = true;
    {
        std::lock_guard lock(p.timer_mutex);
        p.timer_stop = true;
    }
    p.timer_cv.notify_all();
    if (p.timer_thread.joinable() && p.timer_thread.get_id() != std::this_thread::get_id()) p.timer_thread.join();
    p.stopping.store(true, std::memory_order_release);
    {
        std::lock_guard lock(p.park_mutex);
        p.wake_tokens = static_cast<int>(p.workers.size());
    }
    p.park_cv.notify_all();
    for (auto& w : p.workers)
        if (w->thread.joinable()) w->thread.join();
    // Close the queues and finish what they hold; from now on schedule() runs work inline.
    for (auto& w : p.workers) {
        std::deque<Runnable*> left;
        {
            std::lock_guard lock(w->mutex);
            w->closed = true;
            left.swap(w->queue);
            w->size.store(0, std::memory_order_relaxed);
        }
        for (Runnable* r : left) p.run_inline(*r);
    }
    p.timers.clear();
}

}  // namespace actors
