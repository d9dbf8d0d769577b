// remote_node: one actors::remote::Node in one process, from the command line. Start it twice and
// the two processes' actors talk over WebSocket on 127.0.0.1:
//
//   example_remote_node --name server --listen 127.0.0.1:0 --token s3cret --serve
//       -> prints "listening 127.0.0.1:PORT" and serves "echo", "counter" and "mute" until Ctrl-C
//   example_remote_node --name client --connect ws://127.0.0.1:PORT --token s3cret --ping echo@server --count 5
//       -> "connected server", then 5 typed requests to echo on the other process, and their count
//
// Options:
//   --name NAME              this node's name (required)
//   --listen HOST:PORT       listen (PORT 0: the OS picks; the chosen one is printed)
//   --connect URL            ws://host:port or wss://host:port (reconnects by itself when lost)
//   --token TOKEN            the shared secret (or --no-token to turn authentication off)
//   --cert FILE --key FILE   serve wss:// with these PEM files;  --ca FILE: trust it for wss://
//   --serve                  host "echo" (Echo -> the same text), "counter" (Add, Total) and
//                            "mute" (takes Hold requests and never answers them)
//   --ping NAME@NODE         send --count N Echo requests (default 3), print how many answered
//   --interactive            read commands from stdin, one per line, each answered by one line
//                            (for scripts and the process test): lookup, ping N, add N, total,
//                            watch, hold, quit. Asynchronous news comes as lines "event ...".
//   --target NODE            the node the interactive commands talk to (default "server")
//   --demo                   both ends in this one process (two engines, a real socket), a
//                            short exchange, exit 0: the smoke test
// Only --serve (without --ping/--interactive) runs until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <actors/actors.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include "until_stopped.hpp"

using namespace actors;
using namespace actors::remote;
using namespace std::chrono_literals;

// The messages that cross, registered by stable names in every process that uses them.
struct Echo {
    using Response = std::string;
    std::string text;
    MSGPACK_DEFINE(text)
};
struct Add {  // one-way
    long by = 1;
    MSGPACK_DEFINE(by)
};
struct Total {
    using Response = long;
    int unused = 0;
    MSGPACK_DEFINE(unused)
};
struct Hold {  // mute keeps these and never answers: only the node going down ends them
    using Response = int;
    int n = 0;
    MSGPACK_DEFINE(n)
};

namespace {

std::mutex out_mutex;
void say(const std::string& line) {  // one whole line at a time, flushed: other programs read it
    std::lock_guard lock(out_mutex);
    std::cout << line << std::endl;
}

struct Args {
    std::string name, listen, connect, token, cert, key, ca, ping, target = "server";
    bool no_token = false, serve = false, interactive = false, demo = false;
    int count = 3;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "remote_node: " << why << "\n(see the comment at the top of examples/remote/remote_node.cpp)\n";
    std::exit(2);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--name") a.name = value();
        else if (arg == "--listen") a.listen = value();
        else if (arg == "--connect") a.connect = value();
        else if (arg == "--token") a.token = value();
        else if (arg == "--no-token") a.no_token = true;
        else if (arg == "--cert") a.cert = value();
        else if (arg == "--key") a.key = value();
        else if (arg == "--ca") a.ca = value();
        else if (arg == "--serve") a.serve = true;
        else if (arg == "--ping") a.ping = value();
        else if (arg == "--count") a.count = std::stoi(value());
        else if (arg == "--interactive") a.interactive = true;
        else if (arg == "--target") a.target = value();
        else if (arg == "--demo") a.demo = true;
        else usage("unknown option " + arg);
    }
    if (a.name.empty() && !a.demo) usage("--name is required");
    if (a.token.empty() && !a.no_token && !a.demo) usage("--token TOKEN is required (or --no-token)");
    return a;
}

void register_types() {
    register_message<Echo>("demo.echo");
    register_message<Add>("demo.add");
    register_message<Total>("demo.total");
    register_message<Hold>("demo.hold");
}

