#pragma once
// A ConnectionHandler for transport tests: records what arrives, sends what the test queues,
// and optionally echoes every frame back. Tests wait on it with a bound, never a sleep.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "remote/transport.hpp"

namespace actors::remote::testing {

class RecordingHandler : public ConnectionHandler {
public:
    explicit RecordingHandler(bool echo = false) : echo_(echo) {}

    void on_open(std::shared_ptr<Connection> connection) override {
        bool write = false;
        {
            std::lock_guard lock(mutex_);
            connection_ = connection;
            opened_ = true;
            write = !outbox_.empty();
        }
        changed_.notify_all();
        if (write) connection->wants_write();
    }

    void on_frame(ByteView frame) override {
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(mutex_);
            frames_.emplace_back(frame.begin(), frame.end());
            if (echo_) {
                outbox_.emplace_back(frame.begin(), frame.end());
                connection = connection_;
            }
        }
        changed_.notify_all();
        if (connection) connection->wants_write();
    }

    std::optional<Bytes> next_frame() override {
        std::lock_guard lock(mutex_);
        if (outbox_.empty()) return std::nullopt;
        Bytes frame = std::move(outbox_.front());
        outbox_.pop_front();
        return frame;
    }

    void on_close(std::string reason) override {
        {
            std::lock_guard lock(mutex_);
            ++closes_;
            reason_ = std::move(reason);
            connection_.reset();  // the connection holds us; we must not hold it back
        }
        changed_.notify_all();
    }

    // Queues a frame; it goes out once the connection is open.
    void send(Bytes frame) {
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(mutex_);
            outbox_.push_back(std::move(frame));
            connection = connection_;
        }
        if (connection) connection->wants_write();
    }

    void close(std::string reason) {
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(mutex_);
            connection = connection_;
        }
        if (connection) connection->close(std::move(reason));
    }

    template <class Predicate>
    bool wait(Predicate predicate, std::chrono::milliseconds bound = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, bound, [&] { return predicate(*this); });
    }
    bool wait_open() { return wait([](const RecordingHandler& h) { return h.opened_ || h.reason_; }) && opened(); }
    bool wait_closed() { return wait([](const RecordingHandler& h) { return h.reason_.has_value(); }); }
    bool wait_frames(std::size_t n) {
        return wait([n](const RecordingHandler& h) { return h.frames_.size() >= n || h.reason_; }) && frame_count() >= n;
    }

    // Readers for tests (take the lock); the *_locked forms are for predicates inside wait().
    bool opened() const { std::lock_guard lock(mutex_); return opened_; }
    std::string reason() const { std::lock_guard lock(mutex_); return reason_.value_or(""); }
    int closes() const { std::lock_guard lock(mutex_); return closes_; }
    std::size_t frame_count() const { std::lock_guard lock(mutex_); return frames_.size(); }
    std::vector<Bytes> frames() const { std::lock_guard lock(mutex_); return frames_; }
    std::string remote_address() const {
        std::lock_guard lock(mutex_);
        return connection_ ? connection_->remote_address() : std::string();
    }

    bool opened_ = false;                 // read only under the lock (inside wait predicates)
    std::optional<std::string> reason_;
    std::vector<Bytes> frames_;

private:
    const bool echo_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::shared_ptr<Connection> connection_;
    std::deque<Bytes> outbox_;
    int closes_ = 0;
};

// Collects the handlers a listener made, so a test can reach the server side of a connection.
class AcceptLog {
public:
    explicit AcceptLog(bool echo) : echo_(echo) {}
    std::function<std::shared_ptr<ConnectionHandler>()> factory() {
        return [this] {
            auto handler = std::make_shared<RecordingHandler>(echo_);
            std::lock_guard lock(mutex_);
            handlers_.push_back(handler);
            changed_.notify_all();
            return handler;
        };
    }
    std::shared_ptr<RecordingHandler> wait_handler(std::size_t index, std::chrono::seconds bound = std::chrono::seconds(20)) {
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, bound, [&] { return handlers_.size() > index; })) return nullptr;
        return handlers_[index];
    }
    std::size_t count() const { std::lock_guard lock(mutex_); return handlers_.size(); }

private:
    const bool echo_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::shared_ptr<RecordingHandler>> handlers_;
};

inline Bytes bytes_of(const std::string& text) { return Bytes(text.begin(), text.end()); }

}  // namespace actors::remote::testing
