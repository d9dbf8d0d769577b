#pragma once
// How the example nodes end: on SIGINT or SIGTERM, or when their stdin closes (the parent that
// started them went away, so a test cannot leave one behind). Signals are waited for by one
// thread, not handled asynchronously: call block_stop_signals() first in main, before any thread
// starts, so that every thread inherits the mask; then wait_until_stopped().

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <functional>
#include <iostream>
#include <string>
#include <thread>

namespace examples {

inline sigset_t block_stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

// Hands each line of stdin to `on_line` (when given) until stdin closes; returns once a stop
// signal (or the end of stdin) came.
inline void wait_until_stopped(const sigset_t& signals, std::function<void(const std::string&)> on_line = {}) {
    std::thread stdin_watch([on_line = std::move(on_line)] {
        std::string line;
        while (std::getline(std::cin, line))
            if (on_line) on_line(line);
        kill(getpid(), SIGTERM);
    });
    int sig = 0;
    sigwait(&signals, &sig);
    stdin_watch.detach();  // blocked in a read; the process is ending
}

}  // namespace examples
