// Virtual actors on three members (one process, thread-pool engines, Nodes on Boost.Beast over
// 127.0.0.1, membership on a real etcd with a 2 s lease). Each figure has its peer in the same run:
//   activation latency  first request to a new identity   vs  a request to an active one
//   request rate        requests to identities            vs  the same to their Pids directly
//   move after a death  a member gone without leaving -> its identities answer again  vs  the lease TTL
// Median of --runs (default 7) with min-max.
//
//   bench_cluster [--runs N] [--identities N] [--requests N]
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <remote/node.hpp>
#include <remote/registry.hpp>

#include "actors/actors.hpp"
#include "cluster/cluster.hpp"
#include "cluster/etcd_store.hpp"
#include "cluster/store_membership.hpp"
#include "cluster/etcd_server.hpp"
#include "percentile.hpp"

using namespace actors;
using namespace actors::cluster;
using WallClock = std::chrono::steady_clock;

namespace {

struct Where {
    std::string member;
    long count = 0;
    MSGPACK_DEFINE(member, count)
};
struct Hit {
    using Response = Where;
    MSGPACK_DEFINE()
};

struct Counter final : Actor {
    explicit Counter(std::string m) : member(std::move(m)) {}
    void receive(Context&, Message& msg) override {
        msg.visit([&](const Hit&) { return Where{member, ++count}; });
    }
    std::string member;
    long count = 0;
};

struct MemberProc {
    MemberProc(const std::string& name, unsigned short etcd_port, const std::string& prefix) {
        remote::NodeOptions no;
        no.name = name;
        no.token = "bench";
        node = std::make_unique<remote::Node>(engine, no);
        const auto port = node->listen({});
        EtcdOptions eo;
        eo.port = etcd_port;
        StoreMembershipOptions mo;
        mo.prefix = prefix;
        mo.ttl = std::chrono::seconds(2);
        membership = std::make_unique<StoreMembership>(std::make_shared<EtcdStore>(eo), mo);
        driver = drive(engine, *membership, std::chrono::milliseconds(100));
        cluster = std::make_unique<Cluster>(engine, *node, *membership);
        cluster->register_kind("counter", Producer([name] { return std::make_unique<Counter>(name); }));
        cluster->join("127.0.0.1:" + std::to_string(port));
    }
    // Gone without leaving, as a crash: the lease lapses on its own.
    ~MemberProc() {
        cluster.reset();
        engine.stop(driver);
        engine.wait_idle();
        node.reset();
        engine.shutdown();
    }
    Engine engine;
    std::unique_ptr<remote::Node> node;
    std::unique_ptr<StoreMembership> membership;
    std::unique_ptr<Cluster> cluster;
    Pid driver;
};

double ms_since(WallClock::time_point t) { return std::chrono::duration<double, std::milli>(WallClock::now() - t).count(); }

// `total` requests with at most `window` outstanding; `make` starts request i and calls done(ok).
// A finished request starts the next one before it counts itself, and counts under the lock it
// notifies under, so the caller cannot return (and take these locals with it) while a
// continuation still uses them.
template <class Make>
double rate(int total, int window, Make make) {
    std::mutex m;
    std::condition_variable cv;
    int started = 0, finished = 0, failed = 0;
    std::function<void()> next = [&] {
        int i;
        {
            std::lock_guard lock(m);
            if (started >= total) return;
            i = started++;
        }
        make(i, [&](bool ok) {
            next();
            std::lock_guard lock(m);
            ++finished;
            failed += !ok;
            if (finished >= total) cv.notify_all();
        });
    };
    const auto t0 = WallClock::now();
    for (int w = 0; w < window; ++w) next();
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return finished >= total; });
    const double secs = std::chrono::duration<double>(WallClock::now() - t0).count();
    if (failed) std::fprintf(stderr, "  (%d of %d requests failed)\n", failed, total);
    return total / secs;
}

struct Stat {
    std::vector<double> v;
    void add(double x) { v.push_back(x); }
    void print(const char* what, const char* unit) {
        auto c = v;
        std::sort(c.begin(), c.end());
        std::printf("%-46s %10.3f %s  (min %.3f, max %.3f, %zu runs)\n", what, bench::percentile(c, 0.5), unit, c.front(), c.back(), c.size());
    }
};

}  // namespace

