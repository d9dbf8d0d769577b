// A user of the installed actors::bridge component: JSON text in, a native actor spawned by kind
// (as a page would), its JSON answer out. Exit code 0 only if the answer came back.
#include <actors/actors.hpp>
#include <actors/bridge/js_messages.hpp>
#include <actors/bridge/json.hpp>
#include <actors/bridge/native_registry.hpp>

#include <cstdio>

int main() {
    actors::Engine engine;
    actors::Pid counter = engine.spawn("counter", actors::js::native_actor("counter"));
    engine.send(counter, actors::js::JsMessage{actors::json::parse(R"({"add": 40})")});
    engine.send(counter, actors::js::JsMessage{actors::json::parse(R"({"add": 2})")});
    auto total = engine.request(counter, actors::js::JsRequest{"get"}).get();
    if (!total) {
        std::puts("no answer");
        return 1;
    }
    std::printf("answer %s\n", actors::json::dump(total.value()).c_str());
    return 0;
}
