#include "registry.hpp"

#include <algorithm>

#include "actors/error.hpp"

namespace actors::detail {

namespace {
// "$<id>" is the name an unnamed top-level actor gets. The id is in the name, so such an actor is
// found through the id shards and the name table holds no entry (a string node) for it.
std::optional<std::uint64_t> id_in_name(std::string_view name) {
    if (name.size() < 2 || name[0] != '$' || name[1] == '0') return std::nullopt;
    std::uint64_t v = 0;
    for (char c : name.substr(1)) {
        if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10) return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
}

[[noreturn]] void name_taken(const std::string& name, const Pid& holder) {
    throw InvalidArgument("an actor named '" + name + "' already exists (" + holder.to_string() +
                                                            "); names must be unique among live actors");
}
}  // namespace

void Registry::add(const Ref<Cell>& cell) {
    const std::string& name = cell->name();
    const std::uint64_t id = cell->pid().id;
    const std::optional<std::uint64_t> named_id = id_in_name(name);
    // All under the names lock (then a shard's), so two spawns never both take one name.
    std::lock_guard names(names_mutex_);
    if (named_id == id) {
        if (auto it = names_.find(name); it != names_.end()) name_taken(name, it->second);
    } else {
        if (named_id)
            if (Ref<Cell> holder = find(*named_id); holder && holder->name() == name) name_taken(name, holder->pid());
        auto [it, inserted] = names_.try_emplace(name, cell->pid());
        if (!inserted) name_taken(name, it->second);
    }
    Shard& s = shard(id);
    std::lock_guard lock(s.mutex);
    s.cells.emplace(id, cell);
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
    {
        std::lock_guard lock(names_mutex_);
        auto it = names_.find(name);
        if (it != names_.end()) return it->second;
    }
    const std::optional<std::uint64_t> id = id_in_name(name);
    if (!id) return std::nullopt;
    if (Ref<Cell> cell = find(*id); cell && cell->name() == name) return cell->pid();
    return std::nullopt;
}

std::vector<Ref<Cell>> Registry::all(bool in_id_order) const {
    std::vector<Ref<Cell>> out;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        for (auto& [id, cell] : s.cells) out.push_back(cell);
    }
    if (in_id_order)
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
