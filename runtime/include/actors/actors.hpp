#pragma once
// Everything a user of the runtime needs, in one include. Logging is not part of it: it brings
// spdlog and fmt into every file that includes it. Include "actors/log.hpp" where you want
// EventLogger or the library's logger().

#include "actors/actor.hpp"
#include "actors/actor_ref.hpp"
#include "actors/clock.hpp"
#include "actors/context.hpp"
#include "actors/cooperative_scheduler.hpp"
#include "actors/engine.hpp"
#include "actors/engine_config.hpp"
#include "actors/error.hpp"
#include "actors/event.hpp"
#include "actors/event_stream.hpp"
#include "actors/future.hpp"
#include "actors/mailbox_options.hpp"
#include "actors/message.hpp"
#include "actors/pid.hpp"
#include "actors/pool.hpp"
#include "actors/scheduler.hpp"
#include "actors/send_status.hpp"
#include "actors/snapshot.hpp"
#include "actors/spawn_options.hpp"
#include "actors/supervision.hpp"
#include "actors/health.hpp"
#include "actors/middleware.hpp"
#include "actors/timer.hpp"
#include "actors/thread_pool_scheduler.hpp"
