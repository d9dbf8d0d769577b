#pragma once
// The WebAssembly Transport: the page's WebSocket (Emscripten's <emscripten/websocket.h>), so a
// RemoteSource (and later a Node) runs in a browser tab. WebAssembly build only; link
// actors::remote_browser (it adds -lwebsocket.js).
//
// A thin adapter: whole binary frames in and out, nothing of the protocol. The browser runs
// every callback on the page's one thread, from its event loop: a frame arrives only after the
// code that is running returns to the browser (a requestAnimationFrame frame, a timer), never in
// the middle of a call into the module. Connection methods are called on that same thread.
//
// A page cannot listen: listen() throws. Writes are pulled as the interface says; the browser
// queues what send() is given, so while more than `max_buffered_bytes` wait in its queue the
// transport stops pulling and asks again after `retry_write_ms`, so a slow link does not grow
// the tab's memory without bound.

#include <cstddef>
#include <memory>

#include "remote/transport.hpp"

namespace actors::remote {

struct BrowserTransportOptions {
    std::size_t max_buffered_bytes = 4u << 20;
    unsigned retry_write_ms = 10;
};

std::shared_ptr<Transport> make_browser_transport(BrowserTransportOptions options = {});

}  // namespace actors::remote
