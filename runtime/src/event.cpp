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
    }
    return "unknown";
}

const char* to_string(StopReason r) noexcept {
    switch (r) {
        case StopReason::requested: return "requested";
        case StopReason::parent_stopped: return "parent_stopped";
        case StopReason::failed: return "failed";
        case StopReason::engine_shutdown: return "engine_shutdown";
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
    const char* operator()(const CustomEvent&) const { return "custom"; }
    const char* operator()(const EventsMissed&) const { return "events_missed"; }
};

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
    std::string operator()(const CustomEvent& e) const {
        return (e.source ? e.source.to_string() + " " : "") + "topic=" + e.topic + " data=" + e.data;
    }
    std::string operator()(const EventsMissed& e) const {
        return "first=" + std::to_string(e.first_seq) + " count=" + std::to_string(e.count);
    }
};
}  // namespace

const char* kind_name(const EventBody& body) noexcept { return std::visit(KindName{}, body); }

std::string describe(const Event& e) {
    return "#" + std::to_string(e.seq) + " " + kind_name(e.body) + " " + std::visit(Describe{}, e.body);
}

}  // namespace actors
