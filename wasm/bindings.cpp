// Embind bindings: the browser side of the runtime, and with the scheduling glue in js/actors.mjs
// the only runtime-side code that includes <emscripten/...>.
//
// Two rules keep a misbehaving page from corrupting the engine:
//  - No C++ exception crosses into JavaScript: every bound call returns {"ok":true,"value":...}
//    or {"ok":false,"error":...,"code":...} as JSON text, and the JS wrapper throws a JS Error.
//  - No JavaScript exception crosses into C++ (it would unwind wasm frames without running
//    destructors): JS behaviours are called through a shim that catches everything and reports
//    {"ok":false,"error":...}, which the JS actor turns into a C++ failure for its supervisor.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "actors/actors.hpp"
#include "actors/bridge/engine_json.hpp"
#include "actors/bridge/extensions.hpp"
#include "actors/bridge/js_messages.hpp"
#include "actors/bridge/json.hpp"
#include "actors/bridge/native_registry.hpp"

namespace actors::js {

using emscripten::val;

namespace {

std::string ok_result(json::Value v = {}) {
    json::Value o;
    o.set("ok", true).set("value", std::move(v));
    return json::dump(o);
}

std::string error_result(const std::string& message, const char* code) {
    json::Value o;
    o.set("ok", false).set("error", message).set("code", code);
    return json::dump(o);
}

template <class F>
std::string guarded(F&& f) {
    try {
        return ok_result(f());
    } catch (const ActorError& e) {
        return error_result(e.what(), to_string(e.error().code));
    } catch (const json::Error& e) {
        return error_result(e.what(), "invalid_json");
    } catch (const std::invalid_argument& e) {
        return error_result(e.what(), "invalid_argument");
    } catch (const std::logic_error& e) {
        return error_result(e.what(), "logic_error");
    } catch (const std::exception& e) {
        return error_result(e.what(), "error");
    } catch (...) {
        return error_result("unknown C++ exception", "error");
    }
}

json::Value result_json(const Result<json::Value>& r) {
    json::Value o;
    if (r.ok()) {
        o.set("ok", true).set("value", r.value());
    } else {
        o.set("ok", false).set("error", r.error().message()).set("code", to_string(r.error().code));
    }
    return o;
}

// Clamped to a year: beyond that a duration in nanoseconds would overflow.
Duration from_ms(double v) { return Duration{static_cast<Duration::rep>(std::llround(std::clamp(v, 0.0, 3.15e10) * 1e6))}; }
std::optional<Duration> timeout_from(double ms) {
    if (std::isnan(ms) || ms == 0) return std::nullopt;  // the engine's default
    if (ms < 0 || !std::isfinite(ms)) throw std::invalid_argument("timeoutMs must be a positive number of milliseconds");
    return from_ms(ms);
}

}  // namespace

class JsEngine;

// An actor whose behaviour is a JavaScript object {receive(ctx, msg), started(ctx), stopped(ctx)}.
class JsActor final : public Actor {
public:
    JsActor(JsEngine& bridge, val behaviour) : bridge_(bridge), behaviour_(std::move(behaviour)) {}
    void started(Context& ctx) override;
    void stopped(Context& ctx) override;
    void receive(Context& ctx, Message& m) override;

private:
    JsEngine& bridge_;
    val behaviour_;
};

// Watches one actor for the page (engine.watch) and reports its end once.
class WatchActor final : public Actor {
public:
    WatchActor(JsEngine& bridge, Pid target, int id) : bridge_(bridge), target_(target), id_(id) {}
    void started(Context& ctx) override { ctx.watch(target_); }
    void receive(Context& ctx, Message& m) override;

private:
    JsEngine& bridge_;
    Pid target_;
    int id_;
};

class JsEngine {
public:
    // `shim` is the JS object of callbacks from js/actors.mjs: invoke, settle, event, watched.
    JsEngine(std::string options_json, val shim) : shim_(std::move(shim)), engine_(engine_config_from(json::parse(options_json))) {}
    // Extensions holding this engine (a dashboard) let go before it is destroyed.
    ~JsEngine() { engine_closing(engine_); }
    JsEngine(const JsEngine&) = delete;
    JsEngine& operator=(const JsEngine&) = delete;

    // Factory that reports bad options as a result instead of throwing through embind.
    static std::string validate_options(std::string options_json) {
        return guarded([&] {
            (void)engine_config_from(json::parse(options_json));
            return json::Value{};
        });
    }

    std::string spawn(std::string name, val behaviour, std::string options_json) {
        return guarded([&] {
            SpawnOptions so = spawn_options_from(json::parse(options_json));
            Producer p = js_producer(std::move(behaviour));
            if (Context* ctx = current()) return pid_json(ctx->spawn(name, std::move(p), std::move(so)));
            return pid_json(engine_.spawn(name, std::move(p), std::move(so)));
        });
    }

