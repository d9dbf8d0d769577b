#include "actors/remote_router.hpp"

#include <atomic>

#include "engine_core.hpp"

namespace actors {

std::uint32_t allocate_node_id() noexcept {
    // One counter for engines and remote aliases alike, so no two ever share an id.
    static std::atomic<std::uint32_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

namespace detail {

void EngineCore::attach_router(std::shared_ptr<RemoteRouter> router) {
    std::lock_guard lock(router_mutex_);
    router_ = std::move(router);
    has_router_.store(router_ != nullptr, std::memory_order_release);
}

std::shared_ptr<RemoteRouter> EngineCore::router_for(std::uint32_t node) const {
    // Most engines never have a router: one relaxed load keeps the miss path of a local send
    // (a stopped actor, a typo'd Pid) as cheap as before.
    if (!has_router_.load(std::memory_order_acquire)) return nullptr;
    std::shared_ptr<RemoteRouter> router;
    {
        std::lock_guard lock(router_mutex_);
        router = router_;
    }
    if (router && router->routes(node)) return router;
    return nullptr;
}

std::vector<LinkStats> EngineCore::link_stats() const {
    if (!has_router_.load(std::memory_order_acquire)) return {};
    std::shared_ptr<RemoteRouter> router;
    {
        std::lock_guard lock(router_mutex_);
        router = router_;
    }
    return router ? router->link_stats() : std::vector<LinkStats>{};
}

}  // namespace detail
}  // namespace actors
