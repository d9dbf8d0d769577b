// What watching an engine from elsewhere costs, and how fast a remote dashboard keeps up (issue
// 14's measurements). Native, over real loopback sockets: the watched engine serves its inspector
// on a Node's listener; the dashboard is a RemoteSource on its own Beast transport, folded into a
// Model once per 16 ms "frame" on another thread, as the window does.
//
//   bench_inspector [--runs 7] [--seconds 1] [--window 16384] [--batch 512] [--rates 20000,100000,400000,0]
//                   [--no-overhead]
//       fold rows: events/s a remote dashboard folds at offered rates (events published by an actor
//         at that rate), with the events it missed (a gap means it fell behind the server's ring);
//       lag rows (same runs): from an event to the frame that shows it. Every 25 ms a probe actor
//         is spawned; its lag is the time from just before spawn() to the end of the first frame
//         whose fold has it in the actor table (a frame every 16 ms, so up to 16 ms of it is
//         the wait for the next frame). A probe lost in a gap is counted, not timed;
//       overhead rows: the watched engine's throughput with and without a dashboard attached
//         (messages to one actor; spawn + stop churn), alternating within each repetition. The
//         dashboard is another process (`--dashboard URL`), as a browser tab or a window
//         elsewhere is; besides the wall-clock rate, the engine process's CPU time per message
//         (getrusage: its workers, its network thread serving the stream) is what the dashboard
//         costs the engine itself, which the other process's competition for the cores does
//         not blur.
//   bench_inspector --overhead-once messages|churn alone|watched [--amount N]
//       one repetition of one side, for an instruction count:
//       valgrind --tool=callgrind --trace-children=no bench_inspector --overhead-once ...
//   bench_inspector --dashboard URL
//       a remote dashboard folding every 16 ms until stdin closes (the overhead rows start it).
//   bench_inspector --serve SITE_DIR --rate EVENTS_PER_S [--window N] [--batch N]
//       a node flooding at that rate, serving the dashboard site: bench/js/remote_fold.mjs points
//       Chromium at it ("page http://..." on stdout; ends when stdin closes). A line "probe" on
//       stdin spawns an actor and answers "probe SEQ WALL_MS" (for the page's lag).
//
// Figures are medians of --runs repetitions with min-max; on a shared 2-core machine compare
// the two sides of one run, not runs.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <actors/actors.hpp>
#include <remote/beast_transport.hpp>
#include <remote/inspector_endpoint.hpp>
#include <remote/node.hpp>

#include "dashboard/model.hpp"
#include "harness.hpp"
#include "peer_process.hpp"
#include "percentile.hpp"
#include "remote_source.hpp"

using namespace actors;
using namespace actors::remote;
using Steady = std::chrono::steady_clock;

