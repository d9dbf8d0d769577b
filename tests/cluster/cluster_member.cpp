// One cluster member as its own process, driven by a test through stdin/stdout: membership on a
// real etcd, a Node on Boost.Beast, virtual actors of kind "counter".
//
//   cluster_member --name m1 --etcd-port P [--ttl-s 2] [--prefix /test/]
//   prints:  ready <port>
//   stdin:   hit <identity> <n>   -> reply <n> ok <member> <count>  |  reply <n> err <code> <detail>
//            members              -> members <count>
//            activations          -> activations <count>
//            leave                -> left ok | left err <detail>   (then the process exits)
#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include <remote/node.hpp>
#include <remote/registry.hpp>

#include "actors/actors.hpp"
#include "cluster/cluster.hpp"
#include "cluster/etcd_store.hpp"
#include "cluster/store_membership.hpp"
#include "cluster_messages.hpp"

using namespace actors;
using namespace actors::cluster;

namespace {
std::mutex out_mutex;
void say(const std::string& line) {
    std::lock_guard lock(out_mutex);
    std::cout << line << std::endl;
}

struct Counter final : Actor {
    Counter(std::string m, std::string id) : member(std::move(m)), identity(std::move(id)) {}
    void receive(Context&, Message& msg) override {
        msg.visit([&](const test_messages::Hit&) { return test_messages::Where{member, identity, ++count}; });
    }
    std::string member, identity;
    long count = 0;
};
}  // namespace

int main(int argc, char** argv) {
    std::string name, prefix = "/test/";
    unsigned short etcd_port = 0;
    int ttl_s = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--name") name = v;
        else if (k == "--etcd-port") etcd_port = static_cast<unsigned short>(std::stoi(v));
        else if (k == "--ttl-s") ttl_s = std::stoi(v);
        else if (k == "--prefix") prefix = v;
    }
    if (name.empty() || etcd_port == 0) {
        std::cerr << "usage: cluster_member --name N --etcd-port P [--ttl-s S] [--prefix /p/]\n";
        return 2;
    }
    test_messages::register_all();
    Engine engine;
    remote::NodeOptions no;
    no.name = name;
    no.token = "cluster-test";
    remote::Node node(engine, no);
    const std::uint16_t port = node.listen({});
    EtcdOptions eo;
    eo.port = etcd_port;
    eo.request_timeout = std::chrono::seconds(2);
    auto store = std::make_shared<EtcdStore>(eo);
    StoreMembershipOptions mo;
    mo.prefix = prefix;
    mo.ttl = std::chrono::seconds(ttl_s);
    mo.events = &engine.events();
    StoreMembership membership(store, mo);
    Pid driver = drive(engine, membership, std::chrono::milliseconds(100));
    auto cluster = std::make_unique<Cluster>(engine, node, membership, ClusterOptions{std::chrono::seconds(3), std::chrono::seconds(1)});
    cluster->register_kind("counter", IdentityProducer([name](const std::string& id) { return std::make_unique<Counter>(name, id); }));
    cluster->join("127.0.0.1:" + std::to_string(port));
    say("ready " + std::to_string(port));

    std::string cmd;
    while (std::cin >> cmd) {
        if (cmd == "hit") {
            std::string id, n;
            std::cin >> id >> n;
            cluster->get("counter", id).request(test_messages::Hit{}, std::chrono::seconds(3)).then([n](Result<test_messages::Where> r) {
                if (r.ok()) say("reply " + n + " ok " + r.value().member + " " + std::to_string(r.value().count));
                else say("reply " + n + " err " + to_string(r.error().code) + " " + r.error().detail);
            });
        } else if (cmd == "members") {
            say("members " + std::to_string(membership.members().size()));
        } else if (cmd == "activations") {
            say("activations " + std::to_string(cluster->activations().size()));
        } else if (cmd == "leave") {
            auto r = cluster->leave().get();
            say(r.ok() ? "left ok" : "left err " + r.error().message());
            // Members that have not yet seen the leave may still ask this one to activate: it
            // answers "leaving" while it is up, which is cheaper for them than a timeout.
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            break;
        }
    }
    cluster.reset();
    engine.stop(driver);
    engine.wait_idle();
    return 0;
}