int main(int argc, char** argv) {
    int runs = 7, identities = 60, requests = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--runs") runs = std::stoi(argv[i + 1]);
        else if (k == "--identities") identities = std::stoi(argv[i + 1]);
        else if (k == "--requests") requests = std::stoi(argv[i + 1]);
    }
    remote::register_message<Where>("bench.cluster.where");
    remote::register_message<Hit>("bench.cluster.hit");
    actors::testing::EtcdServer etcd("bench");
    Stat act, warm, act_ratio, id_rate, pid_rate, rate_ratio, move_ms, move_ratio;
    for (int run = 0; run < runs; ++run) {
        const std::string prefix = "/bench/" + std::to_string(run) + "/";
        std::vector<std::unique_ptr<MemberProc>> ms;
        for (const char* n : {"m1", "m2", "m3"}) ms.push_back(std::make_unique<MemberProc>(n, etcd.port(), prefix));
        for (int i = 0; i < 100; ++i) {
            bool all = true;
            for (auto& m : ms) all = all && m->membership->members().size() == 3;
            if (all) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // links up
        Cluster& c = *ms[0]->cluster;
        std::vector<double> first, again;
        std::map<std::string, std::vector<std::string>> by_member;
        std::vector<Pid> pids;
        for (int i = 0; i < identities; ++i) {
            const std::string id = "id" + std::to_string(i);
            auto t = WallClock::now();
            auto r = c.get("counter", id).request(Hit{}).get();
            first.push_back(ms_since(t));
            if (r.ok()) by_member[r.value().member].push_back(id);
            t = WallClock::now();
            (void)c.get("counter", id).request(Hit{}).get();
            again.push_back(ms_since(t));
            pids.push_back(c.resolve("counter", id).get().value());
        }
        const double a = bench::percentile(first, 0.5), w = bench::percentile(again, 0.5);
        act.add(a);
        warm.add(w);
        act_ratio.add(a / w);

        const double r_id = rate(requests, 256, [&](int i, auto done) {
            c.get("counter", "id" + std::to_string(i % identities)).request(Hit{}).then([done](Result<Where> r) { done(r.ok()); });
        });
        const double r_pid = rate(requests, 256, [&](int i, auto done) {
            ms[0]->engine.request(pids[static_cast<std::size_t>(i % identities)], Hit{}).then([done](Result<Where> r) { done(r.ok()); });
        });
        id_rate.add(r_id);
        pid_rate.add(r_pid);
        rate_ratio.add(r_id / r_pid);

        // m3 goes without leaving; time until every identity it held answers from elsewhere.
        const auto victims = by_member["m3"];
        ms.pop_back();
        const auto t0 = WallClock::now();
        std::vector<std::string> pending = victims;
        while (!pending.empty() && ms_since(t0) < 30000) {
            std::vector<std::string> still;
            for (const auto& id : pending) {
                auto r = c.get("counter", id).request(Hit{}, std::chrono::seconds(2)).get();
                if (!r.ok() || r.value().member == "m3") still.push_back(id);
            }
            pending = std::move(still);
            if (!pending.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const double moved = ms_since(t0);
        move_ms.add(moved);
        move_ratio.add(moved / 2000.0);
        std::fprintf(stderr, "run %d: activation %.2f ms, warm %.2f ms, %.0f vs %.0f req/s, %zu identities moved in %.0f ms\n", run, a, w,
                     r_id, r_pid, victims.size(), moved);
    }
    std::printf("bench_cluster: 3 members in one process, Beast on 127.0.0.1, etcd lease 2 s, %d identities, %d requests (256 in flight)\n",
                identities, requests);
    act.print("activation latency (first request), median", "ms");
    warm.print("request to an active identity, median", "ms");
    act_ratio.print("  ratio activation / active", "x");
    id_rate.print("requests to identities across 3 members", "req/s");
    pid_rate.print("the same requests to their Pids directly", "req/s");
    rate_ratio.print("  ratio identity / Pid", "x");
    move_ms.print("member gone -> its identities answer again", "ms");
    move_ratio.print("  ratio to the lease TTL (2 s)", "x");
    return 0;
}
