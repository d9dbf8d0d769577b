#pragma once
// The tab's link to other processes (engine.connect): one remote::Node on the page's engine, over
// the page's WebSocket (actors::remote_browser). JS actors then message a server's actors by Pid
// as they message their own; their JSON messages travel as remote::js_messages.
//
// The engine is cooperative and turns only when the page asks (js/actors.mjs schedules a turn
// after each call into the module). A frame that arrives from the socket is a call nobody in JS
// made, so the transport is wrapped: after the Node has handled each socket event, `wake` asks
// the page for a turn.

#include <functional>
#include <memory>
#include <string>

#include "actors/engine.hpp"
#include "actors/future.hpp"
#include "remote/node.hpp"

namespace actors::js {

class JsLink {
public:
    // Throws std::invalid_argument for a bad name or token (the Node's own checks).
    JsLink(Engine& engine, std::string name, std::string token, std::function<void()> wake);
    ~JsLink();
    JsLink(const JsLink&) = delete;
    JsLink& operator=(const JsLink&) = delete;

    [[nodiscard]] remote::Node& node() noexcept { return *node_; }
    [[nodiscard]] const std::string& token() const noexcept { return token_; }

private:
    std::string token_;
    std::unique_ptr<remote::Node> node_;
};

}  // namespace actors::js
