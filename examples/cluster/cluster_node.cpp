// One member of a cluster of virtual actors, with a dashboard's view of it: membership on etcd,
// a Node on Boost.Beast, users addressed by name ("user/alice") activated on whichever member
// rendezvous hashing picks, and the inspector on the same port, so `actors_dashboard --connect`
// (or the web page) shows its Members and Placements in the Nodes tab.
//
//   example_cluster_node --name m1 --etcd 127.0.0.1:2379 --token s3cret [--listen 127.0.0.1:0]
//                        [--prefix /actors-demo/] [--visit N] [--ttl-s S]
//   prints:  node m1 ws://127.0.0.1:PORT          (its address in the cluster)
//            inspector ws://127.0.0.1:PORT/inspector
//            visits user-3 m2 17                  (with --visit: who answered, every 2 s)
//   stdin:   visit IDENTITY                       -> visited IDENTITY MEMBER COUNT | failed IDENTITY CODE DETAIL
//   ends on SIGINT/SIGTERM or when stdin closes, leaving the cluster gracefully (its users are
//   handed over: the next visit activates them on another member).
//
// Three members on one etcd (Debian's etcd-server: `etcd --data-dir /tmp/e` listens on 2379):
//   example_cluster_node --name m1 --etcd 127.0.0.1:2379 --token s3cret --visit 12 &
//   example_cluster_node --name m2 --etcd 127.0.0.1:2379 --token s3cret &
//   example_cluster_node --name m3 --etcd 127.0.0.1:2379 --token s3cret &
//   actors_dashboard --connect ws://127.0.0.1:PORT/inspector --token s3cret --tab nodes
#include <algorithm>
#include <chrono>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>

#include <actors/actors.hpp>
#include <cluster/cluster.hpp>
#include <cluster/etcd_store.hpp>
#include <cluster/store_membership.hpp>
#include <remote/inspector_endpoint.hpp>
#include <remote/node.hpp>
#include <remote/registry.hpp>

#include "../remote/until_stopped.hpp"

using namespace actors;

namespace {

struct Visited {
    std::string member;
    std::string identity;
    long count = 0;  // visits this activation has had, this one included
    MSGPACK_DEFINE(member, identity, count)
};
struct Visit {
    using Response = Visited;
    MSGPACK_DEFINE()
};

// A user: counts its visits. It lives on one member at a time; a member that leaves hands it
// over, and its count starts again where it is activated next (its state is its own, in memory).
struct User final : Actor {
    User(std::string m, std::string id) : member(std::move(m)), identity(std::move(id)) {}
    void receive(Context&, Message& msg) override {
        msg.visit([&](const Visit&) { return Visited{member, identity, ++count}; });
    }
    std::string member, identity;
    long count = 0;
};

std::mutex out_mutex;
void say(const std::string& line) {
    std::lock_guard lock(out_mutex);
    std::cout << line << std::endl;
}

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "example_cluster_node: " << problem << "\n"
              << "usage: example_cluster_node --name NAME --etcd HOST:PORT --token T [--listen HOST:PORT]\n"
              << "                            [--prefix /actors-demo/] [--visit N] [--ttl-s S]\n"
              << "  --visit N: visit users user-0 .. user-(N-1) every 2 s and print who answered\n";
    std::exit(2);
}

std::pair<std::string, std::uint16_t> host_port(const std::string& flag, const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) usage(flag + " takes HOST:PORT, not '" + text + "'");
    try {
        const long port = std::stol(text.substr(colon + 1));
        if (port < 0 || port > 65535) throw std::out_of_range("port");
        return {text.substr(0, colon), static_cast<std::uint16_t>(port)};
    } catch (const std::exception&) {
        usage(flag + " takes HOST:PORT with a port from 0 to 65535, not '" + text + "'");
    }
}

long whole(const std::string& flag, const std::string& text, long min, long max) {
    try {
        std::size_t used = 0;
        const long v = std::stol(text, &used);
        if (used == text.size() && v >= min && v <= max) return v;
    } catch (const std::exception&) {
    }
    usage(flag + " takes a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", not '" + text + "'");
}

void visit(cluster::Cluster& c, const std::string& identity, bool quiet) {
    c.get("user", identity).request(Visit{}, std::chrono::seconds(5)).then([identity, quiet](Result<Visited> r) {
        if (r.ok()) {
            if (!quiet) say("visited " + identity + " " + r.value().member + " " + std::to_string(r.value().count));
        } else {
            say("failed " + identity + " " + to_string(r.error().code) + " " + r.error().detail);
        }
    });
}

}  // namespace

