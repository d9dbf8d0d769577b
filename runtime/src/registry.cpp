#include "registry.hpp"

#include <algorithm>

#include "actors/error.hpp"

namespace actors::detail {

namespace {
// "$<id>" is the name an unnamed top-level actor has. The id is in the name, so such an actor is
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

void add_to(EngineCounters& into, const ActorCounters& c) {
    into.sent += c.received;
    into.processed += c.processed;
    into.dead_lettered += c.dead_lettered;
    into.dropped += c.dropped;
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Table

void Registry::Table::insert(Cell* c) {
    // Up to 7/8 full: ids are sequential, and Fibonacci hashing spreads them evenly, so probe
    // runs stay short; 9 to 18 bytes an actor.
    if ((count_ + 1) * 8 > slots_.size() * 7) rehash(std::max<std::size_t>(16, slots_.size() * 2));
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home(c->id());
    while (slots_[i]) i = (i + 1) & mask;
    slots_[i] = c;
    ++count_;
}

Cell* Registry::Table::find(std::uint64_t id) const noexcept {
    if (slots_.empty()) return nullptr;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = home(id); slots_[i]; i = (i + 1) & mask)
        if (slots_[i]->id() == id) return slots_[i];
    return nullptr;
}

void Registry::Table::erase(Cell* c) noexcept {
    if (slots_.empty()) return;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = home(c->id());
    while (slots_[i] && slots_[i] != c) i = (i + 1) & mask;
    if (!slots_[i]) return;
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    for (std::size_t j = (i + 1) & mask; slots_[j]; j = (j + 1) & mask) {
        const std::size_t k = home(slots_[j]->id());
        const bool movable = i <= j ? (k <= i || k > j) : (k <= i && k > j);
        if (movable) {
            slots_[i] = slots_[j];
            i = j;
        }
    }
    slots_[i] = nullptr;
    --count_;
    // Give memory back once most actors are gone (a burst of a million short-lived ones).
    if (slots_.size() > 64 && count_ * 8 < slots_.size()) rehash(slots_.size() / 2);
}

void Registry::Table::rehash(std::size_t capacity) {
    std::vector<Cell*> old = std::exchange(slots_, std::vector<Cell*>(capacity, nullptr));
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(capacity));
    count_ = 0;
    for (Cell* c : old)
        if (c) insert(c);
}

// ---------------------------------------------------------------------------------------------
// Registry

Registry::~Registry() {
    // Cells still registered when the engine goes (an actor that never finished stopping):
    // drop the registry's references; each destructor takes its cell out of its table.
    std::vector<Cell*> held;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        s.cells.each([&](Cell* c) {
            if (!c->registered_) return;
            c->registered_ = false;
            held.push_back(c);
        });
    }
    for (Cell* c : held) c->release();
}

void Registry::add(Cell& cell) {
    const std::uint64_t id = cell.id();
    Shard& s = shard(id);
    if (!cell.has_registered_name()) {
        {
            std::lock_guard lock(s.mutex);
            s.cells.insert(&cell);
            cell.registered_ = true;
            ++s.live;
        }
        cell.retain();
        // Its name "$<id>" could only be taken by an actor given that name explicitly. Either
        // such a spawn sees this cell in its shard, or this one sees its count (both sides fence).
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (dollar_names_.load(std::memory_order_relaxed) == 0) return;
        std::lock_guard names(names_mutex_);
        const std::string name = "$" + std::to_string(id);
        if (auto it = names_.find(name); it != names_.end()) {
            const Pid holder = it->second;
            remove(cell);
            name_taken(name, holder);
        }
        return;
    }
    const std::string& name = cell.name();
    const std::optional<std::uint64_t> named_id = id_in_name(name);
    // All under the names lock (then a shard's), so two spawns never both take one name.
    std::lock_guard names(names_mutex_);
    if (named_id) {
        dollar_names_.fetch_add(1, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (Ref<Cell> holder = find(*named_id); holder && holder->name_text() == name) {
            dollar_names_.fetch_sub(1, std::memory_order_relaxed);
            name_taken(name, holder->pid());
        }
    }
    auto [it, inserted] = names_.try_emplace(name, cell.pid());
    if (!inserted) {
        if (named_id) dollar_names_.fetch_sub(1, std::memory_order_relaxed);
        name_taken(name, it->second);
    }
    std::lock_guard lock(s.mutex);
    s.cells.insert(&cell);
    cell.registered_ = true;
    ++s.live;
    cell.retain();
}

void Registry::remove(Cell& cell) {
    if (cell.has_registered_name()) {
        std::lock_guard lock(names_mutex_);
        const std::string& name = cell.name();
        auto it = names_.find(name);
        if (it != names_.end() && it->second.same_actor(cell.pid())) {
            names_.erase(it);
            if (id_in_name(name)) dollar_names_.fetch_sub(1, std::memory_order_relaxed);
        }
    }
    bool was = false;
    {
        Shard& s = shard(cell.id());
        std::lock_guard lock(s.mutex);
        was = std::exchange(cell.registered_, false);
        if (was) --s.live;
    }
    if (was) cell.release();  // outside the lock: it may be the last reference
}

void Registry::destroyed(Cell& cell) noexcept {
    Shard& s = shard(cell.id());
    std::lock_guard lock(s.mutex);
    s.cells.erase(&cell);
    add_to(s.retired, cell.counters());
}

Ref<Cell> Registry::find(std::uint64_t id) const {
    Shard& s = shard(id);
    std::lock_guard lock(s.mutex);
    Cell* c = s.cells.find(id);
    return c && c->registered_ ? Ref<Cell>(c) : Ref<Cell>{};
}

std::optional<Pid> Registry::lookup(std::string_view name) const {
    {
        std::lock_guard lock(names_mutex_);
        auto it = names_.find(name);
        if (it != names_.end()) return it->second;
    }
    const std::optional<std::uint64_t> id = id_in_name(name);
    if (!id) return std::nullopt;
    if (Ref<Cell> cell = find(*id); cell && !cell->has_registered_name() && cell->name_text() == name) return cell->pid();
    return std::nullopt;
}

std::vector<Ref<Cell>> Registry::all(bool in_id_order) const {
    std::vector<Ref<Cell>> out;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        s.cells.each([&](Cell* c) {
            if (c->registered_) out.emplace_back(c);
        });
    }
    if (in_id_order) std::sort(out.begin(), out.end(), [](const Ref<Cell>& a, const Ref<Cell>& b) { return a->id() < b->id(); });
    return out;
}

std::size_t Registry::size() const {
    std::size_t n = 0;
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        n += s.live;
    }
    return n;
}

void Registry::add_counters(EngineCounters& into) const {
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        into.sent += s.retired.sent;
        into.processed += s.retired.processed;
        into.dead_lettered += s.retired.dead_lettered;
        into.dropped += s.retired.dropped;
        s.cells.each([&](Cell* c) { add_to(into, c->counters()); });
    }
}

bool Registry::idle() const {
    for (auto& s : shards_) {
        std::lock_guard lock(s.mutex);
        bool busy = false;
        s.cells.each([&](Cell* c) { busy = busy || c->has_work(); });
        if (busy) return false;
    }
    return true;
}

}  // namespace actors::detail