    std::string spawn_native(std::string name, std::string kind, std::string options_json) {
        return guarded([&] {
            SpawnOptions so = spawn_options_from(json::parse(options_json));
            return pid_json(engine_.spawn(name, native_actor(kind), std::move(so)));
        });
    }

    std::string send(std::string pid, std::string body_json) {
        return guarded([&] {
            Pid to = parse_pid(pid);
            json::Value body = json::parse(body_json);
            if (Context* ctx = current()) return json::Value{to_string(ctx->send(to, JsMessage{std::move(body)}))};
            return json::Value{to_string(engine_.send(to, JsMessage{std::move(body)}))};
        });
    }

    // The answer arrives through shim.settle(id, resultJson).
    std::string request(std::string pid, std::string body_json, double timeout_ms, int id) {
        return guarded([&] {
            Pid to = parse_pid(pid);
            json::Value body = json::parse(body_json);
            auto timeout = timeout_from(timeout_ms);
            engine_.request(to, JsRequest{std::move(body)}, timeout).then([this, id](Result<json::Value> r) {
                shim_.call<void>("settle", id, json::dump(result_json(r)));
            });
            return json::Value{};
        });
    }

    std::string stop(std::string pid) {
        return guarded([&] {
            Pid p = parse_pid(pid);
            if (Context* ctx = current()) ctx->stop(p);
            else engine_.stop(p);
            return json::Value{};
        });
    }

    std::string poison(std::string pid) {
        return guarded([&] {
            engine_.poison(parse_pid(pid));
            return json::Value{};
        });
    }

    std::string lookup(std::string name) {
        return guarded([&] {
            auto p = engine_.lookup(name);
            return p ? pid_json(*p) : json::Value{};
        });
    }

    std::string alive(std::string pid) {
        return guarded([&] { return json::Value{engine_.alive(parse_pid(pid))}; });
    }

    std::string watch(std::string pid, int id) {
        return guarded([&] {
            Pid target = parse_pid(pid);
            engine_.spawn("", Producer([this, target, id] { return std::make_unique<WatchActor>(*this, target, id); }));
            return json::Value{};
        });
    }

    std::string subscribe(int id) {
        return guarded([&] {
            SubscriptionId sub = engine_.events().subscribe(
                [this, id](const Event& e) { shim_.call<void>("event", id, json::dump(event_json(e))); });
            subscriptions_[id] = sub;
            return json::Value{};
        });
    }

    std::string unsubscribe(int id) {
        return guarded([&] {
            auto it = subscriptions_.find(id);
            bool found = it != subscriptions_.end();
            if (found) {
                engine_.events().unsubscribe(it->second);
                subscriptions_.erase(it);
            }
            return json::Value{found};
        });
    }

    std::string events_since(double seq, double max) {
        return guarded([&] {
            if (!(seq >= 0) || !(max >= 0)) throw std::invalid_argument("eventsSince(seq, max): both must be non-negative numbers");
            // Converting a double beyond the integer's range traps in wasm: saturate instead
            // (a cursor past the end reads as the end; a huge max as "all").
            const std::uint64_t cursor = seq >= 18446744073709551616.0 ? UINT64_MAX : static_cast<std::uint64_t>(seq);
            const std::size_t limit = max >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<std::size_t>(max);
            EventBatch b = engine_.events().read_since(cursor, limit);
            json::Array events;
            for (const Event& e : b.events) events.push_back(event_json(e));
            json::Value o;
            o.set("events", json::Value{std::move(events)}).set("missed", static_cast<double>(b.missed)).set("next", static_cast<double>(b.next));
            return o;
        });
    }

    std::string snapshot() {
        return guarded([&] { return snapshot_json(engine_.snapshot()); });
    }
    std::string counters() {
        return guarded([&] { return counters_json(engine_.counters()); });
    }
    std::string extension(std::string name, std::string args_json) {
        return guarded([&] { return call_extension(engine_, name, json::parse(args_json)); });
    }
    std::string extension_names_json() {
        return guarded([&] {
            json::Array names;
            for (auto& n : extension_names()) names.push_back(n);
            return json::Value{std::move(names)};
        });
    }
    std::string native_kinds() {
        return guarded([&] {
            json::Array kinds;
            for (auto& k : native_actor_kinds()) kinds.push_back(k);
            return json::Value{std::move(kinds)};
        });
    }

