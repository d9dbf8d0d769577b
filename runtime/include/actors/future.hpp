#pragma once
// Future<R>: the requester's half of a request. Completes exactly once, with the reply or with an
// Error (timeout, no_such_actor, actor_stopped, mailbox_full, handler_failed, no_reply, ...).
//
// then() never blocks: the continuation runs on the thread that completes the future (the
// responder's worker, the timer, or the caller right away if already complete). then() may be
// called once per future, pending or complete: a second call throws std::logic_error. get() blocks and
// exists for the native thread pool only: on a cooperative engine nothing else could ever
// complete the future while its only thread waits, so get() throws std::logic_error instead of
// hanging - use then(), or drive the engine (run_until_idle) and read result().

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "actors/error.hpp"
#include "actors/message.hpp"

namespace actors {

namespace detail {

// A continuation that throws must not fail whoever completed the future (often the actor that
// replied): the exception is logged and dropped.
void report_continuation_exception(std::exception_ptr e) noexcept;

// The type-independent face of a future's state, so the engine can arm and cancel timeouts and
// fail requests without templates.
class FutureStateBase {
public:
    virtual ~FutureStateBase() = default;
    virtual bool fail(Error error) = 0;
    virtual void on_done(std::function<void()> f) = 0;
};

template <class R>
class FutureState final : public FutureStateBase {
public:
    explicit FutureState(bool blocking_allowed) : blocking_allowed_(blocking_allowed) {}

    bool fail(Error error) override { return complete(Result<R>(std::move(error))); }

    // First completion wins; returns whether this one did.
    bool complete(Result<R> result) {
        std::function<void(Result<R>)> cb;
        std::function<void()> on_done;
        {
            std::lock_guard lock(mutex_);
            if (result_) return false;
            result_.emplace(std::move(result));
            cb = std::move(callback_);
            on_done = std::move(on_done_);
        }
        cv_.notify_all();
        if (on_done) on_done();
        if (cb) run(cb);
        return true;
    }

    // One continuation per future, whether it is attached before or after completion: a second
    // then() throws std::logic_error in both cases (and the first continuation keeps its place).
    void then(std::function<void(Result<R>)> cb) {
        {
            std::lock_guard lock(mutex_);
            if (then_called_) throw std::logic_error("Future::then() may be called once per future");
            then_called_ = true;
            if (!result_) {
                callback_ = std::move(cb);
                return;
            }
        }
        run(cb);
    }

    // Runs once on completion, before the continuation (used to cancel the timeout timer).
    void on_done(std::function<void()> f) override {
        std::unique_lock lock(mutex_);
        if (!result_) {
            on_done_ = std::move(f);
            return;
        }
        lock.unlock();
        f();
    }

    [[nodiscard]] bool ready() const {
        std::lock_guard lock(mutex_);
        return result_.has_value();
    }

    Result<R> wait() {
        if (!blocking_allowed_ && !ready())
            throw std::logic_error(
                "Future::get() would block the cooperative scheduler's only thread forever; "
                "use then(), or run the engine (run_until_idle/run_for) and read result()");
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return result_.has_value(); });
        return *result_;
    }

    void run(const std::function<void(Result<R>)>& cb) {
        try {
            cb(*result_);  // result_ never changes once set
        } catch (...) {
            report_continuation_exception(std::current_exception());
        }
    }

    const Result<R>* peek() const {
        std::lock_guard lock(mutex_);
        return result_ ? &*result_ : nullptr;
    }

private:
    const bool blocking_allowed_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::optional<Result<R>> result_;
    std::function<void(Result<R>)> callback_;
    std::function<void()> on_done_;
    bool then_called_ = false;  // under mutex_: then() was called (pending or completed)
};

// Carried in the request envelope; completes the shared state.
template <class R>
class FutureReplyTo final : public TypedReplyTo<R> {
public:
    explicit FutureReplyTo(std::shared_ptr<FutureState<R>> s) : state_(std::move(s)) {}
    ~FutureReplyTo() override {
        if (claim()) state_->complete(Error{ErrorCode::no_reply, "the handler finished without replying"});
    }
    void complete(R value) override {
        if (claim()) state_->complete(Result<R>(std::move(value)));
    }
    void fail(Error error) override {
        if (claim()) state_->complete(Result<R>(std::move(error)));
    }

private:
    bool claim() noexcept { return !answered_.exchange(true, std::memory_order_acq_rel); }
    std::shared_ptr<FutureState<R>> state_;
    std::atomic<bool> answered_{false};
};

}  // namespace detail

template <class R>
class Future {
public:
    Future() = default;
    explicit Future(std::shared_ptr<detail::FutureState<R>> s) : state_(std::move(s)) {}

    [[nodiscard]] bool valid() const noexcept { return state_ != nullptr; }
    [[nodiscard]] bool ready() const { return state().ready(); }

    // The continuation gets the Result (value or Error). One continuation per future: a second
    // then() throws std::logic_error, whether the future is still pending or already complete (a
    // copy of a Future shares its state, so this holds across copies too).
    void then(std::function<void(Result<R>)> continuation) { state().then(std::move(continuation)); }

    // Blocks until complete (native thread pool only; see the file comment). Never throws the
    // request's error: inspect the Result. Returns a copy, so a temporary Future is safe to get().
    [[nodiscard]] Result<R> get() { return state().wait(); }

    // The result if complete, else nullptr. Never blocks. The pointer lives as long as this
    // Future (or a copy of it).
    [[nodiscard]] const Result<R>* result() const { return state().peek(); }

private:
    detail::FutureState<R>& state() const {
        if (!state_) throw std::logic_error("Future used without a request behind it (default-constructed or moved-from)");
        return *state_;
    }
    std::shared_ptr<detail::FutureState<R>> state_;
};

}  // namespace actors