void serve(Engine& engine) {
    engine.spawn_fn("echo", [](Context&, Message& m) { m.visit([](const Echo& e) { return e.text; }); });
    auto total = std::make_shared<long>(0);
    engine.spawn_fn("counter", [total](Context&, Message& m) {
        m.visit([&](const Add& a) { *total += a.by; }, [&](const Total&) { return *total; });
    });
    auto kept = std::make_shared<std::vector<Responder<int>>>();
    engine.spawn_fn("mute", [kept](Context&, Message& m) { m.visit([&](const Hold& h) { kept->push_back(m.take_responder(h)); }); });
}

// What the event stream says about links, as lines.
void report_events(Engine& engine) {
    engine.events().subscribe([](const Event& ev) {
        if (const auto* c = ev.as<NodeConnected>()) {
            std::ostringstream s;
            s << "event connected " << c->node << " " << std::hex << c->incarnation << std::dec << " restarted=" << c->restarted;
            say(s.str());
        } else if (const auto* d = ev.as<NodeDown>()) {
            say("event node_down " + d->node + ": " + d->reason);
        } else if (const auto* x = ev.as<NodeDisconnected>()) {
            say("event disconnected " + x->node + ": " + x->reason);
        } else if (const auto* l = ev.as<DeadLetter>()) {
            if (l->reason == DeadLetterReason::remote_restarted || l->reason == DeadLetterReason::remote_unreachable)
                say(std::string("event dead_letter ") + to_string(l->reason) + " " + l->message_type);
        }
    });
}

std::optional<Pid> find(Node& node, const std::string& actor, const std::string& on) {
    Result<Pid> r = node.lookup(on, actor).get();
    if (!r.ok()) return std::nullopt;
    return r.value();
}

// N typed requests, one after another; the number answered.
int ping(Engine& engine, Pid echo, int count, std::string* failure) {
    for (int i = 0; i < count; ++i) {
        const std::string text = "ping " + std::to_string(i);
        Result<std::string> r = engine.request(echo, Echo{text}, 5s).get();
        if (!r.ok()) {
            *failure = std::string(to_string(r.error().code)) + ": " + r.error().detail;
            return i;
        }
        if (r.value() != text) {
            *failure = "wrong answer " + r.value();
            return i;
        }
    }
    return count;
}

bool wait_connected(Future<std::string>& connected, const std::string& url) {
    for (int i = 0; i < 200 && !connected.ready(); ++i) std::this_thread::sleep_for(50ms);  // 10 s at most
    if (!connected.ready()) {
        say("error: no connection to " + url + " within 10 s");
        return false;
    }
    Result<std::string> r = connected.get();
    if (!r.ok()) {
        say("error: connect to " + url + ": " + r.error().detail);
        return false;
    }
    say("connected " + r.value());
    return true;
}

void interactive(Engine& engine, Node& node, const std::string& target) {
    std::optional<Pid> echo, counter, mute;
    Pid watcher = engine.spawn_fn("watcher", [](Context&, Message& m) {
        if (const auto* t = m.as<Terminated>()) say(std::string("event terminated ") + to_string(t->reason));
    });
    std::vector<Future<int>> holds;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream in(line);
        std::string command;
        long n = 0;
        in >> command >> n;
        if (command == "quit") break;
        if (command == "lookup") {
            echo = find(node, "echo", target);
            counter = find(node, "counter", target);
            mute = find(node, "mute", target);
            say(echo && counter && mute ? "lookup ok" : "lookup failed");
        } else if (!echo || !counter || !mute) {
            say(command + " failed: lookup first");
        } else if (command == "ping") {
            std::string failure;
            const int answered = ping(engine, *echo, static_cast<int>(n), &failure);
            say(answered == n ? "ping ok " + std::to_string(answered) : "ping failed " + failure);
        } else if (command == "add") {
            for (long i = 0; i < n; ++i) engine.send(*counter, Add{1});
            say("add sent " + std::to_string(n));
        } else if (command == "total") {
            Result<long> r = engine.request(*counter, Total{}, 5s).get();
            say(r.ok() ? "total " + std::to_string(r.value()) : std::string("total failed ") + to_string(r.error().code));
        } else if (command == "watch") {
            engine.watch(watcher, *echo);
            say("watch armed");
        } else if (command == "hold") {
            holds.push_back(engine.request(*mute, Hold{}, 60s));
            holds.back().then([](Result<int> r) {
                if (!r.ok()) say(std::string("event hold failed ") + to_string(r.error().code));
            });
            say("hold sent");
        } else {
            say("unknown command " + command);
        }
    }
}

