#include "dashboard/actor_table.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cctype>
#include <charconv>
#include <string_view>
#include <system_error>

namespace actors::dashboard {

namespace {
bool contains_ci(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != haystack.end();
}

// Pid::to_string without the allocation: the text filter runs over every row every frame.
std::string_view print_pid(const Pid& p, std::array<char, 64>& buf) {
    char* out = buf.data();
    char* const end = buf.data() + buf.size();
    // 64 bytes always fit "<u32.u64.u32>"; the checks are for the compiler's sake.
    const auto put = [&](char c) {
        if (out != end) *out++ = c;
    };
    const auto number = [&](auto v) {
        if (auto r = std::to_chars(out, end, v); r.ec == std::errc{}) out = r.ptr;
    };
    put('<');
    number(p.node);
    put('.');
    number(p.id);
    put('.');
    number(p.generation);
    put('>');
    return {buf.data(), static_cast<std::size_t>(out - buf.data())};
}

// Non-negative doubles order like their bit patterns. (memcpy, not std::bit_cast: the
// emscripten 3.1.6 libc++ does not have it.)
std::uint64_t ordered_bits(double rate) noexcept {
    const double v = rate > 0 ? rate : 0.0;
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

bool alive(const ActorRow& r) noexcept { return r.state != ActorState::stopped; }

void follow_generation(ActorRow& row, const Pid& pid) noexcept {
    // Any event may be the first to carry a new generation (a restart whose new instance failed
    // to start publishes ActorFailed, not ActorRestarted), and an older one never goes back.
    if (pid.generation > row.pid.generation) row.pid = pid;
}
}  // namespace

ActorTable::ActorTable(std::size_t stopped_rows_kept) : stopped_rows_kept_(stopped_rows_kept) {}

void ActorTable::clear() {
    rows_.clear();
    index_.clear();
    live_ = 0;
    unhealthy_ = 0;
    stopped_order_.clear();
    rated_.clear();
    rated_next_.clear();
}

ActorRow* ActorTable::find_mut(Pid pid) {
    auto it = index_.find(pid.id);
    return it == index_.end() ? nullptr : &rows_[it->second];
}

const ActorRow* ActorTable::find(Pid pid) const {
    auto it = index_.find(pid.id);
    return it == index_.end() ? nullptr : &rows_[it->second];
}

ActorRow& ActorTable::insert(ActorRow row) {
    const std::uint64_t id = row.pid.id;
    const bool stopped = row.stopped();
    if (stopped) row.health = 0;
    if (!stopped) ++live_;
    if (row.health != 0) ++unhealthy_;
    index_[id] = rows_.size();
    rows_.push_back(std::move(row));
    // The caller evicts (only load() inserts a stopped row): evicting here could remove the very
    // row this returns when stopped_rows_kept is 0.
    if (stopped) stopped_order_.push_back(id);
    return rows_.back();
}

void ActorTable::load(const ActorInfo& info, TimePoint now) {
    if (ActorRow* old = find_mut(info.pid)) {
        // Loading over a row: take it out of the totals first, then re-add it as the snapshot says.
        const std::size_t position = index_.at(info.pid.id);
        if (alive(*old)) --live_;
        if (old->health != 0) --unhealthy_;
        if (old->stopped()) std::erase(stopped_order_, info.pid.id);
        index_.erase(info.pid.id);
        if (position + 1 != rows_.size()) {
            rows_[position] = std::move(rows_.back());
            index_[rows_[position].pid.id] = position;
        }
        rows_.pop_back();
    }
    ActorRow row;
    row.pid = info.pid;
    row.name = info.name;
    row.parent = info.parent;
    row.state = info.state;
    row.mailbox_depth = info.mailbox_depth;
    row.mailbox_high_water = info.mailbox_depth;
    row.mailbox_capacity = info.mailbox_capacity;
    row.counters = info.counters;
    row.failures = info.failures;
    row.restarts = info.restarts;
    row.health = info.health;
    row.last_error = info.last_error;
    row.children = info.children;
    row.spawned_at = now;  // not in the snapshot: "known since"
    if (row.stopped()) row.stopped_at = now;
    insert(std::move(row));
    evict_stopped();
}

ActorRow* ActorTable::on_spawned(const ActorSpawned& e, TimePoint t, std::uint64_t seq) {
    ActorRow* row = find_mut(e.pid);
    bool may_be_listed = false;
    if (!row) {
        ActorRow fresh;
        fresh.pid = e.pid;
        fresh.name = e.name;
        fresh.parent = e.parent;
        fresh.state = ActorState::starting;
        fresh.mailbox_capacity = e.mailbox_capacity;
        fresh.spawned_at = t;
        fresh.last_event_seq = seq;
        row = &insert(std::move(fresh));
    } else if (row->placeholder) {
        row->name = e.name;
        row->parent = e.parent;
        row->mailbox_capacity = e.mailbox_capacity;
        row->spawned_at = t;
        row->placeholder = false;
        row->last_event_seq = std::max(row->last_event_seq, seq);
        may_be_listed = true;
    } else {
        // Seen already (the snapshot raced this event): the row knows more than the event does.
        row->last_event_seq = std::max(row->last_event_seq, seq);
        return row;
    }
    if (e.parent.valid()) {
        const Pid child = row->pid;
        if (ActorRow* parent = find_mut(e.parent)) {
            // A brand-new row can not be listed yet, so the common case skips the search (a pool
            // parent may have thousands of children).
            const bool listed = may_be_listed && std::any_of(parent->children.begin(), parent->children.end(),
                                                             [&](const Pid& c) { return c.same_actor(child); });
            if (!listed) parent->children.push_back(child);
            row = find_mut(child);
        }
    }
    return row;
}

ActorRow* ActorTable::on_started(const ActorStarted& e, std::uint64_t seq) {
    ActorRow* row = &touch(e.pid, ActorState::running, seq);
    if (alive(*row)) row->state = ActorState::running;
    return row;
}

ActorRow* ActorTable::on_stopped(const ActorStopped& e, TimePoint t, std::uint64_t seq) {
    ActorRow* row = find_mut(e.pid);
    if (!row) return nullptr;
    row->last_event_seq = std::max(row->last_event_seq, seq);
    if (row->stopped()) return row;
    follow_generation(*row, e.pid);
    row->state = ActorState::stopped;
    row->stop_reason = e.reason;
    row->stop_detail = e.detail;
    row->stopped_at = t;
    row->mailbox_depth = 0;
    row->processed_per_second = 0;
    // A stopped actor is not "unhealthy": nothing more will clear its signals.
    if (row->health != 0) --unhealthy_;
    row->health = 0;
    --live_;
    stopped_order_.push_back(e.pid.id);
    evict_stopped();
    return find_mut(e.pid);  // eviction moves rows; with stopped_rows_kept == 0 this one is gone
}

ActorRow* ActorTable::on_failed(const ActorFailed& e, std::uint64_t seq) {
    ActorRow* row = &touch(e.pid, ActorState::suspended, seq);
    // total_failures is the engine's own count: a failure the snapshot already showed (it raced
    // the snapshot's last_seq) leaves the row as it is instead of counting it again.
    row->failures = e.total_failures > 0 ? std::max(row->failures, e.total_failures) : row->failures + 1;
    row->last_error = e.error;
    // Waiting for its supervisor; a failure while stopping does not bring it back.
    if (row->state != ActorState::stopping && alive(*row)) row->state = ActorState::suspended;
    return row;
}

ActorRow* ActorTable::on_restarted(const ActorRestarted& e, std::uint64_t seq) {
    ActorRow* row = &touch(e.pid, ActorState::running, seq);
    // total_restarts is the engine's own count: it also covers restarts whose new instance failed
    // to start (no ActorRestarted for those) and a restart the snapshot already counted.
    row->restarts = e.total_restarts > 0 ? e.total_restarts : row->restarts + 1;
    if (alive(*row)) row->state = ActorState::running;
    return row;
}

ActorRow* ActorTable::on_resumed(const ActorResumed& e, std::uint64_t seq) {
    ActorRow* row = &touch(e.pid, ActorState::running, seq);
    if (alive(*row)) row->state = ActorState::running;
    return row;
}

ActorRow* ActorTable::on_health(Pid pid, HealthSignal signal, bool raised, std::uint64_t seq) {
    // A healthy actor we never saw: nothing worth a row.
    if (!raised && !find_mut(pid)) return nullptr;
    ActorRow* row = &touch(pid, ActorState::running, seq);
    if (!alive(*row)) return row;
    const auto bit = static_cast<std::uint8_t>(signal);
    const std::uint8_t before = row->health;
    row->health = raised ? static_cast<std::uint8_t>(before | bit) : static_cast<std::uint8_t>(before & ~bit);
    if (before == 0 && row->health != 0) ++unhealthy_;
    if (before != 0 && row->health == 0) --unhealthy_;
    return row;
}

ActorRow* ActorTable::on_sample(const ActorSample& s, Duration interval, std::uint64_t seq) {
    ActorRow* row = &touch(s.pid, ActorState::running, seq);
    // A placeholder's counters before its first sample are unknown, not zero: no rate from them.
    const bool baseline = !row->placeholder || row->samples > 0;
    const double seconds = std::chrono::duration<double>(interval).count();
    // Samples list only actors that moved, so everything since the counters we hold happened
    // within this one interval.
    row->processed_per_second = baseline && seconds > 0 && s.counters.processed >= row->counters.processed
                                    ? static_cast<double>(s.counters.processed - row->counters.processed) / seconds
                                    : 0.0;
    row->counters = s.counters;
    if (alive(*row)) row->mailbox_depth = s.mailbox_depth;
    row->mailbox_high_water = std::max(row->mailbox_high_water, s.mailbox_depth);
    ++row->samples;
    if (row->processed_per_second > 0) {
        // Without end_sample() calls this list would only grow; past any sensible size, forget it.
        if (rated_next_.size() > 2 * rows_.size() + 16) rated_next_.clear();
        rated_next_.push_back(s.pid.id);
    }
    return row;
}

void ActorTable::end_sample(std::uint64_t seq) {
    for (std::uint64_t id : rated_) {
        auto it = index_.find(id);
        if (it == index_.end()) continue;
        ActorRow& row = rows_[it->second];
        if (row.last_event_seq != seq) row.processed_per_second = 0;
    }
    rated_.swap(rated_next_);
    rated_next_.clear();
}

ActorRow& ActorTable::touch(Pid pid, ActorState unseen, std::uint64_t seq) {
    ActorRow* row = find_mut(pid);
    if (!row) row = &placeholder(pid, unseen);
    follow_generation(*row, pid);
    row->last_event_seq = std::max(row->last_event_seq, seq);
    return *row;
}

ActorRow& ActorTable::placeholder(Pid pid, ActorState state) {
    ActorRow row;
    row.pid = pid;
    row.name = "?";
    row.state = state;
    row.placeholder = true;
    return insert(std::move(row));
}

void ActorTable::evict_stopped() {
    while (stopped_order_.size() > stopped_rows_kept_) {
        const std::uint64_t id = stopped_order_.front();
        stopped_order_.pop_front();
        auto it = index_.find(id);
        if (it != index_.end() && rows_[it->second].stopped()) remove_row(it->second);
    }
}

void ActorTable::remove_row(std::size_t position) {
    ActorRow& row = rows_[position];
    const Pid pid = row.pid;
    if (row.parent.valid()) {
        if (ActorRow* parent = find_mut(row.parent)) {
            // The oldest stopped go first, and they tend to be the oldest children: search from the front.
            auto c = std::find_if(parent->children.begin(), parent->children.end(), [&](const Pid& p) { return p.same_actor(pid); });
            if (c != parent->children.end()) parent->children.erase(c);
        }
    }
    if (alive(row)) --live_;
    if (row.health != 0) --unhealthy_;
    index_.erase(pid.id);
    if (position + 1 != rows_.size()) {
        rows_[position] = std::move(rows_.back());
        index_[rows_[position].pid.id] = position;
    }
    rows_.pop_back();
}

std::vector<Pid> ActorTable::roots() const {
    std::vector<Pid> out;
    for (const ActorRow& r : rows_)
        if (!r.parent.valid() || !index_.contains(r.parent.id)) out.push_back(r.pid);
    // Ids are handed out in spawn order.
    std::sort(out.begin(), out.end(), [](const Pid& a, const Pid& b) { return a.id < b.id; });
    return out;
}

void ActorTable::query(const ActorQuery& q, std::vector<std::size_t>& out) const {
    out.clear();
    out.reserve(rows_.size());
    std::array<char, 64> buf{};
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const ActorRow& r = rows_[i];
        if (!q.include_stopped && r.stopped()) continue;
        if (q.only_unhealthy && r.health == 0) continue;
        if (q.only_failing && r.failures == 0) continue;
        if (!q.text.empty() && !contains_ci(r.name, q.text) && !contains_ci(print_pid(r.pid, buf), q.text)) continue;
        out.push_back(i);
    }

