#include "peer_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace bench {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kReadyDeadline = std::chrono::seconds(30);
constexpr auto kExitGrace = std::chrono::seconds(5);
// A peer under a tool (callgrind) starts, runs and writes its profile at exit many times slower.
constexpr auto kWrappedGrace = std::chrono::seconds(120);

std::string self_executable() {
    std::vector<char> buf(4096);
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) throw std::runtime_error("peer: cannot find this program (/proc/self/exe)");
    return std::string(buf.data(), static_cast<std::size_t>(n));
}
std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at <= path.size();) {
        const std::size_t colon = std::min(path.find(':', at), path.size());
        if (colon > at) out.push_back(path.substr(at, colon - at));
        at = colon + 1;
    }
    return out;
}
}  // namespace

PeerProcess::PeerProcess(const std::string& side, unsigned workers)
    : PeerProcess({"--remote-peer", side, "--workers", std::to_string(workers)}, side) {}

PeerProcess::PeerProcess(const std::vector<std::string>& peer_args, const std::string& side) {
    std::vector<std::string> args;
    // ACTORS_BENCH_PEER_WRAP: a command the peer runs under, words split at spaces (to profile
    // the receiving side alone, e.g. "valgrind --tool=callgrind --callgrind-out-file=peer.out").
    if (const char* wrap = std::getenv("ACTORS_BENCH_PEER_WRAP"); wrap != nullptr && *wrap != '\0') {
        for (const char* w = wrap; *w != '\0';) {
            const char* end = w;
            while (*end != '\0' && *end != ' ') ++end;
            if (end != w) args.emplace_back(w, end);
            w = *end == ' ' ? end + 1 : end;
        }
        wrapped_ = true;
        // Found on PATH here: between fork and exec only async-signal-safe calls.
        if (!args.empty() && args[0].find('/') == std::string::npos)
            if (const char* path = std::getenv("PATH"))
                for (const std::string& dir : split_path(path))
                    if (std::string full = dir + "/" + args[0]; ::access(full.c_str(), X_OK) == 0) {
                        args[0] = full;
                        break;
                    }
    }
    args.push_back(self_executable());
    args.insert(args.end(), peer_args.begin(), peer_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("peer: pipe failed");
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(in[1]);
        throw std::runtime_error("peer: pipe failed");
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
        // Only async-signal-safe calls between fork and exec: the bench process has threads.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(126);  // the bench process died before prctl
        ::dup2(in[0], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (pid_ < 0) {
        stop();
        throw std::runtime_error("peer: fork failed");
    }
    // Waits for the line "ready PORT" or "ready"; other lines (a library's chatter) are skipped.
    std::string text;
    int port = -1;
    const auto until = Clock::now() + kReadyDeadline;
    while (port < 0) {
        if (const auto nl = text.find('\n'); nl != std::string::npos) {
            if (text.rfind("ready\n", 0) == 0) {
                port = 0;
            } else if (text.rfind("ready ", 0) == 0) {
                const int p = std::atoi(text.c_str() + 6);
                if (p > 0 && p <= 65535) port = p;
            }
            text.erase(0, nl + 1);
            continue;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        pollfd p{stdout_, POLLIN, 0};
        if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
            stop();
            throw std::runtime_error("peer (" + side + "): not ready within 30 s");
        }
        char buf[256];
        const ssize_t n = ::read(stdout_, buf, sizeof buf);
        if (n <= 0) {
            stop();
            throw std::runtime_error("peer (" + side + "): exited before it was ready");
        }
        text.append(buf, static_cast<std::size_t>(n));
    }
    port_ = static_cast<std::uint16_t>(port);
}

PeerProcess::~PeerProcess() { stop(); }

void PeerProcess::stop() noexcept {
    if (stdin_ >= 0) ::close(std::exchange(stdin_, -1));  // the peer's cue to shut down
    if (pid_ > 0) {
        const auto until = Clock::now() + (wrapped_ ? kWrappedGrace : kExitGrace);
        int status = 0;
        pid_t done = 0;
        while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (done == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
        pid_ = -1;
    }
    if (stdout_ >= 0) ::close(std::exchange(stdout_, -1));
}

}  // namespace bench
