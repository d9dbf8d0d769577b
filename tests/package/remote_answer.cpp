// A user of the installed `remote` component: two Nodes in one process, on two engines, talking
// over a real WebSocket on 127.0.0.1 (the default transport that actors::remote_native brings).
// Exit code 0 only if a typed request crossed the link and its answer came back.
#include <actors/actors.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include <cstdio>
#include <string>

namespace {

struct Add { long n = 0; MSGPACK_DEFINE(n) };
struct GetTotal { using Response = long; MSGPACK_DEFINE() };

struct Accumulator : actors::Actor {
    long total = 0;
    void receive(actors::Context&, actors::Message& m) override {
        m.visit([&](const Add& a) { total += a.n; },
                [&](const GetTotal&) { return total; });
    }
};

}  // namespace

int main() {
    actors::remote::register_message<Add>("package.add");
    actors::remote::register_message<GetTotal>("package.get_total");

    actors::Engine server_engine, client_engine;
    actors::remote::Node server(server_engine, {.name = "server", .token = "package-test"});
    actors::remote::Node client(client_engine, {.name = "client", .token = "package-test"});
    server_engine.spawn<Accumulator>("acc");
    const auto port = server.listen({});  // 127.0.0.1, a free port

    auto peer = client.connect("ws://127.0.0.1:" + std::to_string(port)).get();
    if (!peer) {
        std::printf("connect failed: %s\n", peer.error().message().c_str());
        return 1;
    }
    auto acc = client.lookup("server", "acc").get();
    if (!acc) {
        std::printf("lookup failed: %s\n", acc.error().message().c_str());
        return 1;
    }
    client_engine.send(acc.value(), Add{40});
    client_engine.send(acc.value(), Add{2});
    auto total = client_engine.request(acc.value(), GetTotal{}).get();
    if (!total || total.value() != 42) {
        std::puts("no answer");
        return 1;
    }
    std::printf("answer %ld\n", total.value());
    return 0;
}
