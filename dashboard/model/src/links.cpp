#include "dashboard/links.hpp"

#include <algorithm>

namespace actors::dashboard {

const char* to_string(LinkState s) noexcept {
    switch (s) {
        case LinkState::connected: return "connected";
        case LinkState::disconnected: return "disconnected";
        case LinkState::down: return "down";
    }
    return "?";
}

namespace {
LinkState state_of(const LinkStats& l) {
    if (l.connected) return LinkState::connected;
    return l.down ? LinkState::down : LinkState::disconnected;
}
}  // namespace

LinkRow& Links::row(const std::string& node, bool* created) {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), node, [](const LinkRow& r, const std::string& n) { return r.node < n; });
    const bool fresh = it == rows_.end() || it->node != node;
    if (fresh) {
        it = rows_.insert(it, LinkRow{});
        it->node = node;
        it->stats.node = node;
    }
    if (created) *created = fresh;
    return *it;
}

void Links::load(const std::vector<LinkStats>& links, TimePoint t) {
    rows_.clear();
    for (const LinkStats& l : links) {
        LinkRow& r = row(l.node);
        r.stats = l;
        r.state = state_of(l);
        r.since = t;
    }
}

void Links::on_connected(const NodeConnected& e, TimePoint t, std::uint64_t seq) {
    LinkRow& r = row(e.node);
    r.state = LinkState::connected;
    r.reason.clear();
    r.alias = e.alias;
    r.stats.incarnation = e.incarnation;
    r.stats.connected = true;
    r.stats.down = false;
    ++r.connects;
    if (e.restarted) ++r.restarts;
    r.since = t;
    r.last_seq = seq;
}

void Links::on_disconnected(const NodeDisconnected& e, TimePoint t, std::uint64_t seq) {
    LinkRow& r = row(e.node);
    // A link already down stays down: the disconnect is part of the same outage.
    if (r.state != LinkState::down) r.state = LinkState::disconnected;
    r.reason = e.reason;
    r.stats.connected = false;
    r.since = t;
    r.last_seq = seq;
}

void Links::on_down(const NodeDown& e, TimePoint t, std::uint64_t seq) {
    LinkRow& r = row(e.node);
    r.state = LinkState::down;
    r.reason = e.reason;
    r.stats.connected = false;
    r.stats.down = true;
    r.since = t;
    r.last_seq = seq;
}

void Links::on_replayed(const LinkReplayed& e, std::uint64_t seq) {
    LinkRow& r = row(e.node);
    ++r.replay_events;
    r.replayed += e.count;
    r.last_seq = seq;
}

void Links::on_sample(const std::vector<LinkStats>& links, TimePoint t, std::uint64_t seq) {
    for (const LinkStats& l : links) {
        bool created = false;
        LinkRow& r = row(l.node, &created);
        const bool connected = r.stats.connected, down = r.stats.down;
        r.stats = l;
        if (created) {
            r.state = state_of(l);
            r.since = t;
        } else {
            r.stats.connected = connected;
            r.stats.down = down;
        }
        r.last_seq = seq;
    }
}

const LinkRow* Links::find(const std::string& node) const noexcept {
    auto it = std::lower_bound(rows_.begin(), rows_.end(), node, [](const LinkRow& r, const std::string& n) { return r.node < n; });
    return it != rows_.end() && it->node == node ? &*it : nullptr;
}

std::size_t Links::connected() const noexcept {
    return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [](const LinkRow& r) { return r.state == LinkState::connected; }));
}

}  // namespace actors::dashboard
