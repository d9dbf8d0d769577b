#pragma once
// A function actor: an Actor whose receive() is a std::function. Each restart gets a fresh copy
// of the original function (and of whatever it captured by value).

#include "actors/actor.hpp"

namespace actors::detail {

class FunctionActor final : public Actor {
public:
    explicit FunctionActor(ReceiveFn fn) : fn_(std::move(fn)) {}
    void receive(Context& ctx, Message& msg) override { fn_(ctx, msg); }

private:
    ReceiveFn fn_;
};

inline Producer function_actor_producer(ReceiveFn fn) {
    return [fn = std::move(fn)] { return std::make_unique<FunctionActor>(fn); };
}

}  // namespace actors::detail
