#include "registry.hpp"

#include <algorithm>

#include "actors/error.hpp"

namespace actors::detail {

void Registry::add(const Ref<Cell>& cell) {
    {
        std::lock_guard lock(names_mutex_);
        auto [it, inserted] = names_.try_emplace(cell->name(), cell->pid());
        if (!inserted)
            throw ActorError(Error{ErrorCode::invalid_argument, "an actor named '" + cell->name() + "' already exists (" +
                                                                    it->second.to_string() + "); names must be unique among live actors"});
    }
    Shard& s = shard(cell->pid().id);
    std::lock_guard lock(s.mutex);
    s.cells.emplace(cell->pid().id, cell);
}

void Registry::remove(const Cell& cell) {
    {
        std::lock_guard lock(names_mutex_);
        auto it = names_.find(cell.name());
        if (it != names_.end() && it->second.same_actor(cell.pid())) names_.erase(it);
    }
    Ref<Cell> doomed;  // released outside the lock: it may be the last reference
    Shard& s = shard(cell.pid().id);
    std::lock_guard lock(s.mutex);
    auto it = s.cells.find(cell.pid().id);
    if (it != s.cells.end()) {
        doomed = std::move(it->second);
        s.cells.erase(it);
    }
}

Ref<Cell> Registry::find(std::uint64_t id) const {
    Shard& s = shard(id);
    std::lock_guard lock(s.mutex);
    auto it = s.cells.find(id);
    return it == s.cells.end() ? Ref<Cell>{} : it->second;
}

std::optional<Pid> Registry::lookup(std::string_view name) const {
    std::lock_guard lock(names_mutex_);
    auto it = names_.find(name);
    if (it == names_.end()) return std::nullopt;
    return it->second;
}

std::vector<Ref<Cell>> Registry::all() const {
    std::vector<Ref<Cell>> out;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        for (auto& [id, cell] : s.cells) out.push_back(cell);
    }
    std::sort(out.begin(), out.end(), [](const Ref<Cell>& a, const Ref<Cell>& b) { return a->pid().id < b->pid().id; });
    return out;
}

std::size_t Registry::size() const {
    std::size_t n = 0;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        n += s.cells.size();
    }
    return n;
}

}  // namespace actors::detail