namespace {

constexpr const char* kToken = "bench-token";
constexpr auto kFrame = std::chrono::milliseconds(16);
// The server's window (InspectorOptions::window): the dashboard acknowledges what it folded, once
// per frame, so a stream above window x frames/s cannot be kept up with.
std::size_t g_window = InspectorOptions{}.window;
std::size_t g_batch = InspectorOptions{}.batch;  // events per frame the server writes

struct Burst {
    std::size_t events = 0;
};
struct Flooder final : Actor {
    void receive(Context& ctx, Message& m) override {
        if (const auto* b = m.as<Burst>())
            for (std::size_t i = 0; i < b->events; ++i) ctx.publish("bench", "e");
    }
};

struct Add {
    long n = 0;
};
struct Total {
    using Response = long;
};
struct Counter final : Actor {
    long total = 0;
    void receive(Context&, Message& m) override {
        m.visit([&](const Add& a) { total += a.n; }, [&](const Total&) { return total; });
    }
};

EngineConfig watched_config() {
    EngineConfig c;
    c.stats.enabled = true;
    c.stats.interval = std::chrono::milliseconds(250);
    c.event_ring_capacity = 1 << 17;
    return c;
}

// An engine's inspector on a loopback listener (a Node's, as a program would have it).
struct Served {
    explicit Served(Engine& engine, const std::string& site = {}) : inspector(engine, endpoint_options()), node(engine, node_options()) {
        ListenOptions l;
        l.endpoints["/inspector"] = inspector.handler_factory();
        l.static_root = site;
        if (!site.empty())
            l.documents["/inspector.json"] = {"application/json",
                                              std::string(R"({"inspector":"/inspector","engine":"bench","token":")") + kToken + "\"}"};
        port = node.listen(l);
    }
    ~Served() { node.shutdown(); }
    static InspectorEndpointOptions endpoint_options() {
        InspectorEndpointOptions o;
        o.name = "bench";
        o.protocol.control_token = kToken;
        o.protocol.window = g_window;
        o.protocol.batch = g_batch;
        return o;
    }
    static NodeOptions node_options() {
        NodeOptions o;
        o.name = "bench";
        o.token = kToken;
        return o;
    }
    [[nodiscard]] std::string url() const { return "ws://127.0.0.1:" + std::to_string(port) + "/inspector"; }
    InspectorEndpoint inspector;
    Node node;
    std::uint16_t port = 0;
};

// A remote dashboard: its source and model, folded by the caller's frames.
struct Watcher {
    explicit Watcher(const Served& served) : Watcher(served.url()) {}
    explicit Watcher(const std::string& url) : source(make_beast_transport(), url, kToken) {}
    // Frames until the snapshot is in; false if it never came.
    bool attach() {
        const auto deadline = Steady::now() + std::chrono::seconds(10);
        while (Steady::now() < deadline) {
            (void)source.update(model);
            if (source.status().state == "attached" && model.overview().last_seq > 0) return true;
            std::this_thread::sleep_for(kFrame);
        }
        return false;
    }
    dashboard::RemoteSource source;
    dashboard::Model model;
};

struct FoldRun {
    double offered = 0, folded_per_s = 0;
    std::uint64_t missed = 0;
    std::vector<double> lag_ms;        // one per probe shown
    std::size_t probes_unseen = 0;     // probes never shown (lost in a gap, or not caught up)
};

constexpr auto kProbeEvery = std::chrono::milliseconds(25);

struct Probe {
    Pid pid;
    Steady::time_point spawned;
};

// Publishes `rate` events/s for `seconds`, folding every frame; then folds until caught up.
std::optional<FoldRun> fold_once(double rate, double seconds) {
    Engine engine(watched_config());
    Served served(engine);
    Watcher w(served);
    if (!w.attach()) return std::nullopt;
    const Pid flooder = engine.spawn<Flooder>("flooder");
    const std::uint64_t first = engine.events().last_seq();
    const std::uint64_t missed0 = w.model.overview().missed_events;
    std::uint64_t folded = 0;
    double sent = 0;
    const auto start = Steady::now();
    auto last_fold = start;
    auto next_frame = start;
    auto next_probe = start;
    std::vector<Probe> probes;  // spawned, not yet shown
    std::size_t probe_count = 0;
    FoldRun r;
    auto frame = [&] {
        if (const std::size_t n = w.source.update(w.model)) {
            folded += n;
            last_fold = Steady::now();
        }
        const auto shown_at = Steady::now();
        std::erase_if(probes, [&](const Probe& p) {
            if (!w.model.actors().find(p.pid)) return false;
            r.lag_ms.push_back(std::chrono::duration<double, std::milli>(shown_at - p.spawned).count());
            return true;
        });
    };
    for (;;) {
        const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
        if (elapsed >= seconds) break;
        const double due = (rate <= 0 ? 1e12 : rate * elapsed) - sent;  // rate 0: as fast as it goes
        for (double left = std::min(due, 200'000.0); left >= 1; left -= 1000) {
            const auto n = static_cast<std::size_t>(std::min(left, 1000.0));
            engine.send(flooder, Burst{n});
            sent += static_cast<double>(n);
        }
        if (Steady::now() >= next_probe) {
            const auto t0 = Steady::now();
            probes.push_back({engine.spawn_fn("probe-" + std::to_string(probe_count++), [](Context&, Message&) {}), t0});
            next_probe += kProbeEvery;
        }
        if (Steady::now() >= next_frame) {
            frame();
            next_frame += kFrame;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const std::uint64_t published = engine.events().last_seq() - first;
    const auto drain_until = Steady::now() + std::chrono::seconds(3);
    while ((w.model.overview().last_seq < engine.events().last_seq() || !probes.empty()) && Steady::now() < drain_until) {
        std::this_thread::sleep_for(kFrame);
        frame();
    }
    r.probes_unseen = probes.size();
    r.offered = static_cast<double>(published) / seconds;
    r.folded_per_s = static_cast<double>(folded) / std::chrono::duration<double>(last_fold - start).count();
    r.missed = w.model.overview().missed_events - missed0;
    return r;
}

enum class Load { messages, churn };

double cpu_seconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

struct WorkRun {
    double per_s = 0;          // wall clock
    double cpu_us_per = 0;     // this process's CPU time per message (or per actor)
};

// The watched engine's own work, timed; with `watched`, a remote dashboard in another process
// attaches first and folds every frame meanwhile.
std::optional<WorkRun> work_once(Load load, bool watched, std::size_t amount) {
    Engine engine(watched_config());
    std::optional<Served> served;
    std::optional<bench::PeerProcess> dashboard;
    if (watched) {
        served.emplace(engine);
        try {
            dashboard.emplace(std::vector<std::string>{"--dashboard", served->url()}, "dashboard");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_inspector: %s\n", e.what());
            return std::nullopt;
        }
    }
    const double cpu0 = cpu_seconds();
    const auto start = Steady::now();
    if (load == Load::messages) {
        const Pid counter = engine.spawn<Counter>("counter");
        for (std::size_t i = 0; i < amount; ++i) engine.send(counter, Add{1});
        (void)engine.request(counter, Total{}, std::chrono::seconds(60)).get();
    } else {
        std::vector<Future<Terminated>> stops;
        for (std::size_t i = 0; i < amount; ++i) {
            const Pid p = engine.spawn_fn("churn-" + std::to_string(i), [](Context&, Message&) {});
            stops.push_back(engine.stop(p));
        }
        for (auto& f : stops) (void)f.get();
    }
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    const double cpu = cpu_seconds() - cpu0;
    return WorkRun{static_cast<double>(amount) / seconds, cpu * 1e6 / static_cast<double>(amount)};
}

// The other process of the overhead rows: a dashboard attached to `url`, folding every frame,
// until its stdin closes.
int dashboard_process(const std::string& url) {
    Watcher w(url);
    if (!w.attach()) {
        std::fprintf(stderr, "bench_inspector --dashboard: no snapshot from %s\n", url.c_str());
        return 1;
    }
    std::atomic<bool> stdin_open{true};
    std::thread reader([&] {
        std::string line;
        while (std::getline(std::cin, line)) {
        }
        stdin_open = false;
    });
    std::cout << "ready" << std::endl;
    while (stdin_open.load()) {
        (void)w.source.update(w.model);
        std::this_thread::sleep_for(kFrame);
    }
    reader.join();
    return 0;
}

void print(const char* what, const bench::Stats& s, const char* unit) {
    std::printf("%-52s %12.0f %s  (min %.0f, max %.0f, %d runs)\n", what, s.median, unit, s.min, s.max, s.runs);
}

int serve(const std::string& site, double rate) {
    Engine engine(watched_config());
    Served served(engine, site);
    const Pid flooder = engine.spawn<Flooder>("flooder");
    std::cout << "page http://127.0.0.1:" << served.port << "/" << std::endl;
    std::atomic<bool> stop{false};
    std::thread feeder([&] {
        const auto start = Steady::now();
        double sent = 0;
        while (!stop.load()) {
            const double due = rate * std::chrono::duration<double>(Steady::now() - start).count() - sent;
            for (double left = std::min(due, 200'000.0); left >= 1; left -= 1000) {
                const auto n = static_cast<std::size_t>(std::min(left, 1000.0));
                engine.send(flooder, Burst{n});
                sent += static_cast<double>(n);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    std::string line;
    std::size_t probes = 0;
    while (std::getline(std::cin, line)) {
        if (line == "seq") std::cout << "seq " << engine.events().last_seq() << std::endl;
        if (line == "probe") {
            // For the page's event-to-frame lag: the wall clock (the page's Date.now() reads the
            // same one) just before a spawn, and a sequence number at or past its event.
            const auto at = std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
            (void)engine.spawn_fn("probe-" + std::to_string(probes++), [](Context&, Message&) {});
            std::cout << "probe " << engine.events().last_seq() << " " << std::fixed << at << std::endl;
        }
    }
    stop = true;
    feeder.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 7;
    double seconds = 1.0, rate = 100'000;
    std::string site, rates = "20000,100000,400000,0", dashboard_url, once_load, once_side;
    std::size_t amount = 0;
    bool overhead = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "bench_inspector: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--runs") runs = std::stoi(next());
        else if (a == "--seconds") seconds = std::stod(next());
        else if (a == "--serve") site = next();
        else if (a == "--rate") rate = std::stod(next());
        else if (a == "--rates") rates = next();
        else if (a == "--window") g_window = static_cast<std::size_t>(std::stoul(next()));
        else if (a == "--batch") g_batch = static_cast<std::size_t>(std::stoul(next()));
        else if (a == "--no-overhead") overhead = false;
        else if (a == "--dashboard") dashboard_url = next();
        else if (a == "--overhead-once") {
            once_load = next();
            once_side = next();
        } else if (a == "--amount") amount = static_cast<std::size_t>(std::stoul(next()));
        else if (a == "--token") (void)next();  // the token is fixed: kToken (kept for the script's readability)
        else {
            std::fprintf(stderr, "bench_inspector: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (!site.empty()) return serve(site, rate);
    if (!dashboard_url.empty()) return dashboard_process(dashboard_url);
    auto amount_for = [&](Load load) { return amount ? amount : load == Load::messages ? 2'000'000 : 20'000; };
    if (!once_load.empty()) {
        if ((once_load != "messages" && once_load != "churn") || (once_side != "alone" && once_side != "watched")) {
            std::fprintf(stderr, "bench_inspector: --overhead-once takes messages|churn and alone|watched\n");
            return 2;
        }
        const Load load = once_load == "messages" ? Load::messages : Load::churn;
        const auto run = work_once(load, once_side == "watched", amount_for(load));
        if (!run) return 1;
        std::printf("%s, %s: %.0f per s, %.3f us CPU each\n", once_load.c_str(), once_side.c_str(), run->per_s, run->cpu_us_per);
        return 0;
    }

    std::printf("bench_inspector: %d runs, %u hardware threads, window %zu events, %lld ms frames\n", runs,
                std::thread::hardware_concurrency(), g_window, static_cast<long long>(kFrame.count()));
    std::vector<double> offered_rates;
    for (std::size_t from = 0; from < rates.size();) {
        const auto comma = rates.find(',', from);
        offered_rates.push_back(std::stod(rates.substr(from, comma - from)));
        from = comma == std::string::npos ? rates.size() : comma + 1;
    }
    for (const double offered : offered_rates) {
        std::vector<double> folded, offered_v, missed, lag50, lag99, lagmax, unseen;
        for (int r = 0; r < runs; ++r) {
            if (auto f = fold_once(offered, seconds)) {
                folded.push_back(f->folded_per_s);
                offered_v.push_back(f->offered);
                missed.push_back(static_cast<double>(f->missed));
                unseen.push_back(static_cast<double>(f->probes_unseen));
                if (!f->lag_ms.empty()) {
                    lag50.push_back(bench::percentile(f->lag_ms, 0.50));
                    lag99.push_back(bench::percentile(f->lag_ms, 0.99));
                    lagmax.push_back(bench::percentile(f->lag_ms, 1.0));
                }
            }
        }
        char what[96];
        std::snprintf(what, sizeof what, "fold, offered %s events/s: published", offered > 0 ? std::to_string(static_cast<long>(offered)).c_str() : "max");
        print(what, bench::stats_of(offered_v), "events/s");
        print("  folded by the remote dashboard", bench::stats_of(folded), "events/s");
        print("  missed (gaps: the dashboard fell behind)", bench::stats_of(missed), "events");
        auto print_ms = [](const char* label, const bench::Stats& st) {
            std::printf("%-52s %12.1f ms      (min %.1f, max %.1f, %d runs)\n", label, st.median, st.min, st.max, st.runs);
        };
        print_ms("  lag, event -> frame showing it: p50", bench::stats_of(lag50));
        print_ms("  lag p99", bench::stats_of(lag99));
        print_ms("  lag max", bench::stats_of(lagmax));
        print("  probes never shown (lost in a gap)", bench::stats_of(unseen), "probes");
    }
    for (const Load load : {Load::messages, Load::churn}) {
        if (!overhead) break;
        std::vector<double> alone, watched, alone_cpu, watched_cpu;
        for (int r = 0; r < runs; ++r) {
            if (const auto a = work_once(load, false, amount_for(load))) {
                alone.push_back(a->per_s);
                alone_cpu.push_back(a->cpu_us_per);
            }
            if (const auto w = work_once(load, true, amount_for(load))) {
                watched.push_back(w->per_s);
                watched_cpu.push_back(w->cpu_us_per);
            }
        }
        const auto a = bench::stats_of(alone), w = bench::stats_of(watched);
        const auto ac = bench::stats_of(alone_cpu), wc = bench::stats_of(watched_cpu);
        const char* name = load == Load::messages ? "messages to one actor" : "spawn + stop churn";
        const char* unit = load == Load::messages ? "msg/s" : "actors/s";
        std::printf("overhead, %s (the dashboard in another process)\n", name);
        print("  no dashboard", a, unit);
        print("  a remote dashboard attached", w, unit);
        std::printf("  attached / alone (medians): %.3f\n", w.median / a.median);
        auto print_us = [](const char* label, const bench::Stats& st) {
            std::printf("%-52s %12.3f us CPU (min %.3f, max %.3f, %d runs)\n", label, st.median, st.min, st.max, st.runs);
        };
        print_us("  engine process CPU per unit, no dashboard", ac);
        print_us("  engine process CPU per unit, attached", wc);
        std::printf("  CPU per unit, attached / alone (medians): %.3f\n", wc.median / ac.median);
    }
    return 0;
}
