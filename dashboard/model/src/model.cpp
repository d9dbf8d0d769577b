#include "dashboard/model.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "dashboard/type_name.hpp"

namespace actors::dashboard {

void ModelOptions::validate() const {
    if (event_log_capacity == 0) throw std::invalid_argument("ModelOptions::event_log_capacity must be at least 1");
    if (dead_letter_capacity == 0) throw std::invalid_argument("ModelOptions::dead_letter_capacity must be at least 1");
    if (bucket <= Duration::zero()) throw std::invalid_argument("ModelOptions::bucket must be positive");
    if (series_points == 0) throw std::invalid_argument("ModelOptions::series_points must be at least 1");
    // stopped_rows_kept may be 0: stopped rows then leave the table at once.
}

namespace {
ModelOptions validated(ModelOptions o) {
    o.validate();
    return o;
}

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;
}  // namespace

Model::Model(ModelOptions options)
    : options_(validated(std::move(options))),
      table_(options_.stopped_rows_kept),
      log_(options_.event_log_capacity),
      dead_letters_(options_.dead_letter_capacity),
      series_(options_.bucket, options_.series_points) {}

namespace {

// A copy with its message type shortened, for the three kinds that name one; nothing otherwise.
std::optional<Event> with_short_type_names(const Event& e) {
    const auto shorten = [&](auto body) {
        body.message_type = short_type_name(body.message_type);
        Event out = e;
        out.body = std::move(body);
        return std::optional<Event>(std::move(out));
    };
    if (const auto* d = e.as<DeadLetter>()) return shorten(*d);
    if (const auto* o = e.as<MailboxOverflow>()) return shorten(*o);
    if (const auto* f = e.as<ActorFailed>()) return shorten(*f);
    return std::nullopt;
}

}  // namespace

void Model::clear() {
    table_.clear();
    log_.clear();
    dead_letters_.clear();
    members_.clear();
    placements_.clear();
    links_.clear();
    series_.clear();
    overview_ = {};
    health_.clear();
    ignore_up_to_ = 0;
    have_seq_ = false;
    last_processed_ = 0;
    have_processed_ = false;
}

void Model::load(const Snapshot& s) {
    clear();
    for (const ActorInfo& info : s.actors) {
        table_.load(info, s.time);
        if (info.health != 0 && info.state != ActorState::stopped)
            health_[info.pid.id] = HealthEntry{info.pid, info.name, info.health, {}, {}, s.time};
    }
    // Totals of the events up to last_seq, counted with it (snapshot.hpp): each event after it is
    // then counted once, including one that raced the snapshot and already shows in its actors.
    overview_.spawned = s.published.spawned;
    overview_.stopped = s.published.stopped;
    overview_.failures = s.published.failures;
    overview_.restarts = s.published.restarts;
    overview_.dead_letters = s.published.dead_letters;
    overview_.overflows = s.published.overflows;
    overview_.max_restarts_exceeded = s.published.max_restarts_exceeded;
    overview_.escalations = s.published.escalations;
    overview_.engine = s.counters;
    links_.load(s.links, s.time);
    overview_.links_connected = links_.connected();
    // What lives outside the engine (a cluster's members and activations), restated as events:
    // folded as they would have been, so a dashboard attached late shows the same tables.
    for (const Event& e : s.standing) fold_one(e);
    overview_.last_seq = s.last_seq;
    overview_.last_time = s.time;
    ignore_up_to_ = s.last_seq;
    have_seq_ = true;
    last_processed_ = s.counters.processed;
    have_processed_ = true;
    series_.advance_to(s.time);
    refresh_levels();
}

void Model::fold(std::span<const Event> events) {
    for (const Event& e : events) fold(e);
}

void Model::fold(const Event& e) {
    if (const auto* m = e.as<EventsMissed>()) {
        // Published outside the sequence (seq 0): it names the range instead. Only the part
        // after what the model already holds (a snapshot may cover some of it) is missing.
        have_seq_ = true;
        if (m->count == 0) return;
        const std::uint64_t last = m->first_seq + m->count - 1;
        const std::uint64_t first = std::max(m->first_seq, ignore_up_to_ + 1);
        if (last < first) return;
        series_.advance_to(e.time);
        gap(first, last - first + 1, e.time);
        ignore_up_to_ = last;
        overview_.last_seq = last;
        return;
    }
    // A snapshot and the events read after it overlap; so do repeated reads. Seen is seen.
    if (e.seq <= ignore_up_to_) return;
    if (!have_seq_) {
        have_seq_ = true;
        // Watching from the engine's first event: processed started at 0, a known baseline.
        if (e.seq == 1 && !have_processed_) have_processed_ = true;
    }
    series_.advance_to(e.time);  // before folding, so a level change lands in the right bucket
    if (e.seq > ignore_up_to_ + 1) gap(ignore_up_to_ + 1, e.seq - ignore_up_to_ - 1, e.time);
    ignore_up_to_ = e.seq;
    overview_.last_seq = e.seq;
    overview_.last_time = e.time;
    ++overview_.events_folded;
    // Panels show the name a person wrote, not the demangled path to it (type_name.hpp).
    if (std::optional<Event> readable = with_short_type_names(e)) {
        log_.append(*readable);
        fold_one(*readable);
    } else {
        log_.append(e);
        fold_one(e);
    }
    overview_.live_actors = table_.live();
    overview_.unhealthy_actors = table_.unhealthy();
}

void Model::fold_one(const Event& e) {
    const std::uint64_t seq = e.seq;
    const TimePoint t = e.time;
    std::visit(Overloaded{
                   [&](const ActorSpawned& x) {
                       const ActorRow* before = table_.find(x.pid);
                       const bool fresh = before == nullptr || before->placeholder;
                       table_.on_spawned(x, t, seq);
                       // Counted even when the row came from the snapshot: its totals stop at last_seq.
                       ++overview_.spawned;
                       if (fresh) series_.add(Series::spawns, t, 1);
                   },
                   [&](const ActorStarted& x) { table_.on_started(x, seq); },
                   [&](const ActorStopped& x) {
                       const ActorRow* before = table_.find(x.pid);
                       ++overview_.stopped;  // one event, one stop (a stop that raced the snapshot too)
                       if (before != nullptr && before->stopped()) return;  // the row shows it already
                       table_.on_stopped(x, t, seq);
                       series_.add(Series::stops, t, 1);
                       if (health_.erase(x.pid.id) > 0) refresh_levels();
                   },
                   [&](const DeadLetter& x) {
                       dead_letters_.add(seq, t, x);
                       ++overview_.dead_letters;
                       series_.add(Series::dead_letters, t, 1);
                   },
                   [&](const MailboxOverflow&) { ++overview_.overflows; },
                   [&](const ActorFailed& x) {
                       table_.on_failed(x, seq);
                       ++overview_.failures;
                   },
                   [&](const ActorRestarted& x) {
                       table_.on_restarted(x, seq);
                       ++overview_.restarts;
                       series_.add(Series::restarts, t, 1);
                   },
                   [&](const ActorResumed& x) { table_.on_resumed(x, seq); },
                   [&](const MaxRestartsExceeded&) { ++overview_.max_restarts_exceeded; },
                   [&](const Escalated&) { ++overview_.escalations; },
                   [&](const ActorUnhealthy& x) { health_changed(e, x.pid, x.signal, true, x.measured, &x.detail); },
                   [&](const ActorHealthy& x) { health_changed(e, x.pid, x.signal, false, x.measured, nullptr); },
                   [&](const CustomEvent&) {},
                   [&](const StatsSampled& x) {
                       for (const ActorSample& a : x.actors) table_.on_sample(a, x.interval, seq);
                       table_.end_sample(seq);
                       overview_.engine = x.counters;
                       if (!x.links.empty()) {
                           links_.on_sample(x.links, t, seq);
                           overview_.links_connected = links_.connected();
                       }
                       const std::uint64_t processed = x.counters.processed;
                       if (have_processed_ && processed >= last_processed_)
                           series_.add(Series::messages, t, static_cast<double>(processed - last_processed_));
                       last_processed_ = processed;
                       have_processed_ = true;
                   },
                   [&](const EventsMissed&) {},  // handled in fold()
                   [&](const NodeConnected& x) {
                       links_.on_connected(x, t, seq);
                       overview_.links_connected = links_.connected();
                   },
                   [&](const NodeDisconnected& x) {
                       links_.on_disconnected(x, t, seq);
                       overview_.links_connected = links_.connected();
                   },
                   [&](const NodeDown& x) {
                       links_.on_down(x, t, seq);
                       ++overview_.links_down;
                       overview_.links_connected = links_.connected();
                   },
                   [&](const LinkReplayed& x) { links_.on_replayed(x, seq); },
                   [&](const MemberJoined& x) {
                       members_.on_joined(x, t, seq);
                       overview_.members_up = members_.up();
                   },
                   [&](const MemberLeft& x) {
                       members_.on_left(x, t, seq);
                       placements_.on_member_left(x, t, seq);
                       if (x.reason == MemberLeftReason::lease_expired) ++overview_.members_lost;
                       overview_.members_up = members_.up();
                   },
                   [&](const ActivationStarted& x) { placements_.on_started(x, t, seq); },
                   [&](const ActivationStopped& x) { placements_.on_stopped(x, t, seq); },
               },
               e.body);
}

void Model::health_changed(const Event& e, Pid pid, HealthSignal signal, bool raised, Duration measured,
                           const std::string* detail) {
    const ActorRow* row = table_.on_health(pid, signal, raised, e.seq);
    if (row == nullptr) return;
    if (row->health == 0) {
        health_.erase(pid.id);
    } else {
        auto [it, inserted] = health_.try_emplace(pid.id);
        HealthEntry& h = it->second;
        if (inserted) h.since = e.time;
        h.pid = row->pid;
        h.signals = row->health;
        h.measured = measured;
        if (detail != nullptr) h.detail = *detail;
    }
    refresh_levels();
}

void Model::refresh_levels() {
    series_.set_level(Series::unhealthy, static_cast<double>(table_.unhealthy()));
    overview_.unhealthy_actors = table_.unhealthy();
    overview_.live_actors = table_.live();
}

void Model::gap(std::uint64_t first_seq, std::uint64_t count, TimePoint t) {
    log_.append_gap(first_seq, count, t);
    overview_.missed_events += count;
}

void Model::advance_to(TimePoint now) { series_.advance_to(now); }

std::vector<HealthEntry> Model::unhealthy() const {
    std::vector<HealthEntry> out;
    out.reserve(health_.size());
    for (const auto& [id, h] : health_) {
        out.push_back(h);
        // The name may have arrived after the signal (a placeholder filled in by its spawn).
        if (const ActorRow* row = table_.find(h.pid)) {
            out.back().name = row->name;
            out.back().pid = row->pid;
        }
    }
    std::sort(out.begin(), out.end(), [](const HealthEntry& a, const HealthEntry& b) {
        return a.since != b.since ? a.since < b.since : a.pid.id < b.pid.id;
    });
    return out;
}

}  // namespace actors::dashboard
