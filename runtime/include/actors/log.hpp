#pragma once
// Logging goes through spdlog. The engine writes its own diagnostics (a hook that threw while
// stopping, a subscriber callback that threw) to logger(); EventLogger turns the event stream
// into log lines.

#include <memory>

#include <spdlog/logger.h>

#include "actors/event_stream.hpp"

namespace actors {

// The library's logger, named "actors": the one registered with spdlog under that name, or a
// colour stderr logger made on first use. Register your own "actors" logger to redirect it.
std::shared_ptr<spdlog::logger> logger();

// Logs every event of a stream while it lives: dead letters and overflows as warnings, failures
// as errors, lifecycle at debug (spawned/started) and info (stopped), custom events at info.
class EventLogger {
public:
    explicit EventLogger(EventStream& stream, std::shared_ptr<spdlog::logger> log = logger());
    ~EventLogger();
    EventLogger(const EventLogger&) = delete;
    EventLogger& operator=(const EventLogger&) = delete;

    [[nodiscard]] static spdlog::level::level_enum level_of(const EventBody& body) noexcept;

private:
    EventStream& stream_;
    SubscriptionId id_;
};

}  // namespace actors
