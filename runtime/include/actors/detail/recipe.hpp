#pragma once
// What a typed spawn hands the runtime so that the cell, what makes an instance (the spawn's
// arguments, kept for restarts) and the instance itself are one allocation. The runtime copies
// the recipe in after the cell and builds each incarnation in the slot after the recipe.

#include <cstddef>
#include <new>
#include <tuple>
#include <utility>

#include "actors/actor.hpp"

namespace actors::detail {

struct RecipeOps {
    std::size_t align;        // of recipe and instance
    std::size_t slot_offset;  // where the instance goes, from the recipe's start
    std::size_t size;         // recipe and instance slot together
    void (*move_into)(void* to, void* from);
    void (*destroy)(void* recipe) noexcept;
    Actor* (*make)(void* recipe);  // a fresh instance in the slot; may throw
    void (*unmake)(Actor* instance) noexcept;
};

// Recipes: an Actor type built from copies of the spawn's arguments, as producer_of does.
template <class A, class... Args>
struct ConstructRecipe {
    using Instance = A;
    std::tuple<Args...> args;
    A* make(void* at) const {
        return std::apply([at](const Args&... a) { return new (at) A(a...); }, args);
    }
};

// A receive callable of a known type: each incarnation holds a fresh copy of it.
template <class F>
class FnActor final : public Actor {
public:
    explicit FnActor(const F& f) : f_(f) {}
    void receive(Context& ctx, Message& msg) override { f_(ctx, msg); }

private:
    F f_;
};
template <class F>
struct FnRecipe {
    using Instance = FnActor<F>;
    F f;
    FnActor<F>* make(void* at) const { return new (at) FnActor<F>(f); }
};

template <class R>
struct RecipeOpsFor {
    using I = typename R::Instance;
    static constexpr std::size_t align = alignof(R) > alignof(I) ? alignof(R) : alignof(I);
    static constexpr std::size_t slot = (sizeof(R) + alignof(I) - 1) / alignof(I) * alignof(I);
    static constexpr RecipeOps ops{
        align,
        slot,
        slot + sizeof(I),
        [](void* to, void* from) { new (to) R(std::move(*static_cast<R*>(from))); },
        [](void* r) noexcept { static_cast<R*>(r)->~R(); },
        [](void* r) -> Actor* { return static_cast<R*>(r)->make(static_cast<char*>(r) + slot); },
        [](Actor* a) noexcept { static_cast<I*>(a)->~I(); },
    };
};

// Recipes the runtime can place: alignment no stricter than operator new gives.
template <class R>
concept Placeable = RecipeOpsFor<R>::align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__;

}  // namespace actors::detail
