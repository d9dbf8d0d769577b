// How fast the dashboard model folds a realistic event stream with 10,000 live actors, and how
// long the actor table's query (filter + sort, every frame) takes over those rows.
//
// The stream: 100 supervisors with 99 workers each are spawned first (not timed); then a mix of
// custom events, dead letters, failures and restarts, health transitions, overflows, stop/spawn
// churn (the live count stays 10,000) and a stats sample listing 1,000 actors every 2,000 events,
// at 1 us of engine time per event (so the 1 s rate buckets close as they would at 1M events/s).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "dashboard/model.hpp"

using namespace actors;
using namespace actors::dashboard;

namespace {

constexpr std::size_t kSupervisors = 100;
constexpr std::size_t kWorkersEach = 99;
constexpr std::size_t kMixedEvents = 1'000'000;
constexpr std::size_t kSampleEvery = 2'000;
constexpr std::size_t kSampledActors = 1'000;

struct Stream {
    std::vector<Event> spawn_phase;
    std::vector<Event> mixed;
};

struct Generator {
    std::mt19937_64 rng{42};
    std::uint64_t seq = 0;
    std::uint64_t next_id = 1;
    TimePoint now{};
    std::vector<Pid> supervisors;
    std::vector<Pid> workers;              // live, current generation
    std::vector<std::uint64_t> processed;  // by position in workers
    std::vector<std::size_t> unhealthy;    // positions in workers
    std::size_t sample_cursor = 0;
    std::uint64_t engine_processed = 0;

    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng() % n); }

    void push(std::vector<Event>& out, EventBody body) {
        out.push_back(Event{++seq, now, std::move(body)});
        now += std::chrono::microseconds(1);
    }

    Pid spawn(std::vector<Event>& out, Pid parent, const std::string& name) {
        const Pid pid{1, next_id++, 0};
        push(out, ActorSpawned{pid, parent, name, 1024});
        push(out, ActorStarted{pid});
        return pid;
    }

    Stream build() {
        Stream s;
        for (std::size_t i = 0; i < kSupervisors; ++i) {
            const Pid sup = spawn(s.spawn_phase, Pid{}, "sup-" + std::to_string(i));
            supervisors.push_back(sup);
            for (std::size_t j = 0; j < kWorkersEach; ++j) {
                workers.push_back(spawn(s.spawn_phase, sup, "sup-" + std::to_string(i) + "/w-" + std::to_string(j)));
                processed.push_back(0);
            }
        }
        s.mixed.reserve(kMixedEvents + 16);
        while (s.mixed.size() < kMixedEvents) {
            if (s.mixed.size() % kSampleEvery == 0) {
                sample(s.mixed);
                continue;
            }
            const std::size_t roll = pick(100);
            const std::size_t w = pick(workers.size());
            if (roll < 40) {
                push(s.mixed, CustomEvent{workers[w], "orders", "created"});
            } else if (roll < 60) {
                // Mostly live targets, some long gone (never in the table).
                const Pid target = pick(10) == 0 ? Pid{1, 1'000'000 + pick(100'000), 0} : workers[w];
                push(s.mixed, DeadLetter{target, workers[pick(workers.size())], "Ping",
                                         static_cast<DeadLetterReason>(pick(5))});
            } else if (roll < 80) {
                push(s.mixed, ActorFailed{workers[w], "boom: the handler threw while parsing the order", "Order"});
                workers[w].generation++;
                push(s.mixed, ActorRestarted{workers[w], 1, workers[w].generation, {}, {}, "boom"});
            } else if (roll < 88) {
                if (!unhealthy.empty() && pick(2) == 0) {
                    const std::size_t u = unhealthy.back();
                    unhealthy.pop_back();
                    push(s.mixed, ActorHealthy{workers[u], HealthSignal::mailbox_lag, std::chrono::milliseconds(5)});
                } else {
                    unhealthy.push_back(w);
                    push(s.mixed, ActorUnhealthy{workers[w], HealthSignal::mailbox_lag, std::chrono::milliseconds(1500),
                                                 "oldest message waiting 1500 ms"});
                }
            } else if (roll < 93) {
                // Churn: a worker stops and its supervisor starts a replacement.
                if (std::find(unhealthy.begin(), unhealthy.end(), w) != unhealthy.end()) continue;
                push(s.mixed, ActorStopped{workers[w], StopReason::requested, ""});
                const Pid sup = supervisors[pick(supervisors.size())];
                workers[w] = spawn(s.mixed, sup, "w-" + std::to_string(next_id));
                processed[w] = 0;
            } else {
                push(s.mixed, MailboxOverflow{workers[w], 1024, OverflowPolicy::drop_newest, "Ping"});
            }
        }
        return s;
    }

    void sample(std::vector<Event>& out) {
        StatsSampled st;
        st.interval = std::chrono::milliseconds(2);
        st.actors.reserve(kSampledActors);
        for (std::size_t k = 0; k < kSampledActors; ++k) {
            const std::size_t w = (sample_cursor + k) % workers.size();
            const std::uint64_t more = 1 + pick(50);
            processed[w] += more;
            engine_processed += more;
            ActorSample a;
            a.pid = workers[w];
            a.mailbox_depth = pick(200);
            a.counters.processed = processed[w];
            a.counters.received = processed[w] + a.mailbox_depth;
            st.actors.push_back(a);
        }
        sample_cursor = (sample_cursor + kSampledActors) % workers.size();
        st.counters.processed = engine_processed;
        st.counters.live_actors = workers.size() + supervisors.size();
        push(out, std::move(st));
    }
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class F>
double median_of(int runs, F f) {
    std::vector<double> r;
    for (int i = 0; i < runs; ++i) r.push_back(f());
    std::sort(r.begin(), r.end());
    return r[r.size() / 2];
}

}  // namespace

int main() {
    const Stream stream = Generator{}.build();
    std::size_t samples = 0;
    for (const Event& e : stream.mixed) samples += e.is<StatsSampled>() ? 1 : 0;
    std::printf("stream: %zu spawn-phase events, then %zu mixed events (%zu stats samples of %zu actors)\n",
                stream.spawn_phase.size(), stream.mixed.size(), samples, kSampledActors);

    Model last;
    std::vector<double> rates;
    for (int run = 0; run < 5; ++run) {
        Model m;
        m.fold(stream.spawn_phase);
        const auto start = std::chrono::steady_clock::now();
        m.fold(stream.mixed);
        rates.push_back(static_cast<double>(stream.mixed.size()) / seconds_since(start));
        if (run == 4) {
            std::printf("after folding: %zu live actors, %zu rows, %zu unhealthy, log %zu entries, %llu missed\n",
                        m.actors().live(), m.actors().rows().size(), m.actors().unhealthy(), m.log().size(),
                        static_cast<unsigned long long>(m.overview().missed_events));
            last = std::move(m);
        }
    }
    std::sort(rates.begin(), rates.end());
    std::printf("fold: median %.2f M events/s (min %.2f, max %.2f, 5 runs)\n", rates[2] / 1e6, rates.front() / 1e6,
                rates.back() / 1e6);

    std::vector<std::size_t> out;
    const auto query_ms = [&](const ActorQuery& q) {
        return median_of(21, [&] {
                   const auto start = std::chrono::steady_clock::now();
                   last.actors().query(q, out);
                   return seconds_since(start);
               }) * 1e3;
    };
    ActorQuery by_rate;
    by_rate.sort = ActorColumn::rate;
    by_rate.descending = true;
    ActorQuery by_name;
    by_name.sort = ActorColumn::name;
    ActorQuery text;
    text.text = "w-4";
    text.sort = ActorColumn::mailbox;
    const double t_rate = query_ms(by_rate);
    const std::size_t n_rate = out.size();
    const double t_name = query_ms(by_name);
    const double t_text = query_ms(text);
    std::printf("query over %zu rows: by rate %.2f ms, by name %.2f ms, text filter + sort %.2f ms (%zu rows kept); median of 21\n",
                n_rate, t_rate, t_name, t_text, out.size());

    std::vector<std::size_t> log_rows;
    LogFilter all;
    LogFilter by_text;
    by_text.text = "sup-7";
    const auto log_ms = [&](const LogFilter& f) {
        return median_of(5, [&] {
                   const auto start = std::chrono::steady_clock::now();
                   last.log().query(f, log_rows);
                   return seconds_since(start);
               }) * 1e3;
    };
    const double l_all = log_ms(all);
    const auto cold_start = std::chrono::steady_clock::now();
    last.log().query(by_text, log_rows);  // formats every entry once
    const double l_cold = seconds_since(cold_start) * 1e3;
    const double l_text = log_ms(by_text);
    std::printf("log query over %zu entries: no filter %.2f ms, text filter %.2f ms first time, %.2f ms after\n",
                last.log().size(), l_all, l_cold, l_text);
    return 0;
}
