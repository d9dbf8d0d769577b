#pragma once
// The membership provider interface: a member joins with its name, address and kinds, learns who
// else is there (a list and a stream of changes) and leaves gracefully; plus the activation
// arbiter that virtual actors build on: at most one owner per identity, bound to the owner's
// membership, so an owner that dies releases its identities with it.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/event.hpp"
#include "cluster/member.hpp"

namespace actors::cluster {

struct MembershipChange {
    enum class Kind { joined, left } kind = Kind::joined;
    Member member;
    MemberLeftReason reason = MemberLeftReason::graceful;  // for `left`
};

struct ClaimResult {
    bool won = false;   // this member owns the identity now (or already did)
    std::string owner;  // who owns it
};

// After the store came back and this member's lease had lapsed: it registered again and tried to
// take back the identities it held; the ones another member won meanwhile are lost.
struct Reregistered {
    std::vector<std::string> kept;
    std::vector<std::string> lost;
};

using ChangeHandler = std::function<void(const MembershipChange&)>;
using ReregisteredHandler = std::function<void(const Reregistered&)>;

class MembershipProvider {
public:
    virtual ~MembershipProvider() = default;

    virtual void join(Member self) = 0;
    // Graceful: releases this member's identities and its key; the others see reason graceful.
    virtual void leave() = 0;
    [[nodiscard]] virtual bool joined() const = 0;
    // The members as last known (kept while the store is unreachable), sorted by name.
    [[nodiscard]] virtual std::vector<Member> members() const = 0;
    // Handlers run on the thread that drives the provider, never while it holds a lock.
    virtual void on_change(ChangeHandler h) = 0;
    virtual void on_reregistered(ReregisteredHandler h) = 0;

    // Put-if-absent of `identity` bound to this member's membership. Throws ClusterError
    // (cluster_unavailable at once while the store is known to be unreachable).
    virtual ClaimResult claim(const std::string& identity) = 0;
    [[nodiscard]] virtual std::optional<std::string> owner(const std::string& identity) = 0;
    // Hands an identity over: deletes it if this member owns it; returns whether it did.
    virtual bool release(const std::string& identity) = 0;
};

}  // namespace actors::cluster
