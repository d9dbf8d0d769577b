#include "dashboard/event_log.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace actors::dashboard {

namespace {
// Same words as actors::kind_name, by variant index, plus the gap.
constexpr std::array<const char*, kEventKinds + 1> kLabels = {
    "spawned", "started", "stopped", "dead_letter", "mailbox_overflow", "failed", "restarted", "resumed",
    "max_restarts_exceeded", "escalated", "unhealthy", "healthy", "custom", "stats", "events_missed", "node_connected", "node_disconnected", "node_down", "link_replayed", "member_joined", "member_left", "activation_started", "activation_stopped", "gap"};
static_assert(kEventKinds + 1 <= 32, "LogFilter::kinds is a 32-bit mask");

std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool names(const Pid& p, std::uint64_t id) noexcept { return p.valid() && p.id == id; }

struct NamesActor {
    std::uint64_t id;
    bool operator()(const ActorSpawned& e) const { return names(e.pid, id) || names(e.parent, id); }
    bool operator()(const ActorStarted& e) const { return names(e.pid, id); }
    bool operator()(const ActorStopped& e) const { return names(e.pid, id); }
    bool operator()(const DeadLetter& e) const { return names(e.target, id) || names(e.sender, id); }
    bool operator()(const MailboxOverflow& e) const { return names(e.pid, id); }
    bool operator()(const ActorFailed& e) const { return names(e.pid, id); }
    bool operator()(const ActorRestarted& e) const { return names(e.pid, id); }
    bool operator()(const ActorResumed& e) const { return names(e.pid, id); }
    bool operator()(const MaxRestartsExceeded& e) const { return names(e.pid, id); }
    bool operator()(const Escalated& e) const { return names(e.from, id) || names(e.to, id); }
    bool operator()(const ActorUnhealthy& e) const { return names(e.pid, id); }
    bool operator()(const ActorHealthy& e) const { return names(e.pid, id); }
    bool operator()(const CustomEvent& e) const { return names(e.source, id); }
    // A sample is about the whole engine; listing every sample under every busy actor would bury
    // the events that are about it.
    bool operator()(const StatsSampled&) const { return false; }
    bool operator()(const EventsMissed&) const { return false; }
    // Links are about a whole node, not one actor.
    bool operator()(const NodeConnected&) const { return false; }
    bool operator()(const NodeDisconnected&) const { return false; }
    bool operator()(const NodeDown&) const { return false; }
    bool operator()(const LinkReplayed&) const { return false; }
    bool operator()(const MemberJoined&) const { return false; }
    bool operator()(const MemberLeft&) const { return false; }
    // An activation is an actor of the watched engine when its member is this one.
    bool operator()(const ActivationStarted& e) const { return names(e.pid, id); }
    bool operator()(const ActivationStopped& e) const { return names(e.pid, id); }
};
}  // namespace

const char* kind_label(EventKind k) noexcept { return k < kLabels.size() ? kLabels[k] : "unknown"; }

EventKind kind_of(const LogEntry& entry) noexcept {
    return entry.missed > 0 || entry.event.is<EventsMissed>() ? kGapKind : entry.event.body.index();
}

std::string describe(const LogEntry& entry) {
    if (kind_of(entry) == kGapKind) {
        const std::uint64_t first = entry.event.seq, count = entry.missed;
        return "#" + std::to_string(first) + " gap: " + std::to_string(count) + " event" + (count == 1 ? "" : "s") +
               " missed (#" + std::to_string(first) + "..#" + std::to_string(first + count - 1) + ")";
    }
    std::string text = actors::describe(entry.event);
    if (entry.event.is<StatsSampled>()) {
        // The kept copy has no actor list; put the count it had back into " changed=N".
        const std::string_view key = " changed=";
        if (auto at = text.rfind(key); at != std::string::npos)
            text.replace(at + key.size(), std::string::npos, std::to_string(entry.sampled_actors));
    }
    return text;
}

bool names_actor(const Event& e, std::uint64_t actor_id) noexcept {
    return actor_id != 0 && std::visit(NamesActor{actor_id}, e.body);
}

EventLog::EventLog(std::size_t capacity) : per_kind_(kEventKinds + 1, 0) {
    if (capacity == 0) throw std::invalid_argument("EventLog: capacity must be at least 1");
    ring_.resize(capacity);
}

