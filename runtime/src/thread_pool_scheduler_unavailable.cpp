// The scheduler seam for builds without threads (WebAssembly without -pthread): CMake compiles
// this file instead of thread_pool_scheduler.cpp, so no source needs a platform #ifdef. Engines
// default to the cooperative scheduler here; asking for the thread pool is a clear error.
#include <stdexcept>

#include "actors/thread_pool_scheduler.hpp"
#include "actors/error.hpp"

namespace actors {

SchedulerKind default_scheduler_kind() noexcept { return SchedulerKind::cooperative; }

struct ThreadPoolScheduler::Impl {};

ThreadPoolScheduler::ThreadPoolScheduler(unsigned, std::shared_ptr<Clock>, std::size_t) {
    throw InvalidArgument(
        "this build has no threads (single-threaded WebAssembly): the thread-pool scheduler is unavailable; "
        "use EngineConfig::cooperative(), the default here");
}

ThreadPoolScheduler::~ThreadPoolScheduler() = default;
const Clock& ThreadPoolScheduler::clock() const noexcept { std::terminate(); }
void ThreadPoolScheduler::schedule(Runnable&) {}
TimerId ThreadPoolScheduler::call_after(Duration, std::function<void()>) { return 0; }
bool ThreadPoolScheduler::cancel(TimerId) { return false; }
void ThreadPoolScheduler::shutdown() {}
unsigned ThreadPoolScheduler::worker_count() const noexcept { return 0; }

}  // namespace actors