    // --- the browser loop ---------------------------------------------------------------
    double tick(double budget_ms) {
        try {
            return static_cast<double>(engine_.run_for(from_ms(std::max(0.0, budget_ms))));
        } catch (...) {
            return -1;  // only misuse (a tick from inside a handler) can throw here
        }
    }
    bool has_work() { return engine_.cooperative() && engine_.cooperative()->has_ready_work(); }
    double next_timer_ms() {
        auto* c = engine_.cooperative();
        auto due = c ? c->next_timer_due() : std::nullopt;
        if (!due) return -1;
        return std::max(0.0, static_cast<double>((*due - engine_.now()).count()) / 1e6);
    }
    std::string shutdown() {
        return guarded([&] {
            engine_.shutdown();
            return json::Value{};
        });
    }
    bool running() const { return engine_.running(); }

    // --- what a JS handler's ctx can do (only while that handler runs) --------------------
    std::string ctx_info() {
        return with_ctx([&](Context& c) {
            json::Value o;
            o.set("self", pid_json(c.self())).set("parent", pid_json(c.parent())).set("name", c.name()).set("sender", pid_json(c.sender()));
            return o;
        });
    }
    std::string ctx_reply(std::string body_json) {
        return with_ctx([&](Context& c) {
            Message& m = c.message();
            auto* req = m.as<JsRequest>();
            if (!req) throw std::logic_error("ctx.reply(): the message being handled is not a request");
            if (!m.expects_reply()) throw std::logic_error("ctx.reply(): this request was already answered");
            m.respond(*req, json::parse(body_json));
            return json::Value{};
        });
    }
    std::string ctx_request(std::string pid, std::string body_json, double timeout_ms, int id) {
        return with_ctx([&](Context& c) {
            Pid to = parse_pid(pid);
            c.request(to, JsRequest{json::parse(body_json)}, timeout_from(timeout_ms), [this, id](Context& inner, Result<json::Value> r) {
                invoke_callback(inner, id, result_json(r));
            });
            return json::Value{};
        });
    }
    std::string ctx_watch(std::string pid, bool on) {
        return with_ctx([&](Context& c) {
            if (on) c.watch(parse_pid(pid));
            else c.unwatch(parse_pid(pid));
            return json::Value{};
        });
    }
    std::string ctx_send_after(double ms, std::string pid, std::string body_json, bool repeat) {
        return with_ctx([&](Context& c) {
            if (!(ms >= 0) || !std::isfinite(ms)) throw std::invalid_argument("the delay must be a non-negative number of milliseconds");
            Pid to = parse_pid(pid);
            JsMessage msg{json::parse(body_json)};
            TimerHandle h = repeat ? c.send_repeat(from_ms(ms), to, msg) : c.send_after(from_ms(ms), to, msg);
            std::erase_if(timers_, [](const auto& t) { return !t.second.handle.active(); });  // fired or cancelled
            timers_[++timer_ids_] = OwnedTimer{c.self(), h};
            return json::Value{static_cast<double>(timer_ids_)};
        });
    }
    // Only the actor that set a timer may cancel it.
    std::string cancel_timer(int id) {
        return with_ctx([&](Context& c) {
            auto it = timers_.find(id);
            if (it == timers_.end() || !it->second.owner.same_actor(c.self())) return json::Value{false};
            bool cancelled = it->second.handle.cancel();
            timers_.erase(it);
            return json::Value{cancelled};
        });
    }
    std::string ctx_publish(std::string topic, std::string data) {
        return with_ctx([&](Context& c) {
            c.publish(std::move(topic), std::move(data));
            return json::Value{};
        });
    }

    // Used by the actors above.
    json::Value invoke(Context& ctx, const val& behaviour, const char* method, const json::Value& body, bool is_request) {
        contexts_.push_back(&ctx);
        std::string raw;
        try {
            raw = shim_.call<std::string>("invoke", behaviour, std::string(method), json::dump(body), is_request);
        } catch (...) {
            contexts_.pop_back();
            throw;
        }
        contexts_.pop_back();
        return json::parse(raw);
    }
    void invoke_callback(Context& ctx, int id, const json::Value& result) {
        contexts_.push_back(&ctx);
        std::string raw = shim_.call<std::string>("callback", id, json::dump(result));
        contexts_.pop_back();
        json::Value r = json::parse(raw);
        if (const json::Value* e = r.find("error")) throw std::runtime_error(e->as_string());
    }
    void watched(int id, const json::Value& info) { shim_.call<void>("watched", id, json::dump(info)); }

private:
    Producer js_producer(val behaviour) {
        return [this, behaviour]() -> std::unique_ptr<Actor> { return std::make_unique<JsActor>(*this, behaviour); };
    }
    Context* current() const { return contexts_.empty() ? nullptr : contexts_.back(); }
    template <class F>
    std::string with_ctx(F&& f) {
        return guarded([&] {
            Context* c = current();
            if (!c) throw std::logic_error("ctx is only valid while its handler runs");
            return f(*c);
        });
    }