NodeOptions node_options(const Args& a) {
    NodeOptions o;
    o.name = a.name;
    o.token = a.token;
    o.require_token = !a.no_token;
    o.connect.ca_file = a.ca;
    return o;
}

std::uint16_t listen(Node& node, const Args& a) {
    const auto colon = a.listen.rfind(':');
    if (colon == std::string::npos) usage("--listen wants HOST:PORT");
    ListenOptions l;
    l.host = a.listen.substr(0, colon);
    l.port = static_cast<std::uint16_t>(std::stoi(a.listen.substr(colon + 1)));
    l.certificate_chain_file = a.cert;
    l.private_key_file = a.key;
    const std::uint16_t port = node.listen(l);
    say("listening " + l.host + ":" + std::to_string(port));
    return port;
}

// Both ends in one process, over a real socket on 127.0.0.1: the ctest smoke test.
int demo() {
    Engine server_engine, client_engine;
    NodeOptions so, co;
    so.name = "server";
    co.name = "client";
    so.token = co.token = "demo-token";
    Node server(server_engine, so), client(client_engine, co);
    serve(server_engine);
    Args a;
    a.listen = "127.0.0.1:0";
    const std::uint16_t port = listen(server, a);
    const std::string url = "ws://127.0.0.1:" + std::to_string(port);
    auto connected = client.connect(url);
    if (!wait_connected(connected, url)) return 1;
    auto echo = find(client, "echo", "server");
    if (!echo) return 1;
    std::string failure;
    const int answered = ping(client_engine, *echo, 5, &failure);
    say("ping echo@server: " + std::to_string(answered) + "/5 answered" + (failure.empty() ? "" : " (" + failure + ")"));
    return answered == 5 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    register_types();
    if (a.demo) return demo();

    // SIGINT and SIGTERM are waited for below (serve mode); block them before any thread starts.
    const sigset_t stop_signals = examples::block_stop_signals();

    Engine engine;
    report_events(engine);
    int status = 0;
    {
        Node node(engine, node_options(a));
        if (a.serve) serve(engine);
        if (!a.listen.empty()) listen(node, a);
        if (!a.connect.empty()) {
            auto connected = node.connect(a.connect);
            if (!wait_connected(connected, a.connect) && !a.interactive) return 1;
        }
        if (!a.ping.empty()) {
            const auto at = a.ping.find('@');
            if (at == std::string::npos) usage("--ping wants NAME@NODE");
            auto pid = find(node, a.ping.substr(0, at), a.ping.substr(at + 1));
            if (!pid) {
                say("ping " + a.ping + ": no such actor");
                return 1;
            }
            std::string failure;
            const int answered = ping(engine, *pid, a.count, &failure);
            say("ping " + a.ping + ": " + std::to_string(answered) + "/" + std::to_string(a.count) + " answered" +
                (failure.empty() ? "" : " (" + failure + ")"));
            status = answered == a.count ? 0 : 1;
        } else if (a.interactive) {
            interactive(engine, node, a.target);
        } else if (a.serve) {
            int signal = 0;
            sigwait(&stop_signals, &signal);
            say(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
        }
    }  // the Node goes before the engine
    return status;
}
