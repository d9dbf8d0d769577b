#include "cell.hpp"

#include <algorithm>
#include <exception>

#include "engine_core.hpp"
#include "system_messages.hpp"

namespace actors::detail {

namespace {

thread_local Cell* tl_current = nullptr;

class CurrentCell {
public:
    explicit CurrentCell(Cell* c) noexcept : saved_(std::exchange(tl_current, c)) {}
    ~CurrentCell() { tl_current = saved_; }
    CurrentCell(const CurrentCell&) = delete;
    CurrentCell& operator=(const CurrentCell&) = delete;

private:
    Cell* saved_;
};

std::uint32_t user_part(std::uint64_t word) noexcept { return static_cast<std::uint32_t>(word); }

std::string exception_text(std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception (not derived from std::exception)";
    }
}

}  // namespace

Cell* Cell::current() noexcept { return tl_current; }

Cell::Cell(EngineCore& core, Pid pid, Pid parent, std::string name, Producer producer, MailboxOptions mailbox)
    : core_(core),
      pid_(pid),
      parent_(parent),
      name_(std::move(name)),
      producer_(std::move(producer)),
      capacity_(mailbox.capacity),
      policy_(mailbox.overflow),
      ctx_(*this, core.engine()) {
    core_.cell_created(this);
}

Cell::~Cell() {
    // Only reachable with queued messages when the engine is torn down around a sender that
    // still held this cell; they are counted as dead letters so the books still balance.
    while (Message* m = system_.pop()) delete m;
    while (Message* m = user_.pop()) {
        if (!m->is<PoisonCmd>()) bump(dead_lettered_);
        delete m;
    }
    core_.cell_destroyed(this);
}

SendStatus Cell::enqueue_user(std::unique_ptr<Message> m, bool counted, bool force) {
    std::uint64_t prev;
    // Only a mailbox that refuses needs the exact check; the others take one fetch_add.
    if (policy_ != OverflowPolicy::drop_oldest && capacity_ < unbounded && !force) {
        prev = pending_.load(std::memory_order_relaxed);
        do {
            if (user_part(prev) >= capacity_) return refuse(std::move(m));
        } while (!pending_.compare_exchange_weak(prev, prev + 1, std::memory_order_acq_rel, std::memory_order_relaxed));
    } else {
        prev = pending_.fetch_add(1, std::memory_order_acq_rel);
    }
    if (counted) accepted_.fetch_add(1, std::memory_order_relaxed);
    user_.push(m.release());
    if (prev == 0) core_.scheduler().schedule(*this);
    return SendStatus::delivered;
}

void Cell::enqueue_system(std::unique_ptr<Message> m) {
    std::uint64_t prev = pending_.fetch_add(kSystemUnit, std::memory_order_acq_rel);
    system_.push(m.release());
    if (prev == 0) core_.scheduler().schedule(*this);
}

Runnable::Turn Cell::run(std::size_t budget) {
    CurrentCell guard(this);
    std::uint64_t consumed = 0;
    std::uint32_t users = 0;
    for (std::size_t n = 0; n < budget; ++n) {
        if (Message* s = system_.pop()) {
            consumed += kSystemUnit;
            handle_system(std::unique_ptr<Message>(s));
            continue;
        }
        Message* u = user_.pop();
        if (u == nullptr) break;
        std::unique_ptr<Message> m(u);
        consumed += 1;
        ++users;
        if (policy_ == OverflowPolicy::drop_oldest && !m->is<PoisonCmd>()) {
            // Everything still queued, this message included, minus what this turn already took.
            std::uint32_t queued = user_part(pending_.load(std::memory_order_acquire)) - (users - 1);
            if (queued > capacity_) {
                evict(std::move(m));
                continue;
            }
        }
        handle_user(std::move(m));
    }
    // Nothing taken while work is pending: a producer is between its two push steps. Yield the
    // thread and come back rather than spin.
    if (consumed == 0) return Turn::more;
    std::uint64_t prev = pending_.fetch_sub(consumed, std::memory_order_acq_rel);
    return prev == consumed ? Turn::idle : Turn::more;
}

void Cell::handle_system(std::unique_ptr<Message> m) {
    if (m->is<StartCmd>()) {
        start();
    } else if (auto* stop = m->as<StopCmd>()) {
        begin_stop(stop->reason, std::move(stop->detail));
    } else if (auto* ct = m->as<ChildTerminatedCmd>()) {
        {
            std::lock_guard lock(children_mutex_);
            std::erase_if(children_, [&](const Pid& p) { return p.same_actor(ct->child); });
        }
        if (state() == ActorState::stopping) continue_stop();
    } else if (auto* cont = m->as<ContinuationCmd>()) {
        if (state() != ActorState::running) return;  // nobody left to continue
        try {
            cont->fn(ctx_);
        } catch (...) {
            fail(exception_text(std::current_exception()), nullptr);
        }
    }
}

template <class T>
void Cell::notify(T notification) {
    PayloadMessage<T> msg(Pid{}, std::move(notification));
    ctx_.current_ = &msg;
    instance_->receive(ctx_, msg);
    ctx_.current_ = nullptr;
}

void Cell::start() {
    if (state() != ActorState::starting) return;
    try {
        instance_ = producer_ ? producer_() : nullptr;
        if (!instance_) throw std::runtime_error("the producer returned no actor instance");
        state_.store(ActorState::running, std::memory_order_release);
        notify(Initialized{});
        instance_->started(ctx_);
        notify(Started{});
    } catch (...) {
        ctx_.current_ = nullptr;
        fail(exception_text(std::current_exception()), nullptr);
        return;
    }
    core_.events().publish(ActorStarted{pid_});
}