    if (q.sort == ActorColumn::name) {
        std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
            const ActorRow& x = rows_[a];
            const ActorRow& y = rows_[b];
            if (int c = x.name.compare(y.name); c != 0) return q.descending ? c > 0 : c < 0;
            return x.pid.id < y.pid.id;
        });
        return;
    }

    // Every other column is a number: sort compact (key, id, index) triples instead of chasing
    // rows, which keeps 10,000 rows well inside a frame.
    struct Keyed {
        std::uint64_t key;
        std::uint64_t id;
        std::size_t index;
    };
    const auto key_of = [&](const ActorRow& r) -> std::uint64_t {
        switch (q.sort) {
            case ActorColumn::pid: return r.pid.id;
            case ActorColumn::state: return static_cast<std::uint64_t>(r.state);
            case ActorColumn::mailbox: return r.mailbox_depth;
            case ActorColumn::high_water: return r.mailbox_high_water;
            case ActorColumn::processed: return r.counters.processed;
            case ActorColumn::rate: return ordered_bits(r.processed_per_second);
            case ActorColumn::failures: return r.failures;
            case ActorColumn::restarts: return r.restarts;
            case ActorColumn::generation: return r.pid.generation;
            case ActorColumn::health: return static_cast<std::uint64_t>(std::popcount(r.health)) << 8 | r.health;
            case ActorColumn::recent: return r.last_event_seq;
            case ActorColumn::name: break;
        }
        return 0;
    };
    std::vector<Keyed> keyed;
    keyed.reserve(out.size());
    for (std::size_t i : out) {
        const std::uint64_t k = key_of(rows_[i]);
        keyed.push_back(Keyed{q.descending ? ~k : k, rows_[i].pid.id, i});
    }
    std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
        return a.key != b.key ? a.key < b.key : a.id < b.id;
    });
    for (std::size_t i = 0; i < keyed.size(); ++i) out[i] = keyed[i].index;
}

}  // namespace actors::dashboard
