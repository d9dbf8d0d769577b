// inspected_node: a native process whose engine runs demo scenarios and serves its inspector,
// so a dashboard elsewhere (actors_dashboard --connect, or a browser tab) watches and drives it:
//
//   example_inspected_node --listen 127.0.0.1:0 --token s3cret [--watch-token look]
//                          [--scenario worker-pool | --scenario ping-pong,chat-room | --scenario all]
//                          [--serve-folder build/wasm/site [--page-token]] [--ring EVENTS]
//       -> prints "inspector ws://127.0.0.1:PORT/inspector" (and "page http://127.0.0.1:PORT/"
//          when serving a folder) and runs until SIGINT/SIGTERM or until stdin closes (so a
//          test that started it cannot leave it behind)
//   actors_dashboard --connect ws://127.0.0.1:PORT/inspector --token s3cret
//
// With --serve-folder the same port serves the dashboard page (the wasm build's site folder)
// and /inspector.json, which tells the page where the inspector is; with --page-token it also
// hands the page the control token, so opening the page is enough (a loopback demo: anyone who
// can load the page may then command the engine).
//
// Lines on stdin ask the process about its own engine (what a test checks a command against):
//   info <node.id.generation>  ->  "info <pid> state=running restarts=N failures=F" or "info <pid> none"
//   counters                   ->  "counters live=N restarts=N failures=N processed=N events=SEQ"
// (--ring: the engine's event ring, 131,072 events by default; a small one lets a test make a
// dashboard that was away miss events)
//
// The listener is loopback unless --listen names another address, and a token is required.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <actors/actors.hpp>
#include <remote/inspector_endpoint.hpp>
#include <remote/js_messages.hpp>
#include <remote/node.hpp>
#include <scenarios/inspector.hpp>
#include <scenarios/scenario.hpp>

#include "chat_room.hpp"
#include "until_stopped.hpp"

using namespace actors;
using namespace actors::remote;

namespace {

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "example_inspected_node: " << problem << "\n"
              << "usage: example_inspected_node --listen HOST:PORT --token T [--watch-token W] [--scenario NAME[,NAME...]|all]\n"
              << "                              [--serve-folder DIR [--page-token]] [--ring EVENTS] [--chat-room]\n"
              << "  --chat-room: also host the chat room browser tabs join (web/chat.html; its users are JS actors)\n";
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

// "a,b" -> {"a", "b"}; "all" -> every scenario.
std::vector<std::string> scenario_names(const std::string& text) {
    std::vector<std::string> out;
    if (text == "all") {
        for (const auto& s : scenarios::list()) out.push_back(s.name);
        return out;
    }
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto comma = text.find(',', from);
        const std::string name = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        if (!name.empty()) out.push_back(name);
        if (comma == std::string::npos) break;
        from = comma + 1;
    }
    return out;
}

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;  // names and tokens have none worth keeping
        out += c;
    }
    return out + "\"";
}

// One line on stdin, answered on stdout (see the file comment).
void answer(Engine& engine, const std::string& line) {
    if (line == "counters") {
        const EngineCounters c = engine.counters();
        std::cout << "counters live=" << engine.snapshot().actors.size() << " restarts=" << c.restarts
                  << " failures=" << c.failures << " processed=" << c.processed << " events=" << engine.events().last_seq()
                  << std::endl;
        return;
    }
    unsigned node = 0, generation = 0;
    unsigned long long id = 0;
    if (std::sscanf(line.c_str(), "info <%u.%llu.%u>", &node, &id, &generation) == 3) {
        const Pid pid{node, id, generation};
        if (const auto info = engine.info(pid))
            std::cout << "info " << pid.to_string() << " state=" << to_string(info->state) << " restarts=" << info->restarts
                      << " failures=" << info->failures << std::endl;
        else
            std::cout << "info " << pid.to_string() << " none" << std::endl;
        return;
    }
    if (!line.empty()) std::cout << "unknown request: " << line << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0", token, watch_token, scenario = "worker-pool", folder;
    bool page_token = false;
    bool chat_room = false;
    std::size_t ring = 1 << 17;
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
        else if (flag == "--page-token") page_token = true;
        else if (flag == "--chat-room") chat_room = true;
        else if (flag == "--ring") ring = static_cast<std::size_t>(std::stoul(value()));
        else usage("unknown option '" + flag + "'");
    }
    if (token.empty()) usage("--token is required: the inspector can stop actors");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) usage("--listen takes HOST:PORT");
    if (ring < 16 || ring > (1u << 24)) usage("--ring takes 16 to 16777216 events");
    if (page_token && folder.empty()) usage("--page-token hands the token to the served page: it needs --serve-folder");

    const sigset_t signals = examples::block_stop_signals();

    EngineConfig config;
    config.stats.enabled = true;
    config.stats.interval = std::chrono::milliseconds(250);
    config.event_ring_capacity = ring;
    Engine engine(config);
    std::vector<std::unique_ptr<scenarios::Scenario>> running;
    try {
        for (const std::string& name : scenario_names(scenario)) running.push_back(scenarios::make(name));
    } catch (const std::exception& e) {
        usage(e.what());
    }
    if (running.empty()) usage("--scenario names none");
    for (auto& s : running) s->start(engine);

    InspectorEndpointOptions inspector_options;
    inspector_options.name = "inspected-node/" + (running.size() == 1 ? running.front()->info().name : scenario);
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
        if (chat_room) {
            // The chat-room scenario with real users: browser tabs link to this node (the page's
            // engine.connect, on this port) and their JS actors join the room.
            register_js_messages();
            engine.spawn<chat::Room>("room");
        }
        ListenOptions l;
        l.host = listen.substr(0, colon);
        l.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
        l.endpoints["/inspector"] = inspector.handler_factory();
        l.static_root = folder;
        if (!folder.empty()) {
            // Where the page finds the inspector (a path on the same port, so the page needs no
            // address), whose engine it is, and, when asked for, the token.
            std::string page_config = "{\"inspector\":\"/inspector\",\"engine\":" + json_string(inspector_options.name);
            if (page_token) page_config += ",\"token\":" + json_string(token);
            l.documents["/inspector.json"] = {"application/json", page_config + "}"};
        }
        const std::uint16_t port = node.listen(l);
        std::cout << "inspector ws://" << l.host << ":" << port << "/inspector" << std::endl;
        if (!folder.empty()) std::cout << "page http://" << l.host << ":" << port << "/" << std::endl;

        examples::wait_until_stopped(signals, [&engine](const std::string& line) {
            if (engine.running()) answer(engine, line);
        });
        for (auto& s : running) s->stop(engine);
        node.shutdown();
    } catch (const std::exception& e) {
        std::cerr << "example_inspected_node: " << e.what() << "\n";
        rc = 1;
    }
    engine.shutdown();
    return rc;
}
