#pragma once
// A JavaScript value that stays in JavaScript: the page keeps it in a table (js/actors.mjs, the
// engine's slots) and only its slot number travels through the C++ mailbox. Messages between JS
// actors of one engine go this way, so they are never turned into JSON; a value that must cross
// into C++ (a native actor, an event, the network) is still sent as JSON (js_messages.hpp).
//
// A slot is taken by the handler it is delivered to. One that never is (a dead letter, a dropped
// message, a mailbox emptied by a stop or the engine's shutdown) is released when its envelope is
// destroyed, so the page's table does not keep the value alive.

#include <memory>
#include <utility>

namespace actors::js {

// Implemented in JavaScript (bindings.cpp, EM_JS): forgets slot `slot` of engine `engine`.
void release_js_slot(int engine, int slot) noexcept;

class JsSlot {
public:
    JsSlot(int engine, int slot) noexcept : engine_(engine), slot_(slot) {}
    JsSlot(JsSlot&& o) noexcept : engine_(o.engine_), slot_(std::exchange(o.slot_, 0)) {}
    // Move-only: two envelopes owning one slot would release it twice. The runtime's clone()
    // (broadcast) refuses such a payload with a logic_error instead of copying it.
    JsSlot(const JsSlot&) = delete;
    JsSlot& operator=(const JsSlot&) = delete;
    JsSlot& operator=(JsSlot&&) = delete;
    ~JsSlot() {
        if (slot_ != 0) release_js_slot(engine_, slot_);
    }

    // The slot for delivery: from here on the JS side owns it.
    [[nodiscard]] int take() noexcept { return std::exchange(slot_, 0); }

private:
    int engine_;
    int slot_;
};

// A reply must be copyable (Responder shares it); copies share one slot.
struct JsReplySlot {
    std::shared_ptr<JsSlot> value;
};

// Fire-and-forget between JS actors. The name keeps "JsMessage" in dead-letter events, which is
// what pages filter on for the JSON form too.
struct JsMessageSlot {
    JsSlot value;
};

struct JsRequestSlot {
    using Response = JsReplySlot;
    JsSlot value;
};

}  // namespace actors::js
