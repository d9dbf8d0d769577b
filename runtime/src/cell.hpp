#pragma once
// Cell: one actor as the runtime sees it - its mailbox (a user queue and a system queue), its
// behaviour instance, its place in the tree and its counters. The scheduler runs it in turns.
//
// Scheduling protocol: `pending_` counts queued messages (user count in the low 32 bits, system
// count in the high 32). The producer that moves it from 0 schedules the cell; the turn that
// brings it back to 0 ends ownership. So a cell is queued or running on at most one thread,
// and no message is ever left in a mailbox nobody will look at.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/context.hpp"
#include "actors/event.hpp"
#include "actors/scheduler.hpp"
#include "actors/send_status.hpp"
#include "actors/snapshot.hpp"
#include "mpsc_queue.hpp"

namespace actors::detail {

class EngineCore;

class Cell final : public Runnable {
public:
    Cell(EngineCore& core, Pid pid, Pid parent, std::string name, Producer producer, MailboxOptions mailbox);
    ~Cell();
    Cell(const Cell&) = delete;
    Cell& operator=(const Cell&) = delete;

    [[nodiscard]] const Pid& pid() const noexcept { return pid_; }
    [[nodiscard]] const Pid& parent() const noexcept { return parent_; }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] ActorState state() const noexcept { return state_.load(std::memory_order_acquire); }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

    // Any thread. `counted`: user traffic (poison is not). `force`: bypass the capacity check.
    SendStatus enqueue_user(std::unique_ptr<Message> m, bool counted = true, bool force = false);
    void enqueue_system(std::unique_ptr<Message> m);

    Turn run(std::size_t budget) override;
    void retain() noexcept override { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept override {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    // Called by the owner's own turn when it spawns a child.
    void add_child(Pid child);
    [[nodiscard]] std::vector<Pid> children() const;
    void count_sent() noexcept { bump(sent_); }

    [[nodiscard]] bool has_work() const noexcept { return pending_.load(std::memory_order_acquire) != 0; }
    [[nodiscard]] ActorCounters counters() const noexcept;
    [[nodiscard]] std::uint64_t in_flight() const noexcept;
    [[nodiscard]] ActorInfo info() const;

    // The cell whose turn is running on this thread, if any.
    static Cell* current() noexcept;

private:
    static constexpr std::uint64_t kSystemUnit = std::uint64_t{1} << 32;

    void handle_system(std::unique_ptr<Message> m);
    void handle_user(std::unique_ptr<Message> m);
    void start();
    void begin_stop(StopReason reason, std::string detail);
    void continue_stop();
    void finalize();
    void fail(const std::string& what, Message* during);
    void evict(std::unique_ptr<Message> m);
    SendStatus refuse(std::unique_ptr<Message> m);
    void dead_letter(std::unique_ptr<Message> m, DeadLetterReason reason);
    template <class T>
    void notify(T notification);

    // Only the owning turn writes these; others read them relaxed (snapshot, counters).
    static void bump(std::atomic<std::uint64_t>& c) noexcept {
        c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    EngineCore& core_;
    const Pid pid_;
    const Pid parent_;
    const std::string name_;
    const Producer producer_;
    const std::size_t capacity_;
    const OverflowPolicy policy_;

    std::atomic<std::uint32_t> refs_{1};
    std::atomic<std::uint64_t> pending_{0};
    MpscQueue system_;
    MpscQueue user_;

    std::atomic<ActorState> state_{ActorState::starting};
    std::unique_ptr<Actor> instance_;
    Context ctx_;
    StopReason stop_reason_ = StopReason::requested;
    std::string stop_detail_;
    Pid stopping_child_;

    mutable std::mutex children_mutex_;
    std::vector<Pid> children_;

    std::atomic<std::uint64_t> accepted_{0};  // producers
    std::atomic<std::uint64_t> refused_{0};   // producers
    std::atomic<std::uint64_t> processed_{0};
    std::atomic<std::uint64_t> dead_lettered_{0};
    std::atomic<std::uint64_t> evicted_{0};
    std::atomic<std::uint64_t> sent_{0};
};

}  // namespace actors::detail
