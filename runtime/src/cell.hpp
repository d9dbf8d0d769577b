#pragma once
// Cell: one actor as the runtime sees it - its mailbox (a user queue and a system queue), its
// behaviour instance, its place in the tree, its supervision state and its counters. The
// scheduler runs it in turns.
//
// Scheduling protocol: `pending_` counts queued messages (user count in the low 32 bits, system
// count in the high 32). The producer that moves it from 0 schedules the cell; the turn that
// brings it back to 0 ends ownership. So a cell is queued or running on at most one thread,
// and no message is ever left in a mailbox nobody will look at.
//
// While suspended or restarting, user messages are moved from the queue to a private stash, in
// order, and delivered first once the actor runs again. A non-empty active stash holds one
// system unit of `pending_` (the stash token) so the cell stays scheduled until it is drained.
//
// Memory: an idle actor should cost little, so what only some actors ever need (children,
// watches, timers, restart bookkeeping, the last error) lives in CellExtras, made on first use,
// and the supervisor strategy is shared.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/actor.hpp"
#include "actors/context.hpp"
#include "actors/event.hpp"
#include "actors/future.hpp"
#include "actors/middleware.hpp"
#include "actors/scheduler.hpp"
#include "actors/send_status.hpp"
#include "actors/snapshot.hpp"
#include "actors/supervision.hpp"
#include "actors/timer.hpp"
#include "mpsc_queue.hpp"
#include "ref.hpp"
#include "supervisor.hpp"

namespace actors::detail {

class EngineCore;
class Cell;
struct FailedCmd;
struct DirectiveCmd;

// A top-level cell's place in the engine's RootList (guarded by the engine's roots mutex).
struct RootLink {
    Cell* prev = nullptr;
    Cell* next = nullptr;
    bool linked = false;
};

struct CellSpec {
    Pid pid;
    Pid parent;
    std::string name;
    Producer producer;
    MailboxOptions mailbox;
    std::shared_ptr<const SupervisorStrategy> child_strategy;  // shared: most actors use the engine's default
    MiddlewareChain middleware;  // engine-wide first, then the actor's own
    bool track_health = true;    // stamp messages and handler starts for the health monitor
};

// The parts of a cell that most actors never touch (owner's turn only, except `children` and
// `last_error`, which snapshots read under the cell's info mutex).
struct CellExtras {
    // Restart bookkeeping: this actor's pending restart, and as a supervisor, the restart
    // history of its children.
    std::string restart_reason;
    Duration restart_delay{};
    Duration restart_next_delay{};
    unsigned restart_attempt = 0;
    std::uint64_t restart_epoch = 0;
    RestartTracker child_restarts;

    std::vector<Pid> watchers;
    std::vector<std::shared_ptr<FutureState<Terminated>>> watch_futures;  // Engine::watch
    std::vector<Pid> watching;
    std::vector<std::shared_ptr<TimerState>> timers;
    std::function<bool(Context&)> health_check;
    std::shared_ptr<TimerState> health_timer;

    std::vector<Pid> children;  // info mutex
    std::string last_error;     // info mutex
};

class Cell final : public Runnable {
public:
    Cell(EngineCore& core, CellSpec spec);
    ~Cell();
    Cell(const Cell&) = delete;
    Cell& operator=(const Cell&) = delete;

    // The current incarnation's Pid (generation included).
    [[nodiscard]] Pid pid() const noexcept { return Pid{pid_.node, pid_.id, generation_.load(std::memory_order_acquire)}; }
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

    // Owner's turn only.
    void add_child(Pid child);
    [[nodiscard]] std::vector<Pid> children() const;
    void count_sent() noexcept { bump(sent_); }
    // A user message sent from this actor's turn. The last target is remembered, so two actors
    // in conversation skip the registry lookup (a shard lock) per message; a target that has
    // stopped is looked up again, so what happens to the message is exactly what the registry
    // path does. The reference is dropped when this actor stops.
    SendStatus send(Pid to, std::unique_ptr<Message> m);
    void own_timer(std::shared_ptr<TimerState> t);
    void watch(Pid target);
    void unwatch(Pid target);
    void enable_health_check(Duration interval, std::function<bool(Context&)> healthy);
    void disable_health_check();
    // Moves the message being handled out (Context::forward); nullptr if there is none.
    std::unique_ptr<Message> take_current();

