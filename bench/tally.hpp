#pragma once
// A counter that many threads bump without meeting on one cache line: each thread adds to its own
// padded slot, readers sum them. Used by the send storm of both frameworks to count processed
// messages and to keep the senders at most a window ahead of the receivers.

#include <atomic>
#include <cstddef>

namespace bench {

class Tally {
public:
    void add(long n = 1) noexcept { slots_[index()].value.fetch_add(n, std::memory_order_relaxed); }
    [[nodiscard]] long sum() const noexcept {
        long s = 0;
        for (const Slot& slot : slots_) s += slot.value.load(std::memory_order_acquire);
        return s;
    }

private:
    static constexpr std::size_t kSlots = 16;
    struct alignas(64) Slot {
        std::atomic<long> value{0};
    };
    static std::size_t index() noexcept {
        static std::atomic<std::size_t> next{0};
        thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % kSlots;
        return mine;
    }
    Slot slots_[kSlots];
};

// Per-thread xorshift: cheap random targets, the same generator on both sides.
struct XorShift {
    unsigned long long s;
    explicit XorShift(unsigned long long seed) : s(seed * 0x9E3779B97F4A7C15ull | 1) {}
    unsigned long long next() noexcept {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }
};

}  // namespace bench
