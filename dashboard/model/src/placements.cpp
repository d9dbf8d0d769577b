#include "dashboard/placements.hpp"

#include <algorithm>
#include <tuple>

namespace actors::dashboard {

namespace {
bool before(const PlacementRow& r, const std::pair<const std::string*, const std::string*>& k) {
    return std::tie(r.kind, r.identity) < std::tie(*k.first, *k.second);
}
}  // namespace

PlacementRow& Placements::row(const std::string& kind, const std::string& identity) {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), std::make_pair(&kind, &identity), before);
    if (it == rows_.end() || it->kind != kind || it->identity != identity) {
        it = rows_.insert(it, PlacementRow{});
        it->kind = kind;
        it->identity = identity;
    }
    return *it;
}

void Placements::on_started(const ActivationStarted& e, TimePoint t, std::uint64_t seq) {
    PlacementRow& r = row(e.kind, e.identity);
    r.member = e.member;
    r.pid = e.pid;
    r.active = true;
    r.since = t;
    ++r.activations;
    r.last_seq = seq;
}

void Placements::on_stopped(const ActivationStopped& e, TimePoint t, std::uint64_t seq) {
    PlacementRow& r = row(e.kind, e.identity);
    // A stop of an older activation (elsewhere) than the one we show must not hide the new one.
    if (r.active && (r.member != e.member || r.pid != e.pid) && r.activations > 0) return;
    r.member = e.member;
    r.pid = e.pid;
    r.active = false;
    r.stop_reason = e.reason;
    r.since = t;
    r.last_seq = seq;
}

void Placements::on_member_left(const MemberLeft& e, TimePoint t, std::uint64_t seq) {
    for (PlacementRow& r : rows_)
        if (r.active && r.member == e.member) {
            r.active = false;
            r.stop_reason = e.reason == MemberLeftReason::graceful ? ActivationStopReason::handed_over : ActivationStopReason::lost;
            r.since = t;
            r.last_seq = seq;
        }
}

const PlacementRow* Placements::find(const std::string& kind, const std::string& identity) const noexcept {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), std::make_pair(&kind, &identity), before);
    return it != rows_.end() && it->kind == kind && it->identity == identity ? &*it : nullptr;
}

std::size_t Placements::active() const noexcept {
    return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [](const PlacementRow& r) { return r.active; }));
}

std::size_t Placements::active_on(const std::string& member) const noexcept {
    return static_cast<std::size_t>(
        std::count_if(rows_.begin(), rows_.end(), [&](const PlacementRow& r) { return r.active && r.member == member; }));
}

}  // namespace actors::dashboard
