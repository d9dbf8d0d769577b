#include "dashboard/members.hpp"

#include <algorithm>

namespace actors::dashboard {

MemberRow& Members::row(const std::string& name) {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), name, [](const MemberRow& r, const std::string& n) { return r.name < n; });
    if (it == rows_.end() || it->name != name) {
        it = rows_.insert(it, MemberRow{});
        it->name = name;
    }
    return *it;
}

void Members::on_joined(const MemberJoined& e, TimePoint t, std::uint64_t seq) {
    MemberRow& r = row(e.member);
    r.address = e.address;
    r.kinds = e.kinds;
    r.up = true;
    r.since = t;
    ++r.joins;
    r.last_seq = seq;
}

void Members::on_left(const MemberLeft& e, TimePoint t, std::uint64_t seq) {
    MemberRow& r = row(e.member);
    // A leave of a member never seen joining (the dashboard started late) still gets its row.
    if (!e.address.empty()) r.address = e.address;
    r.up = false;
    r.left_reason = e.reason;
    r.since = t;
    r.last_seq = seq;
}

const MemberRow* Members::find(const std::string& name) const noexcept {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), name, [](const MemberRow& r, const std::string& n) { return r.name < n; });
    return it != rows_.end() && it->name == name ? &*it : nullptr;
}

std::size_t Members::up() const noexcept {
    return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [](const MemberRow& r) { return r.up; }));
}

}  // namespace actors::dashboard
