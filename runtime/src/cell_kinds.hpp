#pragma once
// The kinds of cell, one per way of making a behaviour. Each is one allocation holding the cell,
// what makes an instance (kept for restarts), and where it can, the instance itself.

#include <new>

#include "cell.hpp"
#include "actors/detail/recipe.hpp"
#include "function_actor.hpp"

namespace actors::detail {

// Any Producer: the instance comes from the producer (its own allocation).
class ProducerCell final : public Cell {
public:
    ProducerCell(EngineCore& core, CellSpec spec, Producer producer) : Cell(core, std::move(spec)), producer_(std::move(producer)) {}
    ~ProducerCell() override { drop_leftover_instance(); }

private:
    Actor* make_instance() override {
        std::unique_ptr<Actor> made = producer_();
        if (!made) throw std::runtime_error("the producer returned no actor instance");
        return made.release();
    }
    void unmake_instance(Actor* a) noexcept override { delete a; }

    const Producer producer_;
};

// A receive function: each instance is a FunctionActor holding a fresh copy of the function,
// built in place inside the cell.
class FunctionCell final : public Cell {
public:
    FunctionCell(EngineCore& core, CellSpec spec, ReceiveFn fn) : Cell(core, std::move(spec)), fn_(std::move(fn)) {}
    ~FunctionCell() override { drop_leftover_instance(); }

private:
    Actor* make_instance() override { return new (slot_) FunctionActor(fn_); }
    void unmake_instance(Actor* a) noexcept override { static_cast<FunctionActor*>(a)->~FunctionActor(); }

    const ReceiveFn fn_;
    alignas(FunctionActor) unsigned char slot_[sizeof(FunctionActor)];
};

// A recipe of a known type (a typed spawn, a lambda), copied in after the cell; each instance is
// built in the slot after the recipe. One allocation holds all three.
class PlacedCell final : public Cell {
public:
    static PlacedCell* make(EngineCore& core, CellSpec spec, const RecipeOps& ops, void* recipe) {
        void* block = ::operator new(offset(ops) + ops.size);
        try {
            return new (block) PlacedCell(core, std::move(spec), ops, recipe);
        } catch (...) {
            ::operator delete(block);
            throw;
        }
    }
    ~PlacedCell() override {
        drop_leftover_instance();
        ops_.destroy(recipe());
    }
    // The block came from the global operator new, sized by the recipe.
    static void operator delete(void* p) noexcept { ::operator delete(p); }

private:
    PlacedCell(EngineCore& core, CellSpec spec, const RecipeOps& ops, void* from) : Cell(core, std::move(spec)), ops_(ops) {
        ops_.move_into(recipe(), from);
    }
    static std::size_t offset(const RecipeOps& ops) noexcept { return (sizeof(PlacedCell) + ops.align - 1) / ops.align * ops.align; }
    void* recipe() noexcept { return reinterpret_cast<char*>(this) + offset(ops_); }

    Actor* make_instance() override { return ops_.make(recipe()); }
    void unmake_instance(Actor* a) noexcept override { ops_.unmake(a); }

    const RecipeOps& ops_;
};

}  // namespace actors::detail
