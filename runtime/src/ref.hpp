#pragma once
// An owning pointer to an intrusively counted object (retain/release), so a cell's count lives
// in the cell and passing a reference costs one atomic increment, not a control block.

#include <utility>

namespace actors::detail {

template <class T>
class Ref {
public:
    Ref() noexcept = default;
    // Adopts a reference the caller already holds.
    static Ref adopt(T* p) noexcept {
        Ref r;
        r.p_ = p;
        return r;
    }
    explicit Ref(T* p) noexcept : p_(p) {
        if (p_) p_->retain();
    }
    Ref(const Ref& o) noexcept : Ref(o.p_) {}
    Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    Ref& operator=(Ref o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~Ref() {
        if (p_) p_->release();
    }

    // Hands the reference over to the caller (the inverse of adopt).
    [[nodiscard]] T* detach() noexcept { return std::exchange(p_, nullptr); }
    T* get() const noexcept { return p_; }
    T* operator->() const noexcept { return p_; }
    T& operator*() const noexcept { return *p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }

private:
    T* p_ = nullptr;
};

}  // namespace actors::detail
