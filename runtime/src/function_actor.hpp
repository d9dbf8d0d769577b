#pragma once
// A function actor: an Actor whose receive() is a std::function. Each restart gets a fresh copy
// of the original function (and of whatever it captured by value); FunctionCell keeps the
// original and builds each copy in place.

#include "actors/actor.hpp"

namespace actors::detail {

class FunctionActor final : public Actor {
public:
    explicit FunctionActor(ReceiveFn fn) : fn_(std::move(fn)) {}
    void receive(Context& ctx, Message& msg) override { fn_(ctx, msg); }

private:
    ReceiveFn fn_;
};

}  // namespace actors::detail
