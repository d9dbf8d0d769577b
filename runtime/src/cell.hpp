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
// Memory: an idle actor should cost little. The cell holds what every actor uses on every
// message (the queues, the pending word, the instance, the conservation counters, the health
// stamps); everything else (the name of a named actor, the parent, restart bookkeeping,
// children, watches, timers, the stash, the rare counters) lives in CellCold, made on first
// use. An unnamed top-level actor never makes one. Engine-wide defaults (middleware, the
// supervisor strategy) are shared, not copied. The behaviour lives in the same allocation as
// the cell: a Cell is abstract and each kind of behaviour (a producer, a receive function)
// is a final subclass that holds what it needs to make an instance (see cell_kinds.hpp).

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
#include "system_queue.hpp"
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
};

struct CellSpec {
    Pid pid;
    Pid parent;
    std::string name;  // the full path; empty for an unnamed top-level actor ("$<id>" on demand)
    MailboxOptions mailbox;
    std::shared_ptr<const SupervisorStrategy> child_strategy;  // null: the engine's default
    MiddlewareChain middleware;  // the actor's own, inside the engine-wide chain; usually empty
    bool track_health = true;    // stamp messages and handler starts for the health monitor
};

// The parts of a cell that most actors never touch. Made on first use (by any thread: a producer
// that refuses a message counts it here) and published with one compare-and-swap, so it never
// moves once seen. Owner's turn only, except the atomics, `children` and `last_error` (which
// snapshots read under the cell's info mutex) and the fields fixed at creation.
struct CellCold {
    explicit CellCold(std::string full_name) : name(std::move(full_name)) {}

    // Fixed at creation.
    const std::string name;
    Pid parent;
    std::shared_ptr<const SupervisorStrategy> own_strategy;  // null: the engine's default
    MiddlewareChain middleware;                              // engine-wide, then the actor's own

    // Counters beyond the hot ones (written by the owner, except `refused`: producers).
    std::atomic<std::uint64_t> refused{0};
    std::atomic<std::uint64_t> evicted{0};
    std::atomic<std::uint64_t> failures{0};
    std::atomic<std::uint64_t> restarts{0};

    std::string stop_detail;
    Pid stopping_child;
    // Messages held while suspended/restarting. Made on first use: an empty deque allocates.
    std::unique_ptr<std::deque<std::unique_ptr<Message>>> stash;

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

class Cell : public Runnable {
public:
    Cell(EngineCore& core, CellSpec spec);
    virtual ~Cell();
    Cell(const Cell&) = delete;
    Cell& operator=(const Cell&) = delete;

    // The current incarnation's Pid (generation included).
    [[nodiscard]] Pid pid() const noexcept;
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] Pid parent() const noexcept { return (traits_ & kHasParent) ? cold_.load(std::memory_order_acquire)->parent : Pid{}; }
    // The full path. By reference it is kept in the cold part (made for an unnamed actor on the
    // first call); name_text() costs nothing to keep.
    [[nodiscard]] const std::string& name() const { return cold().name; }
    [[nodiscard]] std::string name_text() const;
    // Named by the caller or a child (its path is registered); unnamed top-level actors are not.
    [[nodiscard]] bool has_registered_name() const noexcept { return (traits_ & kNamed) != 0; }
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
    std::unique_ptr<Message> take_current(Context& ctx);

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
protected:
    // Makes a fresh behaviour instance (spawn and each restart); may throw.
    virtual Actor* make_instance() = 0;
    // Ends an instance make_instance() returned.
    virtual void unmake_instance(Actor* a) noexcept = 0;
    // A subclass's destructor calls it: an instance left when the engine is torn down around an
    // actor that never finished stopping.
    void drop_leftover_instance() noexcept {
        if (instance_) unmake_instance(std::exchange(instance_, nullptr));
    }

private:
    static constexpr std::uint64_t kSystemUnit = std::uint64_t{1} << 32;
    // traits_ (fixed at spawn)
    static constexpr std::uint8_t kTrackHealth = 1, kNamed = 2, kHasParent = 4, kOwnMiddleware = 8, kOwnStrategy = 16;
    // flags_ (owner's turn only)
    static constexpr std::uint8_t kStashToken = 1, kPoisonStashed = 2, kPoisonRestartTried = 4, kAwaitingChildren = 8;
    // Bits 4-5: the stop detail, when it is one of the usual texts (kept out of the cold part).
    static constexpr int kDetailShift = 4;
    static constexpr std::uint8_t kDetailMask = 3 << kDetailShift;

