// CAF 0.17.6's side of the remote workloads (../workloads/remote.hpp has ours): its io layer
// (libcaf_io: BASP over TCP) between two processes on 127.0.0.1. The peer publishes one actor
// that counts what it processed and answers pings; the bench process gets it with remote_actor
// and sends from a scoped_actor. Only the bench -> peer direction is counted.
#include <caf/io/all.hpp>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

#include "../percentile.hpp"
#include "../stopwatch.hpp"
#include "system.hpp"
#include "workloads.hpp"

namespace bench::caf_side {

namespace {
using count_atom = caf::atom_constant<caf::atom("count")>;
using ping_atom = caf::atom_constant<caf::atom("ping")>;
constexpr auto kDeadline = std::chrono::seconds(60);  // any one wait, at most

// As System, with the io layer (its multiplexer runs on a thread of its own, as our io thread).
struct IoSystem {
    caf::actor_system_config cfg;
    caf::actor_system sys;
    explicit IoSystem(const Params& p) : sys(configure(cfg, p)) {}
    static caf::actor_system_config& configure(caf::actor_system_config& c, const Params& p) {
        c.load<caf::io::middleman>();
        c.set("scheduler.max-threads", static_cast<size_t>(p.workers));
        return c;
    }
};

struct Counter {
    long processed = 0;
};

caf::behavior bench_actor(caf::stateful_actor<Counter>* self) {
    return {
        [self](long) { ++self->state.processed; },
        [self](const std::string&) { ++self->state.processed; },
        [self](count_atom) { return self->state.processed; },
        [](ping_atom, long i) { return i; },
    };
}

struct Client {
    IoSystem io;
    caf::actor target;
    explicit Client(const Params& p, std::uint16_t port) : io(p) {
        auto a = io.sys.middleman().remote_actor("127.0.0.1", port);
        if (!a) throw std::runtime_error("caf remote_actor failed: " + io.sys.render(a.error()));
        target = *a;
    }
};

long processed(caf::scoped_actor& self, const caf::actor& target) {
    long n = -1;
    std::string failure;
    self->request(target, kDeadline, count_atom::value)
        .receive([&](long c) { n = c; }, [&](caf::error& e) { failure = self->system().render(e); });
    if (n < 0) throw std::runtime_error("caf count request failed: " + failure);
    return n;
}
}  // namespace

int remote_peer(const Params& p) {
    IoSystem io(p);
    auto a = io.sys.spawn(bench_actor);
    auto port = io.sys.middleman().publish(a, 0, "127.0.0.1");
    if (!port) {
        std::cerr << "caf peer: publish failed: " << io.sys.render(port.error()) << std::endl;
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
        return 1;
    }
    std::cout << "ready " << *port << std::endl;
    for (std::string line; std::getline(std::cin, line);) {
    }
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    return 0;
}

Sample remote_send(const Params& p, std::uint16_t port, bool blob) {
    Client c(p, port);
    caf::scoped_actor self{c.io.sys};
    const long n = blob ? p.remote_blob_messages : p.remote_messages;
    const std::string payload(static_cast<std::size_t>(p.remote_blob_bytes), 'x');
    Stopwatch t;
    for (long i = 0; i < n; ++i) {
        if (blob) self->send(c.target, payload);
        else self->send(c.target, i);
    }
    const long got = processed(self, c.target);
    const double secs = t.seconds();
    if (got != n) throw std::runtime_error("caf remote: the peer processed " + std::to_string(got) + " of " + std::to_string(n));
    return {static_cast<double>(n) / secs, 0};
}

Sample remote_round_trip(const Params& p, std::uint16_t port) {
    Client c(p, port);
    caf::scoped_actor self{c.io.sys};
    std::vector<double> ns;
    ns.reserve(static_cast<std::size_t>(p.remote_round_trips));
    for (long i = 0; i < p.remote_round_trips; ++i) {
        Stopwatch t;
        long answer = -1;
        self->request(c.target, kDeadline, ping_atom::value, i).receive([&](long v) { answer = v; }, [&](caf::error&) {});
        if (answer != i) throw std::runtime_error("caf remote round trip: no answer or a wrong one");
        ns.push_back(t.nanos());
    }
    return {percentile(ns, 0.50), percentile(ns, 0.99)};
}

}  // namespace bench::caf_side
