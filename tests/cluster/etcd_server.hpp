#pragma once
// A real etcd for tests: /usr/bin/etcd on free 127.0.0.1 ports with its own data directory under
// the build folder. Killed by its pid in the destructor, so a failing test leaves no process.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "cluster/etcd_store.hpp"

namespace actors::testing {

inline unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no free port");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

class EtcdServer {
public:
    explicit EtcdServer(const std::string& name)
        : dir_(std::filesystem::path(ACTORS_TEST_BINARY_DIR) / ("etcd-" + name + "-" + std::to_string(::getpid()))),
          client_(free_port()), peer_(free_port()) {
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        start();
    }
    ~EtcdServer() {
        stop();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    EtcdServer(const EtcdServer&) = delete;
    EtcdServer& operator=(const EtcdServer&) = delete;

    [[nodiscard]] unsigned short port() const { return client_; }
    [[nodiscard]] cluster::EtcdOptions options() const {
        cluster::EtcdOptions o;
        o.port = client_;
        // Generous: a 1 MB put under ThreadSanitizer on a busy 2-core machine took over 500 ms and
        // failed a test that was not about timeouts. A stopped etcd still fails at once (the
        // connect is refused), so the outage tests do not wait for this.
        o.request_timeout = std::chrono::seconds(5);
        return o;
    }

    void start() {
        if (pid_ > 0) return;
        const std::string c = "http://127.0.0.1:" + std::to_string(client_);
        const std::string p = "http://127.0.0.1:" + std::to_string(peer_);
        const std::string data = (dir_ / "data").string(), log = (dir_ / "etcd.log").string();
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            const std::string cluster = "default=" + p;
            ::execl("/usr/bin/etcd", "etcd", "--data-dir", data.c_str(), "--listen-client-urls", c.c_str(),
                    "--advertise-client-urls", c.c_str(), "--listen-peer-urls", p.c_str(), "--initial-advertise-peer-urls",
                    p.c_str(), "--initial-cluster", cluster.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        // Ready when it answers a read; bounded, so a broken etcd fails the test instead of hanging it.
        cluster::EtcdStore store(options());
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < until) {
            try {
                (void)store.range("/ready-probe/");
                return;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        stop();
        throw std::runtime_error("etcd did not answer within 20 s; see " + log);
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    std::filesystem::path dir_;
    unsigned short client_, peer_;
    pid_t pid_ = -1;
};

}  // namespace actors::testing
