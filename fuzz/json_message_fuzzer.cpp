// The portable layer under the JS API (wasm/bindings.cpp delegates every call to it; emscripten::val
// itself cannot run natively): JSON text -> json::Value -> JsMessage / JsRequest -> an actor -> a
// reply -> the {"ok":..,"value":..} envelope the JS wrapper parses; plus pid strings and the
// engine/spawn option objects. Invariants, not just "no crash":
//   - parse either succeeds or throws json::Error with an offset inside the text;
//   - dump(parse(t)) parses back to an equal value, and dumping that gives the same text;
//   - an object never holds a key twice (JSON.parse keeps the last; so must we);
//   - a value sent as a message arrives equal, and a request's reply comes back equal in the
//     envelope; counters balance;
//   - parse_pid accepts exactly what Pid::to_string prints back the same, and refuses the rest
//     with std::invalid_argument;
//   - options objects are accepted or refused with std::invalid_argument, and accepted ones build
//     an engine / spawn an actor that works.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "actors/actors.hpp"
#include "byte_script.hpp"
#include "actors/bridge/engine_json.hpp"
#include "actors/bridge/js_messages.hpp"
#include "actors/bridge/json.hpp"

using namespace actors;

namespace {

// A small event ring: the default (65,536 events) would cost more than each run.
EngineConfig small_engine() {
    EngineConfig cfg = EngineConfig::cooperative();
    cfg.event_ring_capacity = 64;
    cfg.health.enabled = false;
    return cfg;
}

void check_unique_keys(const json::Value& v) {
    if (v.is_array()) {
        for (const json::Value& e : v.as_array()) check_unique_keys(e);
    } else if (v.is_object()) {
        std::set<std::string_view> keys;
        for (const json::Member& m : v.as_object()) {
            FUZZ_CHECK(keys.insert(m.key).second);
            check_unique_keys(m.value);
        }
    }
}

void check_pid_text(const std::string& text) {
    Pid p;
    try {
        p = js::parse_pid(text);
    } catch (const std::invalid_argument&) {
        return;
    }
    // Accepted text names a pid that prints and parses back to itself.
    const std::string printed = p.to_string();
    FUZZ_CHECK(js::parse_pid(printed) == p);
    FUZZ_CHECK(js::pid_json(p).is_null() == !p.valid());
}

// The value travels as a message and as a request through a cooperative engine, like a page's.
void check_message_round_trip(const json::Value& v) {
    Engine engine(small_engine());
    auto seen = std::make_shared<json::Value>();
    const Pid echo = engine.spawn_fn("echo", [seen](Context&, Message& m) {
        if (auto* jm = m.as<js::JsMessage>()) *seen = jm->body;
        if (auto* jr = m.as<js::JsRequest>()) m.respond(*jr, jr->body);
    });
    // The pid a page holds is text; it must lead back to the same actor.
    const Pid to = js::parse_pid(echo.to_string());
    FUZZ_CHECK(engine.send(to, js::JsMessage{v}) == SendStatus::delivered);
    Future<json::Value> reply = engine.request(to, js::JsRequest{v});
    engine.run_until_idle();
    FUZZ_CHECK(*seen == v);
    FUZZ_CHECK(reply.ready());
    const Result<json::Value>& r = *reply.result();
    FUZZ_CHECK(r.ok());
    // What bindings.cpp hands to JavaScript.
    json::Value envelope;
    envelope.set("ok", true).set("value", r.value());
    const json::Value back = json::parse(json::dump(envelope));
    const json::Value* value = back.find("value");
    FUZZ_CHECK(value != nullptr && *value == v);
    engine.shutdown();
    const EngineCounters c = engine.counters();
    FUZZ_CHECK(c.sent == 2 && c.processed == 2 && c.in_flight == 0);
}

void check_options(const json::Value& v) {
    try {
        EngineConfig cfg = js::engine_config_from(v);
        cfg.health.enabled = false;  // the option was read; a monitor timer adds nothing here
        cfg.event_ring_capacity = std::min<std::size_t>(cfg.event_ring_capacity, 64);
        Engine engine(cfg);
        const Pid p = engine.spawn_fn("a", [](Context&, Message&) {});
        engine.send(p, 1);
        engine.run_until_idle();
    } catch (const std::invalid_argument&) {
    }
    try {
        SpawnOptions so = js::spawn_options_from(v);
        Engine engine(small_engine());
        const Pid p = engine.spawn_fn("a", [](Context&, Message&) {}, so);
        engine.send(p, 1);
        engine.run_until_idle();
        FUZZ_CHECK(engine.counters().processed == 1);
    } catch (const std::invalid_argument&) {
    }
}

void visit_strings(const json::Value& v, int& budget) {
    if (budget-- <= 0) return;
    if (v.is_string()) check_pid_text(v.as_string());
    else if (v.is_array())
        for (const json::Value& e : v.as_array()) visit_strings(e, budget);
    else if (v.is_object())
        for (const json::Member& m : v.as_object()) {
            check_pid_text(m.key);
            visit_strings(m.value, budget);
        }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_pid_text(std::string(text));

    json::Value v;
    try {
        v = json::parse(text, 64);
    } catch (const json::Error& e) {
        FUZZ_CHECK(e.offset() <= size);
        return 0;
    }
    check_unique_keys(v);
    const std::string once = json::dump(v);
    const json::Value again = json::parse(once);
    FUZZ_CHECK(again == v);
    FUZZ_CHECK(json::dump(again) == once);

    int budget = 64;
    visit_strings(v, budget);
    check_message_round_trip(v);
    check_options(v);
    return 0;
}
