#include "message_pool.hpp"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

#include "actors/message.hpp"

namespace actors::detail::message_pool {

namespace {

constexpr std::size_t kSlabSize = 32 * 1024;   // also its alignment: a block finds its slab by masking
constexpr std::size_t kHeader = 64;            // the count, alone on its cache line
constexpr std::size_t kGrain = 16;             // block sizes round up to this (max_align_t)
// While a thread still carves from a slab, its count carries this bias, so frees can never bring
// it to zero; the thread takes the bias back (less what it handed out) when it moves on.
constexpr std::uint32_t kBias = 1u << 30;
constexpr std::size_t kSpareSlabs = 16;        // empty slabs kept for reuse, engine-wide

struct Slab {
    std::atomic<std::uint32_t> live;
};

[[maybe_unused]] Slab* slab_of(void* p) noexcept {
    return reinterpret_cast<Slab*>(reinterpret_cast<std::uintptr_t>(p) & ~(std::uintptr_t{kSlabSize} - 1));
}

// Empty slabs; taken and given back under a lock, once per slab (about 300 messages), not per message.
class Spares {
public:
    Slab* take() {
        {
            std::lock_guard lock(mutex_);
            if (!slabs_.empty()) {
                Slab* s = slabs_.back();
                slabs_.pop_back();
                return s;
            }
        }
        void* mem = std::aligned_alloc(kSlabSize, kSlabSize);
        if (!mem) throw std::bad_alloc();
        return new (mem) Slab{};
    }
    void give(Slab* s) noexcept {
        {
            std::lock_guard lock(mutex_);
            if (slabs_.size() < kSpareSlabs) {
                slabs_.push_back(s);
                return;
            }
        }
        s->~Slab();
        std::free(s);
    }
    ~Spares() {
        for (Slab* s : slabs_) {
            s->~Slab();
            std::free(s);
        }
    }

private:
    std::mutex mutex_;
    std::vector<Slab*> slabs_;
};

Spares& spares() {
    static Spares* s = new Spares;  // never destroyed: threads may free messages during exit
    return *s;
}

void drop(Slab* s, std::uint32_t count) noexcept {
    if (s->live.fetch_sub(count, std::memory_order_acq_rel) == count) spares().give(s);
}

// This thread's current slab.
class Carver {
public:
    Carver() = default;
    Carver(const Carver&) = delete;
    Carver& operator=(const Carver&) = delete;
    ~Carver() { retire(); }

    void* carve(std::size_t n) {
        if (next_ + n > end_) refill();
        void* p = next_;
        next_ += n;
        ++handed_;
        return p;
    }

private:
    void refill() {
        retire();
        slab_ = spares().take();
        slab_->live.store(kBias, std::memory_order_relaxed);
        next_ = reinterpret_cast<char*>(slab_) + kHeader;
        end_ = reinterpret_cast<char*>(slab_) + kSlabSize;
        handed_ = 0;
    }
    void retire() noexcept {
        if (!slab_) return;
        drop(slab_, kBias - handed_);
        slab_ = nullptr;
        next_ = end_ = nullptr;
    }

    Slab* slab_ = nullptr;
    char* next_ = nullptr;
    char* end_ = nullptr;
    std::uint32_t handed_ = 0;
};

thread_local Carver tl_carver;

[[maybe_unused]] constexpr std::size_t rounded(std::size_t n) noexcept { return (n + kGrain - 1) & ~(kGrain - 1); }

}  // namespace

#ifdef ACTORS_PLAIN_MESSAGE_ALLOCATION
void* allocate(std::size_t size) { return ::operator new(size); }
void release(void* p, std::size_t) noexcept { ::operator delete(p); }
#else
void* allocate(std::size_t size) {
    if (size > kMaxPooled) return ::operator new(size);
    return tl_carver.carve(rounded(size));
}

void release(void* p, std::size_t size) noexcept {
    if (!p) return;
    if (size > kMaxPooled) {
        ::operator delete(p);
        return;
    }
    drop(slab_of(p), 1);
}
#endif

}  // namespace actors::detail::message_pool

namespace actors {

void* Message::operator new(std::size_t size) { return detail::message_pool::allocate(size); }
void Message::operator delete(void* p, std::size_t size) noexcept { detail::message_pool::release(p, size); }

}  // namespace actors