    val shim_;  // declared before engine_: the engine (and its JS actors) go first
    Engine engine_;
    std::vector<Context*> contexts_;
    std::map<int, SubscriptionId> subscriptions_;
    struct OwnedTimer {
        Pid owner;
        TimerHandle handle;
    };
    std::map<int, OwnedTimer> timers_;
    int timer_ids_ = 0;
};

void JsActor::started(Context& ctx) {
    json::Value r = bridge_.invoke(ctx, behaviour_, "started", json::Value{}, false);
    if (const json::Value* e = r.find("error")) throw std::runtime_error(e->as_string());
}

void JsActor::stopped(Context& ctx) {
    json::Value r = bridge_.invoke(ctx, behaviour_, "stopped", json::Value{}, false);
    if (const json::Value* e = r.find("error")) throw std::runtime_error(e->as_string());
}

void JsActor::receive(Context& ctx, Message& m) {
    if (m.is<Initialized>() || m.is<Started>() || m.is<Stopped>()) return;  // the hooks cover these
    json::Value body;
    const JsRequest* req = nullptr;
    if (auto* jm = m.as<JsMessage>()) {
        body = jm->body;
    } else if (auto* jr = m.as<JsRequest>()) {
        body = jr->body;
        req = jr;
    } else if (auto* t = m.as<Terminated>()) {
        body.set("$type", "terminated").set("pid", pid_json(t->pid)).set("reason", to_string(t->reason))
            .set("detail", t->detail).set("existed", t->existed);
    } else if (auto* mf = m.as<MailboxFull>()) {
        body.set("$type", "mailbox_full").set("target", pid_json(mf->target)).set("messageType", mf->message_type);
    } else if (auto* ev = m.as<Event>()) {
        body.set("$type", "event").set("event", event_json(*ev));
    } else {
        body.set("$type", "native").set("messageType", m.type_name());
    }
    json::Value r = bridge_.invoke(ctx, behaviour_, "receive", body, req != nullptr);
    if (const json::Value* e = r.find("error")) throw std::runtime_error(e->as_string());
    if (req && m.expects_reply())
        if (const json::Value* reply = r.find("reply")) m.respond(*req, *reply);
}

void WatchActor::receive(Context& ctx, Message& m) {
    if (auto* t = m.as<Terminated>()) {
        json::Value info;
        info.set("pid", pid_json(t->pid)).set("reason", to_string(t->reason)).set("detail", t->detail).set("existed", t->existed);
        bridge_.watched(id_, info);
        ctx.stop();
    }
}

}  // namespace actors::js

EMSCRIPTEN_BINDINGS(actors) {
    using actors::js::JsEngine;
    emscripten::class_<JsEngine>("JsEngine")
        .constructor<std::string, emscripten::val>()
        .class_function("validateOptions", &JsEngine::validate_options)
        .function("spawn", &JsEngine::spawn)
        .function("spawnNative", &JsEngine::spawn_native)
        .function("send", &JsEngine::send)
        .function("request", &JsEngine::request)
        .function("stop", &JsEngine::stop)
        .function("poison", &JsEngine::poison)
        .function("lookup", &JsEngine::lookup)
        .function("alive", &JsEngine::alive)
        .function("watch", &JsEngine::watch)
        .function("subscribe", &JsEngine::subscribe)
        .function("unsubscribe", &JsEngine::unsubscribe)
        .function("eventsSince", &JsEngine::events_since)
        .function("snapshot", &JsEngine::snapshot)
        .function("counters", &JsEngine::counters)
        .function("nativeKinds", &JsEngine::native_kinds)
        .function("extension", &JsEngine::extension)
        .function("extensionNames", &JsEngine::extension_names_json)
        .function("tick", &JsEngine::tick)
        .function("hasWork", &JsEngine::has_work)
        .function("nextTimerMs", &JsEngine::next_timer_ms)
        .function("shutdown", &JsEngine::shutdown)
        .function("running", &JsEngine::running)
        .function("ctxInfo", &JsEngine::ctx_info)
        .function("ctxReply", &JsEngine::ctx_reply)
        .function("ctxRequest", &JsEngine::ctx_request)
        .function("ctxWatch", &JsEngine::ctx_watch)
        .function("ctxSendAfter", &JsEngine::ctx_send_after)
        .function("cancelTimer", &JsEngine::cancel_timer)
        .function("ctxPublish", &JsEngine::ctx_publish);
}
