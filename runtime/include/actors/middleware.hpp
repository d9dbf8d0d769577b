#pragma once
// Middleware: receive interceptors. Each one wraps everything inside it, so it can act before
// and after the message (timing, logging, metrics), or not call next() at all (filtering,
// short-circuit: the message then counts as processed without reaching receive()).
//     Middleware timing = [](Context& ctx, Message& m, const Next& next) {
//         auto t0 = ctx.now(); next(); record(m.type_name(), ctx.now() - t0); };
// Engine-wide middleware (EngineConfig::middleware) wraps per-actor middleware
// (SpawnOptions::middleware), which wraps receive(). Lifecycle notifications pass through too.
// An exception thrown by middleware is a failure of the actor, like one from receive().

#include <functional>
#include <vector>

namespace actors {

class Context;
class Message;

using Next = std::function<void()>;
using Middleware = std::function<void(Context&, Message&, const Next&)>;
using MiddlewareChain = std::vector<Middleware>;

}  // namespace actors
