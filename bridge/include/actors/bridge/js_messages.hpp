#pragma once
// The messages JavaScript sends: a JSON body, fire-and-forget or as a request answered with JSON.
// Native C++ actors that serve pages (see native_registry.hpp) handle these two types.

#include "actors/message.hpp"
#include "actors/bridge/json.hpp"

namespace actors::js {

struct JsMessage {
    json::Value body;
};

struct JsRequest {
    using Response = json::Value;
    json::Value body;
};

}  // namespace actors::js
