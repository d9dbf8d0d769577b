#pragma once
// One child process for tests, with its stdin and stdout as pipes, read line by line with
// deadlines. The guard: the destructor kills (SIGKILL) and reaps it, also when an assertion
// failed, so no test leaves a process behind.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace actors::testing {

class Process {
public:
    explicit Process(std::vector<std::string> args) : args_(std::move(args)) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(out[1], STDOUT_FILENO);
            ::close(in[0]);
            ::close(in[1]);
            ::close(out[0]);
            ::close(out[1]);
            std::vector<char*> argv;
            for (auto& a : args_) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
        ::fcntl(stdout_, F_SETFL, ::fcntl(stdout_, F_GETFL) | O_NONBLOCK);
    }
    ~Process() {
        kill9();
        if (stdin_ >= 0) ::close(stdin_);
        if (stdout_ >= 0) ::close(stdout_);
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    void kill9() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    void send(const std::string& line) {
        const std::string text = line + "\n";
        ASSERT_EQ(::write(stdin_, text.data(), text.size()), static_cast<ssize_t>(text.size())) << "writing to " << args_[0];
    }

    // The first line (seen before and not yet taken, or arriving before the deadline) that starts
    // with `prefix`; it is taken. nullopt at the deadline or when the process's output ends.
    std::optional<std::string> expect(const std::string& prefix, std::chrono::seconds bound = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + bound;
        for (;;) {
            for (auto it = unread_.begin(); it != unread_.end(); ++it)
                if (it->rfind(prefix, 0) == 0) {
                    std::string line = *it;
                    unread_.erase(it);
                    return line;
                }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
            if (left <= 0 || eof_) return std::nullopt;
            pollfd p{stdout_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char buf[4096];
            const ssize_t n = ::read(stdout_, buf, sizeof buf);
            if (n == 0) eof_ = true;
            if (n <= 0) continue;
            partial_.append(buf, static_cast<std::size_t>(n));
            for (std::size_t nl; (nl = partial_.find('\n')) != std::string::npos;) {
                unread_.push_back(partial_.substr(0, nl));
                log_.push_back(unread_.back());
                partial_.erase(0, nl + 1);
            }
        }
    }
    // Sends a command and returns its answer line (the first line starting with `answer`).
    std::string ask(const std::string& command, const std::string& answer) {
        send(command);
        auto line = expect(answer);
        return line.value_or("(no answer starting with \"" + answer + "\" to \"" + command + "\")");
    }
    // Everything the process printed, for failure messages.
    [[nodiscard]] std::string transcript() const {
        std::string all;
        for (const auto& l : log_) all += "  | " + l + "\n";
        return all;
    }

private:
    std::vector<std::string> args_;
    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    std::string partial_;
    std::deque<std::string> unread_;
    std::vector<std::string> log_;
    bool eof_ = false;
};


}  // namespace actors::testing
