#include "cluster/store_membership.hpp"

#include <algorithm>

#include "cluster/cluster_error.hpp"

namespace actors::cluster {

// Changes found under the lock, handed to handlers and the event stream after it is released.
struct StoreMembership::Pending {
    std::vector<MembershipChange> changes;
    std::optional<Reregistered> rereg;
};

StoreMembership::StoreMembership(std::shared_ptr<Store> store, StoreMembershipOptions options)
    : store_(std::move(store)), options_(std::move(options)), backoff_(options_.min_backoff) {
    if (!store_) throw ClusterError(ClusterErrorCode::invalid_argument, "StoreMembership needs a store");
    if (options_.ttl < std::chrono::seconds(1))
        throw ClusterError(ClusterErrorCode::invalid_argument, "StoreMembershipOptions::ttl must be at least 1 s (etcd's lease granularity)");
    if (options_.min_backoff <= Duration::zero() || options_.max_backoff < options_.min_backoff)
        throw ClusterError(ClusterErrorCode::invalid_argument, "StoreMembershipOptions: need 0 < min_backoff <= max_backoff");
    if (options_.prefix.empty() || options_.prefix.back() != '/')
        throw ClusterError(ClusterErrorCode::invalid_argument, "StoreMembershipOptions::prefix must end with '/'");
    // A dashboard that attaches later learns the members from the snapshot.
    if (options_.events)
        standing_ = options_.events->add_standing([this](std::vector<EventBody>& out) {
            for (const Member& m : members()) out.push_back(MemberJoined{m.name, m.address, m.kinds});
        });
}

StoreMembership::~StoreMembership() {
    if (options_.events) options_.events->remove_standing(standing_);
}

bool StoreMembership::joined() const {
    std::lock_guard lock(mutex_);
    return self_.has_value();
}

bool StoreMembership::available() const {
    std::lock_guard lock(mutex_);
    return available_;
}

MembershipStats StoreMembership::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

std::vector<Member> StoreMembership::members() const {
    std::lock_guard lock(mutex_);
    std::vector<Member> out;
    for (const auto& [name, m] : members_) out.push_back(m);
    return out;
}

void StoreMembership::on_change(ChangeHandler h) {
    std::lock_guard lock(mutex_);
    change_handlers_.push_back(std::move(h));
}

void StoreMembership::on_reregistered(ReregisteredHandler h) {
    std::lock_guard lock(mutex_);
    rereg_handlers_.push_back(std::move(h));
}

void StoreMembership::join(Member self) {
    check_member(self);
    Pending p;
    {
        std::lock_guard lock(mutex_);
        if (self_) throw ClusterError(ClusterErrorCode::invalid_argument, "already joined as '" + self_->name + "'");
        // The store may refuse: then nothing changed and the caller may try again. A member that
        // restarts before its old lease lapsed overwrites its own key (same name, new lease).
        self_ = std::move(self);
        try {
            register_self(p);
            resync(p);
        } catch (...) {
            self_.reset();
            throw;
        }
        available_ = true;
    }
    deliver(p);
}

void StoreMembership::register_self(Pending& out) {
    const LeaseId old = lease_;
    lease_ = store_->grant(options_.ttl);
    store_->put(member_key(self_->name), encode_member(*self_, false), lease_);
    lease_lost_ = false;
    if (held_.empty() && old == 0) return;
    Reregistered r;
    for (const std::string& id : held_) {
        auto holder = store_->put_if_absent(identity_key(id), self_->name, lease_);
        if (!holder) {
            r.kept.push_back(id);
        } else if (holder->value == self_->name) {
            // Still ours on a lease we gave up for dead (etcd extends leases over its own restart):
            // move it to the new lease, or it would vanish when the old one finally lapses.
            if (holder->lease != lease_) store_->put(identity_key(id), self_->name, lease_);
            r.kept.push_back(id);
        } else {
            r.lost.push_back(id);
        }
    }
    for (const std::string& id : r.lost) held_.erase(id);
    if (old != 0 && old != lease_) {
        try {
            store_->revoke(old);  // whatever is still bound to it is no longer ours
        } catch (const ClusterError&) {
        }
    }
    out.rereg = std::move(r);
}

void StoreMembership::resync(Pending& out) {
    RangeResult r = store_->range(options_.prefix + "members/");
    std::map<std::string, std::string> now;
    const std::string head = options_.prefix + "members/";
    for (const KeyValue& kv : r.kvs) now[kv.key.substr(head.size())] = kv.value;
    std::vector<std::string> gone;
    for (const auto& [name, m] : members_)
        if (!now.count(name)) gone.push_back(name);
    for (const std::string& name : gone) remove(name, out);
    for (const auto& [name, value] : now) upsert(name, value, out);
    watch_ = store_->watch(head, r.revision);
}

void StoreMembership::upsert(const std::string& name, const std::string& value, Pending& out) {
    MemberRecord rec;
    try {
        rec = decode_member(name, value);
    } catch (const ClusterError& e) {
        ++stats_.bad_entries;
        stats_.last_bad_entry = e.what();
        return;
    }
    if (rec.leaving) {
        leaving_.insert(name);
        return;
    }
    leaving_.erase(name);
    auto it = members_.find(name);
    if (it != members_.end() && it->second == rec.member) return;
    if (it != members_.end()) {
        // Same name, new record (it came back elsewhere): to observers that is a leave and a join.
        out.changes.push_back(MembershipChange{MembershipChange::Kind::left, it->second, MemberLeftReason::lease_expired});
    }
    members_[name] = rec.member;
    out.changes.push_back(MembershipChange{MembershipChange::Kind::joined, rec.member, {}});
}

void StoreMembership::remove(const std::string& name, Pending& out) {
    auto it = members_.find(name);
    const bool graceful = leaving_.erase(name) > 0;
    if (it == members_.end()) return;
    out.changes.push_back(MembershipChange{MembershipChange::Kind::left, it->second,
                                           graceful ? MemberLeftReason::graceful : MemberLeftReason::lease_expired});
    members_.erase(it);
}

void StoreMembership::apply(const WatchEvent& e, Pending& out) {
    const std::string head = options_.prefix + "members/";
    if (e.kv.key.compare(0, head.size(), head) != 0) return;
    const std::string name = e.kv.key.substr(head.size());
    if (e.type == WatchEvent::Type::put) upsert(name, e.kv.value, out);
    else remove(name, out);
}

void StoreMembership::failed_call(TimePoint now) {
    available_ = false;
    ++stats_.keepalive_failures;
    next_keepalive_ = now + backoff_;
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
    // Past its TTL without a renewal the store has dropped the lease (if it is alive at all).
    if (now - last_renewed_ >= options_.ttl) lease_lost_ = true;
}

void StoreMembership::tick(TimePoint now) {
    Pending p;
    std::unique_ptr<Watch> old_watch;
    {
        std::lock_guard lock(mutex_);
        if (!self_) return;
        if (now >= next_keepalive_) {
            try {
                if (!lease_lost_ && !store_->keep_alive(lease_)) lease_lost_ = true;
                if (lease_lost_) {
                    register_self(p);
                    ++stats_.reregistrations;
                    if (!p.rereg) p.rereg = Reregistered{};
                }
                if (!available_ || !watch_ || watch_->broken()) {
                    old_watch = std::move(watch_);
                    resync(p);
                }
                available_ = true;
                backoff_ = options_.min_backoff;
                last_renewed_ = now;
                next_keepalive_ = now + options_.ttl / 3;
            } catch (const ClusterError& e) {
                if (e.code() != ClusterErrorCode::cluster_unavailable) throw;
                failed_call(now);
            }
        }
        if (available_ && watch_) {
            if (watch_->broken()) {
                // The stream ended: the next tick renews and reads the prefix afresh.
                available_ = false;
                next_keepalive_ = now;
            } else {
                for (const WatchEvent& e : watch_->poll()) apply(e, p);
            }
        }
    }
    old_watch.reset();  // outside the lock: an etcd watch joins its reader thread
    deliver(p);
}

void StoreMembership::require_usable() const {
    if (!self_) throw ClusterError(ClusterErrorCode::not_joined, "this member has not joined the cluster");
    if (!available_ || lease_lost_)
        throw ClusterError(ClusterErrorCode::cluster_unavailable, "the store is unreachable; retry after it answers again");
}

ClaimResult StoreMembership::claim(const std::string& identity) {
    check_identity(identity);
    std::lock_guard lock(mutex_);
    require_usable();
    try {
        auto holder = store_->put_if_absent(identity_key(identity), self_->name, lease_);
        if (!holder) {
            held_.insert(identity);
            return ClaimResult{true, self_->name};
        }
        if (holder->value.empty() || holder->value.size() > max_member_name)
            throw ClusterError(ClusterErrorCode::bad_data, "identity '" + identity.substr(0, 40) + "' has an owner value of " +
                                                               std::to_string(holder->value.size()) + " bytes");
        if (holder->value == self_->name) held_.insert(identity);
        return ClaimResult{holder->value == self_->name, holder->value};
    } catch (const ClusterError& e) {
        if (e.code() == ClusterErrorCode::cluster_unavailable) available_ = false;
        throw;
    }
}

std::optional<std::string> StoreMembership::owner(const std::string& identity) {
    check_identity(identity);
    std::lock_guard lock(mutex_);
    require_usable();
    try {
        auto kv = store_->get(identity_key(identity));
        if (!kv) return std::nullopt;
        if (kv->value.empty() || kv->value.size() > max_member_name)
            throw ClusterError(ClusterErrorCode::bad_data, "identity '" + identity.substr(0, 40) + "' has an owner value of " +
                                                               std::to_string(kv->value.size()) + " bytes");
        return kv->value;
    } catch (const ClusterError& e) {
        if (e.code() == ClusterErrorCode::cluster_unavailable) available_ = false;
        throw;
    }
}

bool StoreMembership::release(const std::string& identity) {
    check_identity(identity);
    std::lock_guard lock(mutex_);
    require_usable();
    try {
        const bool done = store_->erase_if(identity_key(identity), self_->name);
        held_.erase(identity);
        return done;
    } catch (const ClusterError& e) {
        if (e.code() == ClusterErrorCode::cluster_unavailable) available_ = false;
        throw;
    }
}

void StoreMembership::leave() {
    Pending p;
    std::unique_ptr<Watch> old_watch;
    {
        std::lock_guard lock(mutex_);
        if (!self_) return;
        // Marked first, so watchers can tell this from a lapsed lease when the key goes.
        store_->put(member_key(self_->name), encode_member(*self_, true), lease_);
        for (const std::string& id : held_) store_->erase_if(identity_key(id), self_->name);
        held_.clear();
        store_->revoke(lease_);
        p.changes.push_back(MembershipChange{MembershipChange::Kind::left, *self_, MemberLeftReason::graceful});
        self_.reset();
        lease_ = 0;
        members_.clear();
        leaving_.clear();
        old_watch = std::move(watch_);
    }
    old_watch.reset();
    deliver(p);
}

void StoreMembership::deliver(Pending& p) {
    std::vector<ChangeHandler> ch;
    std::vector<ReregisteredHandler> rh;
    {
        std::lock_guard lock(mutex_);
        ch = change_handlers_;
        rh = rereg_handlers_;
    }
    for (const MembershipChange& c : p.changes) {
        if (options_.events) {
            if (c.kind == MembershipChange::Kind::joined)
                options_.events->publish(MemberJoined{c.member.name, c.member.address, c.member.kinds});
            else
                options_.events->publish(MemberLeft{c.member.name, c.member.address, c.reason});
        }
        for (auto& h : ch) h(c);
    }
    if (p.rereg)
        for (auto& h : rh) h(*p.rereg);
}

namespace {
struct MembershipTick {};
}  // namespace

Pid drive(Engine& engine, StoreMembership& m, Duration interval, std::string name) {
    Pid pid = engine.spawn_fn(std::move(name), [&m](Context& ctx, Message& msg) {
        if (msg.is<MembershipTick>()) m.tick(ctx.now());
    });
    engine.send_repeat(interval, pid, MembershipTick{});
    return pid;
}

}  // namespace actors::cluster
