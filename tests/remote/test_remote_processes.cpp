// Real processes: examples/remote/remote_node started as a server and an interactive client on
// 127.0.0.1 (the server's port picked by the OS). Requests and sends across; then kill -9 of the
// server: the client's watch fires with node_down and its pending request fails with node_down
// at once; a new request fails fast; the server starts again (a new incarnation) on the same
// port, the client reconnects by itself, what it had buffered for the old incarnation is
// dead-lettered (never delivered to the new one) and requests work again.
//
// Every process started here is killed (SIGKILL) and reaped when its guard goes, also when an
// assertion fails; every wait has a deadline and fails the test there.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto line_deadline = 30s;

// One child process with its stdin and stdout as pipes. The guard: the destructor kills and reaps.
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
    std::optional<std::string> expect(const std::string& prefix, std::chrono::seconds bound = line_deadline) {
        const auto until = Clock::now() + bound;
        for (;;) {
            for (auto it = unread_.begin(); it != unread_.end(); ++it)
                if (it->rfind(prefix, 0) == 0) {
                    std::string line = *it;
                    unread_.erase(it);
                    return line;
                }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
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

std::vector<std::string> server_args(const std::string& listen) {
    return {ACTORS_REMOTE_NODE_PROGRAM, "--name", "server", "--listen", listen, "--token", "t0ken", "--serve"};
}

std::string port_of(const std::string& listening_line) { return listening_line.substr(listening_line.rfind(':') + 1); }

TEST(RemoteProcesses, kill_9_of_the_server_fails_what_waits_at_once_and_its_restart_gets_none_of_the_old_buffer) {
    auto server = std::make_unique<Process>(server_args("127.0.0.1:0"));
    const auto listening = server->expect("listening 127.0.0.1:");
    ASSERT_TRUE(listening) << server->transcript();
    const std::string port = port_of(*listening);

    Process client({ACTORS_REMOTE_NODE_PROGRAM, "--name", "client", "--connect", "ws://127.0.0.1:" + port, "--token", "t0ken",
                    "--interactive", "--target", "server"});
    ASSERT_TRUE(client.expect("connected server")) << client.transcript();
    const auto first = client.expect("event connected server ");
    ASSERT_TRUE(first) << client.transcript();

    // Across, both ways: typed requests answered, one-way sends counted by the server's actor.
    ASSERT_EQ(client.ask("lookup", "lookup"), "lookup ok") << client.transcript();
    ASSERT_EQ(client.ask("ping 20", "ping"), "ping ok 20") << client.transcript();
    ASSERT_EQ(client.ask("add 10", "add"), "add sent 10");
    ASSERT_EQ(client.ask("total", "total"), "total 10") << client.transcript();
    ASSERT_EQ(client.ask("watch", "watch"), "watch armed");
    ASSERT_EQ(client.ask("hold", "hold"), "hold sent");  // mute keeps it: only node_down ends it
    ASSERT_EQ(client.ask("ping 1", "ping"), "ping ok 1");  // the hold and the watch reached the server before this

    server->kill9();
    // The heartbeat grace passes and the server is down: what waited on it ends now.
    ASSERT_TRUE(client.expect("event node_down server")) << client.transcript();
    ASSERT_TRUE(client.expect("event terminated node_down")) << client.transcript();
    ASSERT_TRUE(client.expect("event hold failed node_down")) << client.transcript();
    // While it is down a request fails at once with node_down (not after its 5 s timeout; the
    // answer line is all that is checked, no time is measured).
    EXPECT_EQ(client.ask("ping 1", "ping").rfind("ping failed node_down", 0), 0u) << client.transcript();
    // Sends while it is down wait in the link's buffer for the peer they were meant for.
    ASSERT_EQ(client.ask("add 5", "add"), "add sent 5");

    server = std::make_unique<Process>(server_args("127.0.0.1:" + port));  // a new incarnation, same address
    ASSERT_TRUE(server->expect("listening 127.0.0.1:" + port)) << server->transcript();
    const auto again = client.expect("event connected server ");
    ASSERT_TRUE(again) << client.transcript();
    auto incarnation = [](const std::string& line) {  // "event connected server <incarnation> restarted=N"
        const std::string rest = line.substr(std::string("event connected server ").size());
        return rest.substr(0, rest.find(' '));
    };
    EXPECT_NE(incarnation(*again), incarnation(*first));
    EXPECT_NE(again->find("restarted=1"), std::string::npos) << *again;
    // The 5 buffered sends were for the old incarnation: dead letters, never delivered to the new
    // one (restarted, or unreachable if the reconnect deadline passed first).
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.expect("event dead_letter remote_")) << "dead letter " << i << "\n" << client.transcript();

    // Old Pids do not resolve on the new incarnation; looked up again, everything works, and
    // the new counter has seen nothing of the old buffer.
    ASSERT_EQ(client.ask("lookup", "lookup"), "lookup ok") << client.transcript();
    EXPECT_EQ(client.ask("total", "total"), "total 0") << client.transcript();
    ASSERT_EQ(client.ask("ping 20", "ping"), "ping ok 20") << client.transcript();
    ASSERT_EQ(client.ask("add 3", "add"), "add sent 3");
    EXPECT_EQ(client.ask("total", "total"), "total 3") << client.transcript();
    client.send("quit");
}

TEST(RemoteProcesses, a_client_with_a_wrong_token_gets_no_link_and_the_server_keeps_serving_others) {
    Process server(server_args("127.0.0.1:0"));
    const auto listening = server.expect("listening 127.0.0.1:");
    ASSERT_TRUE(listening) << server.transcript();
    const std::string url = "ws://127.0.0.1:" + port_of(*listening);
    Process intruder({ACTORS_REMOTE_NODE_PROGRAM, "--name", "intruder", "--connect", url, "--token", "wrong", "--ping", "echo@server"});
    // The refusal fails its connect at once, naming the reason (no retry cures a wrong token).
    ASSERT_TRUE(intruder.expect("error: connect to " + url)) << intruder.transcript();
    EXPECT_NE(intruder.transcript().find("refused: closed by peer: wrong token"), std::string::npos) << intruder.transcript();
    Process good({ACTORS_REMOTE_NODE_PROGRAM, "--name", "good", "--connect", url, "--token", "t0ken", "--ping", "echo@server", "--count", "5"});
    EXPECT_TRUE(good.expect("ping echo@server: 5/5 answered")) << good.transcript();
}

}  // namespace
