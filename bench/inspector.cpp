// What watching an engine from elsewhere costs, and how fast a remote dashboard keeps up (issue
// 14's measurements). Native, over real loopback sockets: the watched engine serves its inspector
// on a Node's listener; the dashboard is a RemoteSource on its own Beast transport, folded into a
// Model once per 16 ms "frame" on another thread, as the window does.
//
//   bench_inspector [--runs 7] [--seconds 1] [--window 16384] [--batch 512] [--rates 20000,100000,400000,0]
//                   [--no-overhead]
//       fold rows: events/s a remote dashboard folds at offered rates (events published by an actor
//         at that rate), with the events it missed (a gap means it fell behind the server's ring);
//       overhead rows: the watched engine's throughput with and without a dashboard attached
//         (messages to one actor; spawn + stop churn), alternating within each repetition.
//   bench_inspector --serve SITE_DIR --rate EVENTS_PER_S [--window N] [--batch N]
//       a node flooding at that rate, serving the dashboard site: bench/js/remote_fold.mjs points
//       Chromium at it ("page http://..." on stdout; ends when stdin closes).
//
// Figures are medians of --runs repetitions with min-max; on a shared 2-core machine compare
// the two sides of one run, not runs.
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
    explicit Watcher(const Served& served) : source(make_beast_transport(), served.url(), kToken) {}
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
    for (;;) {
        const double elapsed = std::chrono::duration<double>(Steady::now() - start).count();
        if (elapsed >= seconds) break;
        const double due = (rate <= 0 ? 1e12 : rate * elapsed) - sent;  // rate 0: as fast as it goes
        for (double left = std::min(due, 200'000.0); left >= 1; left -= 1000) {
            const auto n = static_cast<std::size_t>(std::min(left, 1000.0));
            engine.send(flooder, Burst{n});
            sent += static_cast<double>(n);
        }
        if (Steady::now() >= next_frame) {
            if (const std::size_t n = w.source.update(w.model)) {
                folded += n;
                last_fold = Steady::now();
            }
            next_frame += kFrame;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const std::uint64_t published = engine.events().last_seq() - first;
    const auto drain_until = Steady::now() + std::chrono::seconds(3);
    while (w.model.overview().last_seq < engine.events().last_seq() && Steady::now() < drain_until) {
        std::this_thread::sleep_for(kFrame);
        if (const std::size_t n = w.source.update(w.model)) {
            folded += n;
            last_fold = Steady::now();
        }
    }
    FoldRun r;
    r.offered = static_cast<double>(published) / seconds;
    r.folded_per_s = static_cast<double>(folded) / std::chrono::duration<double>(last_fold - start).count();
    r.missed = w.model.overview().missed_events - missed0;
    return r;
}

// The watched engine's own work, timed; a dashboard folds on another thread meanwhile if asked.
enum class Load { messages, churn };

double work_once(Load load, bool watched, std::size_t amount) {
    Engine engine(watched_config());
    std::optional<Served> served;
    std::unique_ptr<Watcher> w;
    std::atomic<bool> done{false};
    std::thread ui;
    if (watched) {
        served.emplace(engine);
        w = std::make_unique<Watcher>(*served);
        if (!w->attach()) return 0;
        ui = std::thread([&] {
            while (!done.load()) {
                (void)w->source.update(w->model);
                std::this_thread::sleep_for(kFrame);
            }
        });
    }
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
    done = true;
    if (ui.joinable()) ui.join();
    return static_cast<double>(amount) / seconds;
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
    while (std::getline(std::cin, line)) {
        if (line == "seq") std::cout << "seq " << engine.events().last_seq() << std::endl;
    }
    stop = true;
    feeder.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 7;
    double seconds = 1.0, rate = 100'000;
    std::string site, rates = "20000,100000,400000,0";
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
        else if (a == "--token") (void)next();  // the token is fixed: kToken (kept for the script's readability)
        else {
            std::fprintf(stderr, "bench_inspector: unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (!site.empty()) return serve(site, rate);

    std::printf("bench_inspector: %d runs, %u hardware threads, window %zu events, %lld ms frames\n", runs,
                std::thread::hardware_concurrency(), g_window, static_cast<long long>(kFrame.count()));
    std::vector<double> offered_rates;
    for (std::size_t from = 0; from < rates.size();) {
        const auto comma = rates.find(',', from);
        offered_rates.push_back(std::stod(rates.substr(from, comma - from)));
        from = comma == std::string::npos ? rates.size() : comma + 1;
    }
    for (const double offered : offered_rates) {
        std::vector<double> folded, offered_v, missed;
        for (int r = 0; r < runs; ++r) {
            if (auto f = fold_once(offered, seconds)) {
                folded.push_back(f->folded_per_s);
                offered_v.push_back(f->offered);
                missed.push_back(static_cast<double>(f->missed));
            }
        }
        char what[96];
        std::snprintf(what, sizeof what, "fold, offered %s events/s: published", offered > 0 ? std::to_string(static_cast<long>(offered)).c_str() : "max");
        print(what, bench::stats_of(offered_v), "events/s");
        print("  folded by the remote dashboard", bench::stats_of(folded), "events/s");
        print("  missed (gaps: the dashboard fell behind)", bench::stats_of(missed), "events");
    }
    for (const Load load : {Load::messages, Load::churn}) {
        if (!overhead) break;
        const std::size_t amount = load == Load::messages ? 2'000'000 : 20'000;
        std::vector<double> alone, watched;
        for (int r = 0; r < runs; ++r) {
            alone.push_back(work_once(load, false, amount));
            watched.push_back(work_once(load, true, amount));
        }
        const auto a = bench::stats_of(alone), w = bench::stats_of(watched);
        const char* name = load == Load::messages ? "messages to one actor" : "spawn + stop churn";
        const char* unit = load == Load::messages ? "msg/s" : "actors/s";
        std::printf("overhead, %s\n", name);
        print("  no dashboard", a, unit);
        print("  a remote dashboard attached", w, unit);
        std::printf("  attached / alone (medians): %.3f\n", w.median / a.median);
    }
    return 0;
}
