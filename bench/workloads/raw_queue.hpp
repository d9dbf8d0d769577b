#pragma once
// The raw limit of "one sender -> one actor": the same messages through the same intrusive MPSC
// queue (runtime/src/mpsc_queue.hpp), one thread pushing and another popping, with no actor, no
// scheduler and no counters. Measured in the same run, it turns "close to the limit" into a
// ratio: one sender -> one actor / this. Native only (it needs a second thread).

#include <atomic>
#include <memory>
#include <thread>

#include "actors/message.hpp"
#include "../../runtime/src/mpsc_queue.hpp"
#include "../params.hpp"
#include "../stopwatch.hpp"

namespace bench::ours {

inline Sample raw_queue(const Params& p) {
    actors::detail::MpscQueue queue;
    std::atomic<bool> go{false};
    std::atomic<bool> finished{false};
    const long n = p.send_messages;
    std::thread consumer([&] {
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        long taken = 0;
        int empty_polls = 0;
        while (taken < n) {
            if (actors::Message* m = queue.pop()) {
                delete m;
                ++taken;
                empty_polls = 0;
            } else if (++empty_polls > 256) {
                // On two cores the producer may share ours: let it run rather than spin it out.
                std::this_thread::yield();
                empty_polls = 0;
            }
        }
        finished.store(true, std::memory_order_release);
    });
    Stopwatch t;
    go.store(true, std::memory_order_release);
    for (long i = 0; i < n; ++i) queue.push(actors::detail::make_message<long>(actors::Pid{}, i).release());
    while (!finished.load(std::memory_order_acquire)) std::this_thread::yield();
    const double s = t.seconds();
    consumer.join();
    return {static_cast<double>(n) / s, 0};
}

}  // namespace bench::ours
