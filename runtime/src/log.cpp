#include "actors/log.hpp"

#include "actors/future.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace actors {

std::shared_ptr<spdlog::logger> logger() {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto existing = spdlog::get("actors")) return existing;
    auto made = spdlog::stderr_color_mt("actors");
    return made;
}

spdlog::level::level_enum EventLogger::level_of(const EventBody& body) noexcept {
    struct Visitor {
        spdlog::level::level_enum operator()(const ActorSpawned&) const { return spdlog::level::debug; }
        spdlog::level::level_enum operator()(const ActorStarted&) const { return spdlog::level::debug; }
        spdlog::level::level_enum operator()(const ActorStopped& s) const {
            return s.reason == StopReason::failed ? spdlog::level::warn : spdlog::level::info;
        }
        spdlog::level::level_enum operator()(const DeadLetter&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const MailboxOverflow&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const ActorFailed&) const { return spdlog::level::err; }
        spdlog::level::level_enum operator()(const ActorRestarted&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const ActorResumed&) const { return spdlog::level::info; }
        spdlog::level::level_enum operator()(const MaxRestartsExceeded&) const { return spdlog::level::err; }
        spdlog::level::level_enum operator()(const Escalated&) const { return spdlog::level::err; }
        spdlog::level::level_enum operator()(const ActorUnhealthy&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const ActorHealthy&) const { return spdlog::level::info; }
        spdlog::level::level_enum operator()(const CustomEvent&) const { return spdlog::level::info; }
        // Periodic and frequent: logging every sample would drown the events that matter.
        spdlog::level::level_enum operator()(const StatsSampled&) const { return spdlog::level::trace; }
        spdlog::level::level_enum operator()(const EventsMissed&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const NodeConnected&) const { return spdlog::level::info; }
        spdlog::level::level_enum operator()(const NodeDisconnected&) const { return spdlog::level::warn; }
        spdlog::level::level_enum operator()(const NodeDown&) const { return spdlog::level::err; }
        spdlog::level::level_enum operator()(const LinkReplayed&) const { return spdlog::level::info; }
        spdlog::level::level_enum operator()(const MemberJoined&) const { return spdlog::level::info; }
        spdlog::level::level_enum operator()(const MemberLeft& m) const {
            return m.reason == MemberLeftReason::lease_expired ? spdlog::level::warn : spdlog::level::info;
        }
        // One per activation: as frequent as first messages to identities, so below info.
        spdlog::level::level_enum operator()(const ActivationStarted&) const { return spdlog::level::debug; }
        spdlog::level::level_enum operator()(const ActivationStopped& a) const {
            return a.reason == ActivationStopReason::lost || a.reason == ActivationStopReason::failed ? spdlog::level::warn
                                                                                                       : spdlog::level::debug;
        }
    };
    return std::visit(Visitor{}, body);
}

EventLogger::EventLogger(EventStream& stream, std::shared_ptr<spdlog::logger> log)
    : stream_(stream), id_(stream.subscribe([log = std::move(log)](const Event& e) {
          auto level = level_of(e.body);
          if (log->should_log(level)) log->log(level, "{}", describe(e));
      })) {}

EventLogger::~EventLogger() { stream_.unsubscribe(id_); }

}  // namespace actors

namespace actors::detail {

void report_continuation_exception(std::exception_ptr e) noexcept {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        logger()->error("a Future continuation threw (ignored): {}", ex.what());
    } catch (...) {
        logger()->error("a Future continuation threw a non-standard exception (ignored)");
    }
}

}  // namespace actors::detail
