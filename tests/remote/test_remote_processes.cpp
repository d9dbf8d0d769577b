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

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace {
using namespace std::chrono_literals;
using actors::testing::Process;

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
