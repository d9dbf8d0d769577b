#pragma once
// The second process of a remote workload: this program re-executed as
// `bench_suite --remote-peer ours|caf --workers N`. The peer listens on a port the OS picks on
// 127.0.0.1, prints "ready PORT" and serves until its stdin ends. The guard stops it on every
// exit path: the destructor closes the peer's stdin, gives it a few seconds to shut down
// cleanly, then kills it (SIGKILL) and reaps it; and the peer dies with the bench process
// (PR_SET_PDEATHSIG), so a bench killed by a signal leaves no peer behind either.

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace bench {

class PeerProcess {
public:
    // Throws std::runtime_error when the peer cannot start or says nothing within 30 s.
    PeerProcess(const std::string& side, unsigned workers);
    ~PeerProcess();
    PeerProcess(const PeerProcess&) = delete;
    PeerProcess& operator=(const PeerProcess&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

private:
    void stop() noexcept;

    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    std::uint16_t port_ = 0;
    bool wrapped_ = false;  // runs under ACTORS_BENCH_PEER_WRAP
};

}  // namespace bench