void EventLog::append(const Event& e) {
    LogEntry& slot = ring_[appended_ % ring_.size()];
    slot.event.seq = e.seq;
    slot.event.time = e.time;
    slot.missed = 0;
    slot.sampled_actors = 0;
    if (const auto* s = e.as<StatsSampled>()) {
        // Copy everything but the per-actor list (see LogEntry::sampled_actors).
        if (auto* kept = std::get_if<StatsSampled>(&slot.event.body)) {
            kept->interval = s->interval;
            kept->counters = s->counters;
        } else {
            slot.event.body.emplace<StatsSampled>(StatsSampled{s->interval, s->counters, {}, {}});
        }
        slot.sampled_actors = s->actors.size();
    } else {
        // Assigning over the slot keeps its string buffers when the kind repeats.
        slot.event.body = e.body;
        if (const auto* m = e.as<EventsMissed>()) slot.missed = m->count;
    }
    ++per_kind_[kind_of(slot)];
    ++appended_;
}

void EventLog::append_gap(std::uint64_t first_seq, std::uint64_t count, TimePoint t) {
    if (count == 0) return;
    LogEntry& slot = ring_[appended_ % ring_.size()];
    slot.event.seq = first_seq;
    slot.event.time = t;
    slot.event.body.emplace<EventsMissed>(EventsMissed{first_seq, count});
    slot.missed = count;
    slot.sampled_actors = 0;
    ++per_kind_[kGapKind];
    ++appended_;
}

void EventLog::clear() {
    // Keeps the ring's slots (and their buffers); only the count says what is in it.
    appended_ = 0;
    paused_at_.reset();
    frozen_.clear();
    frozen_text_.clear();
    std::fill(text_of_.begin(), text_of_.end(), 0);  // append numbers start over
    std::fill(per_kind_.begin(), per_kind_.end(), 0);
}

void EventLog::pause() noexcept {
    if (paused_at_) return;
    try {
        frozen_.clear();
        frozen_.reserve(std::min<std::uint64_t>(appended_, ring_.size()));
        const std::size_t held = static_cast<std::size_t>(std::min<std::uint64_t>(appended_, ring_.size()));
        for (std::size_t i = 0; i < held; ++i) frozen_.push_back(live_entry(i));
        frozen_text_.assign(frozen_.size(), std::string{});
        paused_at_ = appended_;
    } catch (...) {
        // Out of memory for the copy: stay live rather than show half a log.
        frozen_.clear();
    }
}

void EventLog::resume() noexcept {
    paused_at_.reset();
    frozen_.clear();
    frozen_text_.clear();
}

std::size_t EventLog::size() const noexcept {
    if (paused_at_) return frozen_.size();
    return static_cast<std::size_t>(std::min<std::uint64_t>(appended_, ring_.size()));
}

const LogEntry& EventLog::live_entry(std::size_t index) const {
    const std::uint64_t oldest = appended_ > ring_.size() ? appended_ - ring_.size() : 0;
    return ring_[(oldest + index) % ring_.size()];
}

const LogEntry& EventLog::entry(std::size_t index) const {
    if (index >= size()) throw std::out_of_range("EventLog::entry: index " + std::to_string(index) + " of " + std::to_string(size()));
    return paused_at_ ? frozen_[index] : live_entry(index);
}

const std::string& EventLog::text_of(std::size_t index) const {
    if (paused_at_) {
        std::string& t = frozen_text_[index];
        if (t.empty()) t = lowercase(describe(frozen_[index]));
        return t;
    }
    if (text_.size() != ring_.size()) {
        text_.resize(ring_.size());
        text_of_.assign(ring_.size(), 0);
    }
    const std::uint64_t number = (appended_ > ring_.size() ? appended_ - ring_.size() : 0) + index;
    const std::size_t slot = static_cast<std::size_t>(number % ring_.size());
    if (text_of_[slot] != number + 1) {
        text_[slot] = lowercase(describe(ring_[slot]));
        text_of_[slot] = number + 1;
    }
    return text_[slot];
}

void EventLog::query(const LogFilter& f, std::vector<std::size_t>& out) const {
    out.clear();
    const std::size_t n = size();
    out.reserve(n);
    const std::string needle = lowercase(f.text);
    for (std::size_t i = 0; i < n; ++i) {
        const LogEntry& e = paused_at_ ? frozen_[i] : live_entry(i);
        if (((f.kinds >> kind_of(e)) & 1u) == 0) continue;
        if (f.actor && !names_actor(e.event, *f.actor)) continue;
        // Last, and only when asked: the text is the one expensive test.
        if (!needle.empty() && text_of(i).find(needle) == std::string::npos) continue;
        out.push_back(i);
    }
}

std::uint64_t EventLog::count_of(EventKind k) const noexcept { return k < per_kind_.size() ? per_kind_[k] : 0; }

}  // namespace actors::dashboard
