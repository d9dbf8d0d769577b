#pragma once
// Our side of the remote workloads: two processes on 127.0.0.1. The peer process (this program
// re-executed, see ../remote/peer_process.hpp) hosts one actor "bench" on a Node that listens;
// the bench process connects to it and:
//   remote_send        sends N messages one way, timed until the remote actor has *processed*
//                      the last (a Count request behind them: one sender, so it is handled after
//                      all N, and its answer says how many were processed);
//   remote_round_trip  times sequential requests to it one by one (p50, p99);
//   remote_cut         sends N messages through a loopback proxy that cuts the TCP connection
//                      halfway: the time from the cut until the link is connected again, and how
//                      many envelopes the link replayed (the rest of the stream is not timed).
// Only the bench -> peer direction is counted.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <remote/node.hpp>
#include <remote/registry.hpp>

#include "../params.hpp"
#include "../percentile.hpp"
#include "../stopwatch.hpp"
#include "host.hpp"
#ifdef ACTORS_BENCH_WITH_CUT
#include "support/fault_proxy.hpp"
#endif

namespace bench::ours {

struct RemoteSmall {
    std::int64_t i = 0;
    MSGPACK_DEFINE(i)
};
struct RemoteBlob {
    std::string bytes;
    MSGPACK_DEFINE(bytes)
};
struct RemoteCount {  // how many RemoteSmall and RemoteBlob the actor has processed
    using Response = std::int64_t;
    int unused = 0;
    MSGPACK_DEFINE(unused)
};
struct RemotePing {
    using Response = std::int64_t;
    std::int64_t i = 0;
    MSGPACK_DEFINE(i)
};

inline void register_remote_messages() {
    actors::remote::register_message<RemoteSmall>("bench.small");
    actors::remote::register_message<RemoteBlob>("bench.blob");
    actors::remote::register_message<RemoteCount>("bench.count");
    actors::remote::register_message<RemotePing>("bench.ping");
}

inline constexpr const char* kRemoteToken = "bench-token";
inline constexpr auto kRemoteDeadline = std::chrono::seconds(60);  // any one wait, at most

inline actors::remote::NodeOptions remote_node_options(const std::string& name) {
    actors::remote::NodeOptions o;
    o.name = name;
    o.token = kRemoteToken;
    // Reconnect at once after a cut: the cut workload measures the protocol's resume (reconnect,
    // handshake, replay), not the backoff's jitter (by default up to 50 ms for the first retry).
    o.reconnect_initial = std::chrono::milliseconds(1);
    return o;
}

// The peer process: serves "bench" until its stdin ends (the bench process closed it, or died).
inline int remote_peer(const Params& p) {
    register_remote_messages();
    Host h(Mode{false, p.workers});
    actors::remote::Node node(h.engine(), remote_node_options("peer"));
    auto processed = std::make_shared<std::int64_t>(0);
    h.engine().spawn_fn("bench", [processed](actors::Context&, actors::Message& m) {
        m.visit([&](const RemoteSmall&) { ++*processed; }, [&](const RemoteBlob&) { ++*processed; },
                [&](const RemoteCount&) { return *processed; }, [&](const RemotePing& x) { return x.i; });
    }, unbounded_mailbox());
    const std::uint16_t port = node.listen({});
    std::cout << "ready " << port << std::endl;
    for (std::string line; std::getline(std::cin, line);) {
    }
    return 0;
}

namespace remote_detail {

// The bench process's end: an engine, a Node connected to the peer, and the peer's actor.
class Client {
public:
    Client(const Params& p, std::uint16_t port) : host_(Mode{false, p.workers}), node_(host_.engine(), remote_node_options("bench")) {
        auto connected = node_.connect("ws://127.0.0.1:" + std::to_string(port));
        const auto until = std::chrono::steady_clock::now() + kRemoteDeadline;
        while (!connected.ready() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!connected.ready()) throw std::runtime_error("remote: no connection to the peer");
        if (!connected.get().ok()) throw std::runtime_error("remote: connect failed: " + connected.get().error().detail);
        auto found = node_.lookup("peer", "bench").get();
        if (!found.ok()) throw std::runtime_error("remote: lookup of bench@peer failed: " + found.error().detail);
        target_ = found.value();
    }
    [[nodiscard]] actors::Engine& engine() { return host_.engine(); }
    [[nodiscard]] actors::Pid target() const { return target_; }

