#pragma once
// Registry: live actors by id (every send resolves through it) and by name. Ids are sharded
// across independently locked maps so senders on different cores rarely meet on one lock.

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cell.hpp"
#include "ref.hpp"
#include "spin_lock.hpp"

namespace actors::detail {

class Registry {
public:
    // Throws InvalidArgument when the name is taken by a live actor.
    void add(const Ref<Cell>& cell);
    void remove(const Cell& cell);
    [[nodiscard]] Ref<Cell> find(std::uint64_t id) const;
    [[nodiscard]] std::optional<Pid> lookup(std::string_view name) const;
    // Every live actor, in spawn (id) order, or in no particular order (cheaper: no sort).
    [[nodiscard]] std::vector<Ref<Cell>> all(bool in_id_order = true) const;
    [[nodiscard]] std::size_t size() const;

private:
    struct alignas(64) Shard {
        mutable SpinLock mutex;
        std::unordered_map<std::uint64_t, Ref<Cell>> cells;
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
};

}  // namespace actors::detail
