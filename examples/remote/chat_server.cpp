// chat_server: the server half of the "chat-room" scenario. A native Node whose "room" actor
// (chat_room.hpp) is joined by users elsewhere: JavaScript actors in browser tabs linked with
// engine.connect(url, {token}), or any Node that sends the room JSON messages.
//
//   example_chat_server --listen 127.0.0.1:0 --token s3cret [--name NODE] [--down-after-ms MS]
//       -> prints "chat ws://127.0.0.1:PORT" and runs until SIGINT/SIGTERM or until stdin closes
//          (so a test that started it cannot leave it behind)
#include <algorithm>
#include <iostream>
#include <string>

#include <actors/actors.hpp>
#include <remote/js_messages.hpp>
#include <remote/node.hpp>

#include "chat_room.hpp"
#include "until_stopped.hpp"

namespace {

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "example_chat_server: " << problem << "\n"
              << "usage: example_chat_server --listen HOST:PORT --token T [--name NODE] [--down-after-ms MS]\n"
              << "  --down-after-ms: how long a user's link may stay cut before its actors count as gone\n"
              << "                   (a closed tab never comes back; default 10000)\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string listen = "127.0.0.1:0", token, name = "server";
    long down_after_ms = 10000;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--listen") listen = value();
        else if (flag == "--token") token = value();
        else if (flag == "--name") name = value();
        else if (flag == "--down-after-ms") {
            const std::string v = value();
            try {
                down_after_ms = std::stol(v);
            } catch (const std::exception&) {
                usage("--down-after-ms takes a number of milliseconds, not '" + v + "'");
            }
            if (down_after_ms <= 0) usage("--down-after-ms must be positive");
        }
        else usage("unknown option '" + flag + "'");
    }
    if (token.empty()) usage("--token is required");
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) usage("--listen takes HOST:PORT");

    const sigset_t signals = examples::block_stop_signals();

    actors::remote::register_js_messages();
    actors::Engine engine;
    int rc = 0;
    try {
        actors::remote::NodeOptions o;
        o.name = name;
        o.token = token;
        o.session.reconnect_deadline = std::chrono::milliseconds(down_after_ms);
        // A cut link's user counts as gone when its heartbeats would have been missed for that
        // long (a tab that closes says goodbye and is gone at once).
        o.session.heartbeat_interval = std::chrono::milliseconds(std::max(1L, down_after_ms / static_cast<long>(o.session.heartbeat_misses)));
        actors::remote::Node node(engine, o);
        engine.spawn<chat::Room>("room");
        actors::remote::ListenOptions l;
        l.host = listen.substr(0, colon);
        l.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
        const std::uint16_t port = node.listen(l);
        std::cout << "chat ws://" << l.host << ":" << port << std::endl;
        examples::wait_until_stopped(signals);
        node.shutdown();
    } catch (const std::exception& e) {
        std::cerr << "example_chat_server: " << e.what() << "\n";
        rc = 1;
    }
    engine.shutdown();
    return rc;
}
