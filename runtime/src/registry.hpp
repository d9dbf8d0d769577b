#pragma once
// Registry: every cell of an engine by id (every send by Pid resolves through it) and named
// actors by name. Ids are sharded across independently locked tables so senders on different
// cores rarely meet on one lock.
//
// A shard's table holds each cell from spawn until it is destroyed, as a bare pointer (8 bytes
// an actor, no node allocation): registered (found by id, listed, holding one reference) from
// spawn until the actor retires, then unregistered while late senders may still hold it, so
// the engine's counters and its idleness see every cell that can still change them. A cell
// leaves its table in its destructor, handing its final counters to the shard's totals under
// the same lock, so a reader counts each cell exactly once.

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actors/stats.hpp"
#include "cell.hpp"
#include "ref.hpp"
#include "spin_lock.hpp"

namespace actors::detail {

class Registry {
public:
    Registry() = default;
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Registers a new cell (the registry takes a reference). Throws InvalidArgument when its
    // name is taken by a live actor.
    void add(Cell& cell);
    // Unregisters a retiring cell: it is no longer found, listed or named.
    void remove(Cell& cell);
    // A cell is being destroyed: it leaves its table and its counters join the shard's totals.
    void destroyed(Cell& cell) noexcept;

    [[nodiscard]] Ref<Cell> find(std::uint64_t id) const;
    [[nodiscard]] std::optional<Pid> lookup(std::string_view name) const;
    // Every live actor, in spawn (id) order, or in no particular order (cheaper: no sort).
    [[nodiscard]] std::vector<Ref<Cell>> all(bool in_id_order = true) const;
    [[nodiscard]] std::size_t size() const;
    // The message counters of every cell ever made here (live, draining or destroyed).
    void add_counters(EngineCounters& into) const;
    // True if no cell has a message or command waiting.
    [[nodiscard]] bool idle() const;

private:
    // Open addressing with linear probing, keyed by the cell's id; deletion shifts entries back,
    // so there are no tombstones.
    class Table {
    public:
        void insert(Cell* c);
        [[nodiscard]] Cell* find(std::uint64_t id) const noexcept;
        void erase(Cell* c) noexcept;
        template <class F>
        void each(F&& f) const {
            for (Cell* c : slots_)
                if (c) f(c);
        }

    private:
        [[nodiscard]] std::size_t home(std::uint64_t id) const noexcept {
            return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
        }
        void rehash(std::size_t capacity);

        std::vector<Cell*> slots_;
        std::size_t count_ = 0;
        unsigned shift_ = 64;
    };

    struct alignas(64) Shard {
        mutable SpinLock mutex;
        Table cells;
        std::size_t live = 0;
        EngineCounters retired;  // of cells destroyed
    };
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    static constexpr std::size_t kShards = 16;
    Shard& shard(std::uint64_t id) const noexcept { return shards_[id % kShards]; }

    mutable std::array<Shard, kShards> shards_;
    mutable std::mutex names_mutex_;
    std::unordered_map<std::string, Pid, NameHash, std::equal_to<>> names_;
    // Registered names of the form "$<digits>" (the name an unnamed actor has): while there are
    // none, an unnamed spawn need not take the names lock to check that its name is free.
    std::atomic<std::size_t> dollar_names_{0};
};

}  // namespace actors::detail