int main(int argc, char** argv) {
    std::string name, token, prefix = "/actors-demo/", etcd, listen = "127.0.0.1:0";
    long visits = 0, ttl_s = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(flag + " needs a value");
            return argv[++i];
        };
        if (flag == "--name") name = value();
        else if (flag == "--token") token = value();
        else if (flag == "--etcd") etcd = value();
        else if (flag == "--listen") listen = value();
        else if (flag == "--prefix") prefix = value();
        else if (flag == "--visit") visits = whole(flag, value(), 0, 100000);
        else if (flag == "--ttl-s") ttl_s = whole(flag, value(), 1, 3600);
        else usage("unknown option '" + flag + "'");
    }
    if (name.empty()) usage("--name is required");
    if (token.empty()) usage("--token is required (links between members and the inspector use it)");
    if (etcd.empty()) usage("--etcd is required");
    const auto [etcd_host, etcd_port] = host_port("--etcd", etcd);
    const auto [listen_host, listen_port] = host_port("--listen", listen);

    const sigset_t signals = examples::block_stop_signals();
    remote::register_message<Visited>("example.cluster.visited");
    remote::register_message<Visit>("example.cluster.visit");

    EngineConfig config;
    config.stats.enabled = true;
    config.stats.interval = std::chrono::milliseconds(500);
    Engine engine(config);
    int rc = 0;
    try {
        remote::InspectorEndpointOptions io;
        io.name = "cluster member " + name;
        io.protocol.control_token = token;
        remote::InspectorEndpoint inspector(engine, io);

        remote::NodeOptions no;
        no.name = name;
        no.token = token;
        remote::Node node(engine, no);
        remote::ListenOptions l;
        l.host = listen_host;
        l.port = listen_port;
        l.endpoints["/inspector"] = inspector.handler_factory();
        const std::uint16_t port = node.listen(l);

        cluster::EtcdOptions eo;
        eo.host = etcd_host;
        eo.port = etcd_port;
        cluster::StoreMembershipOptions mo;
        mo.prefix = prefix;
        mo.ttl = std::chrono::seconds(ttl_s);
        mo.events = &engine.events();
        cluster::StoreMembership membership(std::make_shared<cluster::EtcdStore>(eo), mo);
        const Pid driver = cluster::drive(engine, membership, std::chrono::milliseconds(200));
        cluster::Cluster c(engine, node, membership);
        c.register_kind("user", cluster::IdentityProducer([name](const std::string& id) { return std::make_unique<User>(name, id); }),
                        {.idle_timeout = std::chrono::minutes(2)});
        const std::string address = l.host + ":" + std::to_string(port);
        c.join(address);
        say("node " + name + " ws://" + address);
        say("inspector ws://" + address + "/inspector");

        // --visit: the users are visited from here every 2 s; a line says where each one lives.
        Pid visitor;
        if (visits > 0) {
            struct Tick {};
            visitor = engine.spawn_fn("visitor", [&c, visits](Context& ctx, Message& m) {
                if (!m.is<Tick>()) return;
                for (long i = 0; i < visits; ++i) visit(c, "user-" + std::to_string(i), true);
                ctx.send_after(std::chrono::seconds(2), ctx.self(), Tick{});
            });
            engine.send(visitor, Tick{});
        }

        examples::wait_until_stopped(signals, [&c](const std::string& line) {
            std::istringstream in(line);
            std::string command, identity;
            in >> command >> identity;
            if (command == "visit" && !identity.empty()) visit(c, identity, false);
            else if (!command.empty()) say("unknown command '" + command + "' (visit IDENTITY)");
        });
        if (visitor.valid()) (void)engine.stop(visitor).get();
        auto left = c.leave().get();
        if (!left.ok()) std::cerr << "example_cluster_node: leaving: " << left.error().message() << "\n";
        (void)engine.stop(driver).get();
        node.shutdown();
    } catch (const std::exception& e) {
        std::cerr << "example_cluster_node: " << e.what() << "\n";
        rc = 1;
    }
    engine.shutdown();
    return rc;
}
