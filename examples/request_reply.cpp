// request_reply: asking an actor a question and getting a typed answer - or a clear error saying
// why there is none. Three ways to answer, two ways to wait, and two ways a request can fail.
#include <chrono>
#include <cstdio>
#include <latch>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "actors/actors.hpp"

using namespace actors;

struct Add {
    long n;
};
// A request names its answer type, so a wrong reply is a compile error, not a runtime surprise.
struct GetTotal {
    using Response = long;
};
struct Describe {
    using Response = std::string;
};
// Answered only once the total reaches `at_least`, which may be much later.
struct WaitUntil {
    long at_least;
    using Response = long;
};

class Accumulator : public Actor {
public:
    void receive(Context& ctx, Message& msg) override {
        msg.visit(
            [&](const Add& a) {
                total_ += a.n;
                ++adds_;
                answer_waiters();
            },
            // 1. The simplest answer: the handler's return value is the reply.
            [&](const GetTotal&) { return total_; },
            // 2. ctx.respond(): an explicit reply, handy when the handler has more to do after it.
            [&](const Describe& d) {
                ctx.respond(d, std::to_string(total_) + " from " + std::to_string(adds_) + " additions");
            },
            // 3. A deferred reply: take the Responder now, keep it, reply when the answer exists.
            [&](const WaitUntil& w) {
                waiters_.emplace_back(w.at_least, msg.take_responder(w));
                answer_waiters();
            });
    }

private:
    // Answer, and forget, every waiter whose threshold has been reached.
    void answer_waiters() {
        std::erase_if(waiters_, [&](auto& w) {
            if (total_ < w.first) return false;
            w.second.reply(total_);
            return true;
        });
    }

    long total_ = 0;
    int adds_ = 0;
    std::vector<std::pair<long, Responder<long>>> waiters_;
};

int main() {
    Engine engine;  // thread pool: get() may block main while the workers answer
    Pid acc = engine.spawn<Accumulator>("accumulator");
    engine.send(acc, Add{40});
    engine.send(acc, Add{2});

    // get() blocks until the reply (or an error) is in. Sends and requests from one sender arrive
    // in order, so both Adds are counted before GetTotal is handled.
    std::printf("get():     total = %ld\n", engine.request(acc, GetTotal{}).get().value());
    std::printf("respond(): \"%s\"\n", engine.request(acc, Describe{}).get().value().c_str());

    // then() never blocks: the continuation runs on whichever thread completes the future (the
    // replying worker, or this one if the reply is already in). The latch only keeps the output
    // in order. A continuation that throws is logged and ignored: it never fails the responder.
    std::latch printed(1);
    const auto main_thread = std::this_thread::get_id();
    engine.request(acc, GetTotal{}).then([&](Result<long> r) {
        const char* where = std::this_thread::get_id() == main_thread ? "the main thread" : "a worker thread";
        if (r) std::printf("then():    total = %ld, on %s\n", r.value(), where);
        else std::printf("then():    failed: %s\n", r.error().message().c_str());
        printed.count_down();
    });
    printed.wait();

    // The deferred reply: nothing comes back until enough has been added.
    Future<long> reached = engine.request(acc, WaitUntil{100});
    engine.wait_idle();
    std::printf("deferred:  WaitUntil{100} ready before more Adds? %s\n", reached.ready() ? "yes" : "no");
    engine.send(acc, Add{58});
    std::printf("deferred:  WaitUntil{100} answered with %ld\n", reached.get().value());

    // An actor that never answers: the timeout turns silence into an error instead of a hang.
    auto t0 = std::chrono::steady_clock::now();
    Result<long> late = engine.request(acc, WaitUntil{1'000'000}, std::chrono::milliseconds(200)).get();
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    std::printf("timeout:   %s (after %lld ms)\n", late.error().message().c_str(),
                static_cast<long long>(waited.count()));

    // A stopped actor fails fast: the engine knows nobody will answer, so there is no waiting.
    engine.stop(acc);
    engine.wait_idle();
    t0 = std::chrono::steady_clock::now();
    Result<long> gone = engine.request(acc, GetTotal{}).get();
    auto fast = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
    std::printf("stopped:   %s (after %lld us)\n", gone.error().message().c_str(),
                static_cast<long long>(fast.count()));

    engine.shutdown();
    return late.error().code == ErrorCode::timeout && gone.error().code == ErrorCode::actor_stopped ? 0 : 1;
}
