#pragma once
// The second process of a workload: this program re-executed with other arguments (bench_suite's
// remote peer: `--remote-peer ours|caf --workers N`, listening on a port the OS picks on
// 127.0.0.1; bench_inspector's remote dashboard). The peer prints "ready PORT" (or "ready" when it
// has no port) once it is set up, and runs until its stdin ends. The guard stops it on every
// exit path: the destructor closes the peer's stdin, gives it a few seconds to shut down
// cleanly, then kills it (SIGKILL) and reaps it; and the peer dies with the bench process
// (PR_SET_PDEATHSIG), so a bench killed by a signal leaves no peer behind either.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

class PeerProcess {
public:
    // Throws std::runtime_error when the peer cannot start or says nothing within 30 s.
    PeerProcess(const std::string& side, unsigned workers);
    // This program with `args` after its path; `what` names it in errors.
    PeerProcess(const std::vector<std::string>& args, const std::string& what);
    ~PeerProcess();
    PeerProcess(const PeerProcess&) = delete;
    PeerProcess& operator=(const PeerProcess&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }  // 0 when it said "ready" alone

private:
    void stop() noexcept;

    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    std::uint16_t port_ = 0;
    bool wrapped_ = false;  // runs under ACTORS_BENCH_PEER_WRAP
};

}  // namespace bench