    bool flag(std::uint8_t f) const noexcept { return (flags_ & f) != 0; }
    void set_flag(std::uint8_t f, bool on) noexcept { flags_ = static_cast<std::uint8_t>(on ? flags_ | f : flags_ & ~f); }
    bool tracks_health() const noexcept { return (traits_ & kTrackHealth) != 0; }

    // The cold part, made on first use by whichever thread needs it.
    CellCold& cold() const;
    CellCold* cold_if_made() const noexcept { return cold_.load(std::memory_order_acquire); }
    const MiddlewareChain& middleware() const noexcept;
    const SupervisorStrategy& child_strategy() const noexcept;

    void handle_system(std::unique_ptr<Message> m);
    void handle_user(std::unique_ptr<Message> m);
    void invoke(Context& ctx, Message& m);
    template <class T>
    void notify(Context& ctx, T notification);
    bool create_instance();
    void start();
    void begin_stop(StopReason reason, std::string detail);
    void continue_stop();
    void finalize();
    void destroy_instance();
    [[nodiscard]] Context context() noexcept;

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
    [[nodiscard]] bool stash_empty() const noexcept;
    void evict(std::unique_ptr<Message> m);
    SendStatus refuse(std::unique_ptr<Message> m);
    void dead_letter(std::unique_ptr<Message> m, DeadLetterReason reason);
    void note_oldest();
    [[nodiscard]] std::string stop_detail() const;

    // Only the owning turn writes these; others read them relaxed (snapshot, counters).
    static void bump(std::atomic<std::uint64_t>& c) noexcept {
        c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    // One of a fixed set of mutexes, picked by address: a mutex per cell cost 40 bytes, and
    // no code path holds two cells' info mutexes at once.
    [[nodiscard]] std::mutex& info_mutex() const noexcept;

    EngineCore& core_;
    mutable std::atomic<CellCold*> cold_{nullptr};
    const std::uint64_t id_;
    std::atomic<std::uint32_t> refs_{1};
    std::atomic<std::uint32_t> generation_{0};
    std::atomic<std::uint64_t> pending_{0};
    SystemQueue system_;
    MpscQueue user_;
    Actor* instance_ = nullptr;
    Ref<Cell> last_target_;  // owner only

    std::atomic<std::int64_t> oldest_at_{0};
    std::atomic<std::int64_t> handler_at_{0};

    std::atomic<std::uint64_t> accepted_{0};  // producers
    std::atomic<std::uint64_t> processed_{0};
    std::atomic<std::uint64_t> dead_lettered_{0};
    std::atomic<std::uint64_t> sent_{0};

    RootLink root_link_;

    const std::uint32_t capacity_;
    std::atomic<std::uint32_t> stash_size_{0};  // read by producers
    std::atomic<ActorState> state_{ActorState::starting};
    std::atomic<std::uint8_t> health_{0};
    const OverflowPolicy policy_;
    const std::uint8_t traits_;
    StopReason stop_reason_ = StopReason::requested;
    std::uint8_t flags_ = 0;
    std::uint8_t turn_releases_ = 0;  // stash tokens this turn gives back
    // The registry's state for this cell (guarded by its shard's lock): registered from spawn
    // until the actor retires; the cell stays in its shard, unregistered, until it is destroyed,
    // so engine counters and idleness still see a cell that drains late messages.
    bool registered_ = false;
    friend class Registry;
};

}  // namespace actors::detail
