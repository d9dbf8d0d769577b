// inspected_node: a native process whose engine runs a demo scenario and serves its inspector,
// so a dashboard elsewhere (actors_dashboard --connect, or later a browser tab) watches and
// drives it:
//
//   example_inspected_node --listen 127.0.0.1:0 --token s3cret [--watch-token look]
//                          [--scenario worker-pool] [--serve-folder build/wasm/web]
//       -> prints "inspector ws://127.0.0.1:PORT/inspector" and runs until SIGINT/SIGTERM or
//          until stdin closes (so a test that started it cannot leave it behind)
//   actors_dashboard --connect ws://127.0.0.1:PORT/inspector --token s3cret
//
// The listener is loopback unless --listen names another address, and a token is required.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <actors/actors.hpp>
#include <remote/inspector_endpoint.hpp>
#include <remote/node.hpp>
#include <scenarios/inspector.hpp>
#include <scenarios/scenario.hpp>

using namespace actors;
using namespace actors::remote;

namespace {

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "example_inspected_node: " << problem << "\n"
              << "usage: example_inspected_node --listen HOST:PORT --token T [--watch-token W] [--scenario NAME]\n"
              << "                              [--serve-folder DIR]\n";
    std::exit(2);
}

// The inspector's commands beyond stop, through the scenarios' own actions.
CommandResult act(Engine& engine, const InspectorCommand& c) {
    switch (c.kind) {
        case CommandKind::fail: {
            const SendStatus s = scenarios::inject_failure(engine, c.pid);
            return {s == SendStatus::delivered, std::string("failure injected: ") + to_string(s)};
        }
        case CommandKind::send: {
            const SendStatus s = scenarios::poke(engine, c.pid, c.text);
            return {s == SendStatus::delivered, std::string("sent: ") + to_string(s)};
        }
        case CommandKind::spawn_child:
            (void)scenarios::spawn_child(engine, c.pid);
            return {true, "spawning a child of " + c.pid.to_string()};
        default:
            return {false, "not a command of this node"};
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0", token, watch_token, scenario = "worker-pool", folder;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--listen") listen = value();
        else if (flag == "--token") token = value();
        else if (flag == "--watch-token") watch_token = value();
        else if (flag == "--scenario") scenario = value();
        else if (flag == "--serve-folder") folder = value();
        else usage("unknown option '" + flag + "'");
    }
    if (token.empty()) usage("--token is required: the inspector can stop actors");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) usage("--listen takes HOST:PORT");

    // SIGINT/SIGTERM are waited for by one thread, not handled asynchronously.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    EngineConfig config;
    config.stats.enabled = true;
    config.stats.interval = std::chrono::milliseconds(250);
    config.event_ring_capacity = 1 << 17;
    Engine engine(config);
    std::unique_ptr<scenarios::Scenario> running;
    try {
        running = scenarios::make(scenario);
    } catch (const std::exception& e) {
        usage(e.what());
    }
    running->start(engine);

    InspectorEndpointOptions inspector_options;
    inspector_options.name = "inspected-node/" + scenario;
    inspector_options.protocol.control_token = token;
    inspector_options.protocol.watch_token = watch_token;
    inspector_options.actions = act;
    int rc = 0;
    try {
        InspectorEndpoint inspector(engine, inspector_options);
        NodeOptions node_options;
        node_options.name = "inspected";
        node_options.token = token;
        Node node(engine, node_options);
        ListenOptions l;
        l.host = listen.substr(0, colon);
        l.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
        l.endpoints["/inspector"] = inspector.handler_factory();
        l.static_root = folder;
        const std::uint16_t port = node.listen(l);
        std::cout << "inspector ws://" << l.host << ":" << port << "/inspector" << std::endl;

        // Whichever comes first: a signal, or stdin closing (the parent went away).
        std::thread stdin_watch([] {
            std::string line;
            while (std::getline(std::cin, line)) {
            }
            kill(getpid(), SIGTERM);
        });
        int sig = 0;
        sigwait(&signals, &sig);
        stdin_watch.detach();  // blocked in a read; the process is ending
        running->stop(engine);
        node.shutdown();
    } catch (const std::exception& e) {
        std::cerr << "example_inspected_node: " << e.what() << "\n";
        rc = 1;
    }
    engine.shutdown();
    return rc;
}