void Cell::handle_user(std::unique_ptr<Message> m) {
    if (auto* poison = m->as<PoisonCmd>()) {
        if (state() == ActorState::running) begin_stop(poison->reason, std::move(poison->detail));
        return;
    }
    if (state() != ActorState::running) {
        dead_letter(std::move(m), DeadLetterReason::actor_stopped);
        return;
    }
    ctx_.current_ = m.get();
    try {
        instance_->receive(ctx_, *m);
    } catch (...) {
        ctx_.current_ = nullptr;
        std::string what = exception_text(std::current_exception());
        // Not retried: the message that made the handler fail becomes a dead letter.
        m->fail_request(Error{ErrorCode::handler_failed, what});
        bump(dead_lettered_);
        core_.dead_letter_event(pid_, *m, DeadLetterReason::handler_failed);
        fail(what, m.get());
        return;
    }
    ctx_.current_ = nullptr;
    bump(processed_);
}

void Cell::fail(const std::string& what, Message* during) {
    core_.events().publish(ActorFailed{pid_, what, during ? during->type_name() : std::string{}});
    begin_stop(StopReason::failed, what);
}

void Cell::begin_stop(StopReason reason, std::string detail) {
    ActorState s = state();
    if (s == ActorState::stopping || s == ActorState::stopped) return;
    stop_reason_ = reason;
    stop_detail_ = std::move(detail);
    state_.store(ActorState::stopping, std::memory_order_release);
    continue_stop();
}

void Cell::continue_stop() {
    // Children stop one at a time, newest first, each finished before the next begins.
    Pid next;
    {
        std::lock_guard lock(children_mutex_);
        if (!children_.empty()) next = children_.back();
    }
    if (next.valid()) {
        if (!next.same_actor(stopping_child_)) {
            stopping_child_ = next;
            core_.stop(next, StopReason::parent_stopped, "parent " + name_ + " stopped");
        }
        return;
    }
    finalize();
}

void Cell::finalize() {
    if (instance_) {
        try {
            notify(Stopped{});
        } catch (...) {
            core_.log_hook_failure(pid_, "receive(Stopped)", exception_text(std::current_exception()));
        }
        ctx_.current_ = nullptr;
        try {
            instance_->stopped(ctx_);
        } catch (...) {
            core_.log_hook_failure(pid_, "stopped()", exception_text(std::current_exception()));
        }
        instance_.reset();
    }
    state_.store(ActorState::stopped, std::memory_order_release);
    core_.retire(*this, stop_reason_, stop_detail_);
}

void Cell::evict(std::unique_ptr<Message> m) {
    bump(evicted_);
    core_.overflow_event(pid_, capacity_, policy_, *m);
    m->fail_request(Error{ErrorCode::mailbox_full, "evicted from the mailbox of " + name_ + " (drop_oldest)"});
}

SendStatus Cell::refuse(std::unique_ptr<Message> m) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    core_.overflow_event(pid_, capacity_, policy_, *m);
    m->fail_request(Error{ErrorCode::mailbox_full, "the mailbox of " + name_ + " is full (" + std::to_string(capacity_) + ")"});
    if (policy_ == OverflowPolicy::reject_sender) {
        // The notification has no sender, so refusing it in turn notifies nobody.
        if (m->sender().valid()) core_.send_notification(m->sender(), MailboxFull{pid_, m->type_name()});
        return SendStatus::rejected;
    }
    return SendStatus::dropped;
}

void Cell::dead_letter(std::unique_ptr<Message> m, DeadLetterReason reason) {
    bump(dead_lettered_);
    core_.dead_letter_event(pid_, *m, reason);
    m->fail_request(Error{ErrorCode::actor_stopped, name_ + " " + pid_.to_string() + " stopped before handling " + m->type_name()});
}

void Cell::add_child(Pid child) {
    std::lock_guard lock(children_mutex_);
    children_.push_back(child);
}

std::vector<Pid> Cell::children() const {
    std::lock_guard lock(children_mutex_);
    return children_;
}

ActorCounters Cell::counters() const noexcept {
    ActorCounters c;
    // Consumer-side counts first, so a concurrent reader never sees more handled than accepted.
    c.processed = processed_.load(std::memory_order_acquire);
    c.dead_lettered = dead_lettered_.load(std::memory_order_acquire);
    std::uint64_t evicted = evicted_.load(std::memory_order_acquire);
    c.sent = sent_.load(std::memory_order_relaxed);
    std::uint64_t refused = refused_.load(std::memory_order_acquire);
    c.received = accepted_.load(std::memory_order_acquire) + refused;
    c.dropped = refused + evicted;
    return c;
}

std::uint64_t Cell::in_flight() const noexcept {
    ActorCounters c = counters();
    std::uint64_t done = c.processed + c.dead_lettered + c.dropped;
    return c.received > done ? c.received - done : 0;
}

ActorInfo Cell::info() const {
    ActorInfo i;
    i.pid = pid_;
    i.name = name_;
    i.parent = parent_;
    i.state = state();
    i.mailbox_depth = user_part(pending_.load(std::memory_order_acquire));
    i.mailbox_capacity = capacity_;
    i.overflow = policy_;
    i.counters = counters();
    i.children = children();
    return i;
}

}  // namespace actors::detail