    // Health monitor (any thread): raise or clear a signal; true if it changed.
    bool set_health(HealthSignal signal, bool raised) noexcept;
    [[nodiscard]] std::uint8_t health() const noexcept { return health_.load(std::memory_order_acquire); }
    // Engine time of the oldest queued message, and of the handler call now running (0: none).
    [[nodiscard]] std::int64_t oldest_queued_at() const noexcept { return oldest_at_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t handler_started_at() const noexcept { return handler_at_.load(std::memory_order_relaxed); }

    [[nodiscard]] bool has_work() const noexcept { return pending_.load(std::memory_order_acquire) != 0; }
    // Messages waiting, queued or stashed (a suspended actor's stash holds no pending count).
    [[nodiscard]] bool has_backlog() const noexcept { return has_work() || stash_size_.load(std::memory_order_relaxed) != 0; }
    [[nodiscard]] ActorCounters counters() const noexcept;
    // Queued plus stashed user messages.
    [[nodiscard]] std::size_t mailbox_depth() const noexcept;
    [[nodiscard]] ActorInfo info() const;

    // The cell whose turn is running on this thread, if any.
    static Cell* current() noexcept;

    [[nodiscard]] RootLink& root_link() noexcept { return root_link_; }

private:
    static constexpr std::uint64_t kSystemUnit = std::uint64_t{1} << 32;

    void handle_system(std::unique_ptr<Message> m);
    void handle_user(std::unique_ptr<Message> m);
    void invoke(Message& m);
    template <class T>
    void notify(T notification);
    bool create_instance();
    void start();
    void begin_stop(StopReason reason, std::string detail);
    void continue_stop();
    void finalize();
    void destroy_instance();

    // Supervision.
    void fail(const std::string& what, const std::string& message_type, std::exception_ptr error);
    void on_child_failed(FailedCmd& cmd);
    void on_directive(DirectiveCmd& cmd);
    void children_stopped_for_restart();
    void restart_now();
    void resume_from_stash();
    void release_stash_token() noexcept;

    void cancel_timers();
    void run_health_check();
    void stash(std::unique_ptr<Message> m);
    std::unique_ptr<Message> unstash();  // the oldest stashed message; releases the token when empty
    void evict(std::unique_ptr<Message> m);
    SendStatus refuse(std::unique_ptr<Message> m);
    void dead_letter(std::unique_ptr<Message> m, DeadLetterReason reason);
    void note_oldest();

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
    const std::shared_ptr<const SupervisorStrategy> child_strategy_;
    const MiddlewareChain middleware_;
    const bool track_health_;  // off: no per-message stamps on the hot path

    std::atomic<std::uint32_t> refs_{1};
    std::atomic<std::uint64_t> pending_{0};
    MpscQueue system_;
    MpscQueue user_;
    std::atomic<std::uint32_t> generation_{0};

    std::atomic<ActorState> state_{ActorState::starting};
    std::unique_ptr<Actor> instance_;
    Context ctx_;
    StopReason stop_reason_ = StopReason::requested;
    std::string stop_detail_;
    Pid stopping_child_;

    // Messages held while suspended/restarting (owner only; the size is read by producers).
    // Made on first use: most actors never stash, and an empty std::deque already allocates.
    std::unique_ptr<std::deque<std::unique_ptr<Message>>> stash_;
    [[nodiscard]] bool stash_empty() const noexcept { return !stash_ || stash_->empty(); }
    std::atomic<std::uint64_t> stash_size_{0};
    bool stash_token_ = false;
    bool poison_stashed_ = false;        // a poison waits in the stash
    bool poison_restart_tried_ = false;  // ... and a restart was made for it
    std::uint64_t turn_release_ = 0;  // extra pending units this turn gives back

    bool awaiting_children_ = false;
    std::unique_ptr<Message>* current_owner_ = nullptr;
    std::uint64_t last_target_id_ = 0;  // owner only, with last_target_
    Ref<Cell> last_target_;

    // Made on first use by the owner, under the info mutex (snapshots look at it under it too).
    std::unique_ptr<CellExtras> extras_;
    CellExtras& extras();
    // One of a fixed set of mutexes, picked by address: a mutex per cell cost 40 bytes, and
    // no code path holds two cells' info mutexes at once.
    [[nodiscard]] std::mutex& info_mutex() const noexcept;

    std::atomic<std::uint8_t> health_{0};
    std::atomic<std::int64_t> oldest_at_{0};
    std::atomic<std::int64_t> handler_at_{0};

    std::atomic<std::uint64_t> accepted_{0};  // producers
    std::atomic<std::uint64_t> refused_{0};   // producers
    std::atomic<std::uint64_t> processed_{0};
    std::atomic<std::uint64_t> dead_lettered_{0};
    std::atomic<std::uint64_t> evicted_{0};
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> failures_{0};
    std::atomic<std::uint64_t> restarts_{0};

    RootLink root_link_;
};

}  // namespace actors::detail