    // One send; a full link buffer (flow control) is waited out, as a producer would.
    template <class M>
    void send(M msg, const std::chrono::steady_clock::time_point& until) {
        for (;;) {
            const actors::SendStatus s = host_.engine().send(target_, M(msg));
            if (s == actors::SendStatus::delivered) return;
            if (s == actors::SendStatus::dead_letter) throw std::runtime_error("remote: a send became a dead letter");
            if (std::chrono::steady_clock::now() > until) throw std::runtime_error("remote: the link stayed full past the deadline");
            std::this_thread::yield();
        }
    }
    [[nodiscard]] std::int64_t processed() {
        auto r = host_.engine().request(target_, RemoteCount{}, kRemoteDeadline).get();
        if (!r.ok()) throw std::runtime_error("remote: count request failed: " + r.error().detail);
        return r.value();
    }

private:
    Host host_;
    actors::remote::Node node_;
    actors::Pid target_;
};

inline void expect_processed(Client& c, long n) {
    const std::int64_t got = c.processed();
    if (got != n) throw std::runtime_error("remote: the peer processed " + std::to_string(got) + " of " + std::to_string(n));
}

}  // namespace remote_detail

inline Sample remote_send(const Params& p, std::uint16_t port, bool blob) {
    remote_detail::Client c(p, port);
    const long n = blob ? p.remote_blob_messages : p.remote_messages;
    const std::string payload(static_cast<std::size_t>(p.remote_blob_bytes), 'x');
    const auto until = std::chrono::steady_clock::now() + kRemoteDeadline;
    Stopwatch t;
    for (long i = 0; i < n; ++i) {
        if (blob) c.send(RemoteBlob{payload}, until);
        else c.send(RemoteSmall{i}, until);
    }
    remote_detail::expect_processed(c, n);
    return {static_cast<double>(n) / t.seconds(), 0};
}

inline Sample remote_round_trip(const Params& p, std::uint16_t port) {
    remote_detail::Client c(p, port);
    std::vector<double> ns;
    ns.reserve(static_cast<std::size_t>(p.remote_round_trips));
    for (long i = 0; i < p.remote_round_trips; ++i) {
        Stopwatch t;
        auto r = c.engine().request(c.target(), RemotePing{i}, kRemoteDeadline).get();
        if (!r.ok() || r.value() != i) throw std::runtime_error("remote round trip: no answer or a wrong one");
        ns.push_back(t.nanos());
    }
    return {percentile(ns, 0.50), percentile(ns, 0.99)};
}

#ifdef ACTORS_BENCH_WITH_CUT
// value: ns from the cut until the link is connected again; extra: envelopes replayed then.
inline Sample remote_cut(const Params& p, std::uint16_t port) {
    // Declared before the Client, so they outlive its engine and the subscriber that uses them.
    std::atomic<long> reconnected_at{0}, replayed{0};
    std::atomic<bool> cut{false};
    const auto epoch = std::chrono::steady_clock::now();
    auto since_epoch = [epoch] { return static_cast<long>(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - epoch).count()); };
    actors::remote::testing::FaultProxy proxy(port);
    remote_detail::Client c(p, proxy.port());
    const auto sub = c.engine().events().subscribe([&](const actors::Event& ev) {
        if (ev.as<actors::NodeConnected>() && cut.load()) {
            long zero = 0;
            reconnected_at.compare_exchange_strong(zero, since_epoch());
        } else if (const auto* r = ev.as<actors::LinkReplayed>()) {
            replayed.fetch_add(static_cast<long>(r->count));
        }
    });
    const long n = p.remote_cut_messages;
    const auto until = std::chrono::steady_clock::now() + kRemoteDeadline;
    long cut_at = 0;
    for (long i = 0; i < n; ++i) {
        if (i == n / 2) {
            cut_at = since_epoch();
            cut.store(true);
            proxy.cut_all();
        }
        c.send(RemoteSmall{i}, until);
    }
    // Exactly once across the cut: every message processed, none twice.
    remote_detail::expect_processed(c, n);
    while (reconnected_at.load() == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    c.engine().events().unsubscribe(sub);
    if (reconnected_at.load() == 0) throw std::runtime_error("remote cut: the link did not reconnect");
    return {static_cast<double>(reconnected_at.load() - cut_at), static_cast<double>(replayed.load())};
}
#endif

}  // namespace bench::ours
