#include "actors/event.hpp"

#include <chrono>

namespace actors {

const char* to_string(DeadLetterReason r) noexcept {
    switch (r) {
        case DeadLetterReason::no_such_actor: return "no_such_actor";
        case DeadLetterReason::actor_stopped: return "actor_stopped";
        case DeadLetterReason::mailbox_full: return "mailbox_full";
        case DeadLetterReason::engine_stopped: return "engine_stopped";
        case DeadLetterReason::handler_failed: return "handler_failed";
        case DeadLetterReason::remote_restarted: return "remote_restarted";
        case DeadLetterReason::remote_unreachable: return "remote_unreachable";
        case DeadLetterReason::unknown_type: return "unknown_type";
        case DeadLetterReason::remote_maybe_delivered: return "remote_maybe_delivered";
    }
    return "unknown";
}

const char* to_string(StopReason r) noexcept {
    switch (r) {
        case StopReason::requested: return "requested";
        case StopReason::parent_stopped: return "parent_stopped";
        case StopReason::failed: return "failed";
        case StopReason::engine_shutdown: return "engine_shutdown";
        case StopReason::node_down: return "node_down";
    }
    return "unknown";
}

const char* to_string(MemberLeftReason r) noexcept {
    switch (r) {
        case MemberLeftReason::graceful: return "graceful";
        case MemberLeftReason::lease_expired: return "lease_expired";
    }
    return "unknown";
}

const char* to_string(ActivationStopReason r) noexcept {
    switch (r) {
        case ActivationStopReason::passivated: return "passivated";
        case ActivationStopReason::handed_over: return "handed_over";
        case ActivationStopReason::lost: return "lost";
        case ActivationStopReason::failed: return "failed";
        case ActivationStopReason::shutdown: return "shutdown";
    }
    return "unknown";
}

namespace {
struct KindName {
    const char* operator()(const ActorSpawned&) const { return "spawned"; }
    const char* operator()(const ActorStarted&) const { return "started"; }
    const char* operator()(const ActorStopped&) const { return "stopped"; }
    const char* operator()(const DeadLetter&) const { return "dead_letter"; }
    const char* operator()(const MailboxOverflow&) const { return "mailbox_overflow"; }
    const char* operator()(const ActorFailed&) const { return "failed"; }
    const char* operator()(const ActorRestarted&) const { return "restarted"; }
    const char* operator()(const ActorResumed&) const { return "resumed"; }
    const char* operator()(const MaxRestartsExceeded&) const { return "max_restarts_exceeded"; }
    const char* operator()(const Escalated&) const { return "escalated"; }
    const char* operator()(const ActorUnhealthy&) const { return "unhealthy"; }
    const char* operator()(const ActorHealthy&) const { return "healthy"; }
    const char* operator()(const CustomEvent&) const { return "custom"; }
    const char* operator()(const StatsSampled&) const { return "stats"; }
    const char* operator()(const EventsMissed&) const { return "events_missed"; }
    const char* operator()(const NodeConnected&) const { return "node_connected"; }
    const char* operator()(const NodeDisconnected&) const { return "node_disconnected"; }
    const char* operator()(const NodeDown&) const { return "node_down"; }
    const char* operator()(const LinkReplayed&) const { return "link_replayed"; }
    const char* operator()(const MemberJoined&) const { return "member_joined"; }
    const char* operator()(const MemberLeft&) const { return "member_left"; }
    const char* operator()(const ActivationStarted&) const { return "activation_started"; }
    const char* operator()(const ActivationStopped&) const { return "activation_stopped"; }
};

std::string ms(Duration d) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return std::to_string(us / 1000) + "." + std::to_string((us % 1000) / 100) + "ms";
}

struct Describe {
    std::string operator()(const ActorSpawned& e) const {
        return e.pid.to_string() + " name=" + e.name + (e.parent ? " parent=" + e.parent.to_string() : "");
    }
    std::string operator()(const ActorStarted& e) const { return e.pid.to_string(); }
    std::string operator()(const ActorStopped& e) const {
        return e.pid.to_string() + " reason=" + to_string(e.reason) + (e.detail.empty() ? "" : " (" + e.detail + ")");
    }
    std::string operator()(const DeadLetter& e) const {
        return "target=" + e.target.to_string() + " sender=" + (e.sender ? e.sender.to_string() : "-") +
               " type=" + e.message_type + " reason=" + to_string(e.reason);
    }
    std::string operator()(const MailboxOverflow& e) const {
        return e.pid.to_string() + " capacity=" + std::to_string(e.capacity) + " policy=" + to_string(e.policy) +
               " type=" + e.message_type;
    }
    std::string operator()(const ActorFailed& e) const {
        return e.pid.to_string() + " error=\"" + e.error + "\"" + (e.message_type.empty() ? "" : " type=" + e.message_type);
    }
    std::string operator()(const ActorRestarted& e) const {
        return e.pid.to_string() + " restarts=" + std::to_string(e.restarts) + " total=" + std::to_string(e.total_restarts) +
               " delay=" + ms(e.delay) + " next_delay=" + ms(e.next_delay) + " generation=" + std::to_string(e.pid.generation) +
               (e.reason.empty() ? "" : " reason=\"" + e.reason + "\"");
    }
    std::string operator()(const ActorResumed& e) const {
        return e.pid.to_string() + (e.reason.empty() ? "" : " after \"" + e.reason + "\"");
    }
    std::string operator()(const MaxRestartsExceeded& e) const {
        return e.pid.to_string() + " restarts=" + std::to_string(e.restarts) + " window=" + ms(e.window);
    }
    std::string operator()(const Escalated& e) const {
        return "from=" + e.from.to_string() + " to=" + (e.to ? e.to.to_string() : std::string("root")) + " reason=\"" + e.reason + "\"";
    }
    std::string operator()(const ActorUnhealthy& e) const {
        return e.pid.to_string() + " signal=" + to_string(e.signal) + " measured=" + ms(e.measured) +
               (e.detail.empty() ? "" : " (" + e.detail + ")");
    }
    std::string operator()(const ActorHealthy& e) const {
        return e.pid.to_string() + " signal=" + to_string(e.signal) + " measured=" + ms(e.measured);
    }
    std::string operator()(const CustomEvent& e) const {
        return (e.source ? e.source.to_string() + " " : "") + "topic=" + e.topic + " data=" + e.data;
    }
    std::string operator()(const StatsSampled& e) const {
        return "live=" + std::to_string(e.counters.live_actors) + " sent=" + std::to_string(e.counters.sent) +
               " processed=" + std::to_string(e.counters.processed) + " in_flight=" + std::to_string(e.counters.in_flight) +
               " changed=" + std::to_string(e.actors.size()) + (e.links.empty() ? "" : " links=" + std::to_string(e.links.size()));
    }
    std::string operator()(const EventsMissed& e) const {
        return "first=" + std::to_string(e.first_seq) + " count=" + std::to_string(e.count);
    }
    std::string operator()(const NodeConnected& e) const {
        return "node=" + e.node + " incarnation=" + std::to_string(e.incarnation) + " alias=" + std::to_string(e.alias) +
               (e.restarted ? " restarted" : "");
    }
    std::string operator()(const NodeDisconnected& e) const { return "node=" + e.node + " reason=\"" + e.reason + "\""; }
    std::string operator()(const NodeDown& e) const { return "node=" + e.node + " reason=\"" + e.reason + "\""; }
    std::string operator()(const LinkReplayed& e) const { return "node=" + e.node + " count=" + std::to_string(e.count); }
    std::string operator()(const MemberJoined& e) const {
        std::string kinds;
        for (const std::string& k : e.kinds) kinds += (kinds.empty() ? "" : ",") + k;
        return "member=" + e.member + " address=" + e.address + " kinds=" + (kinds.empty() ? "-" : kinds);
    }
    std::string operator()(const MemberLeft& e) const {
        return "member=" + e.member + " address=" + e.address + " reason=" + to_string(e.reason);
    }
    std::string operator()(const ActivationStarted& e) const {
        return "kind=" + e.kind + " identity=" + e.identity + " member=" + e.member + " pid=" + e.pid.to_string();
    }
    std::string operator()(const ActivationStopped& e) const {
        return "kind=" + e.kind + " identity=" + e.identity + " member=" + e.member + " pid=" + e.pid.to_string() +
               " reason=" + to_string(e.reason);
    }
};
}  // namespace

const char* kind_name(const EventBody& body) noexcept { return std::visit(KindName{}, body); }

std::string describe(const Event& e) {
    return "#" + std::to_string(e.seq) + " " + kind_name(e.body) + " " + std::visit(Describe{}, e.body);
}

}  // namespace actors
