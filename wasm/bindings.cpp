// Embind bindings: the browser side of the runtime, and with the scheduling glue in js/actors.mjs
// the only runtime-side code that includes <emscripten/...>.
//
// Two rules keep a misbehaving page from corrupting the engine:
//  - No C++ exception crosses into JavaScript: every bound call returns {"ok":true,"value":...}
//    or {"ok":false,"error":...,"code":...} as JSON text, and the JS wrapper throws a JS Error;
//    the per-message exports at the end return a number, -1 with lastError()/lastErrorCode().
//  - No JavaScript exception crosses into C++ (it would unwind wasm frames without running
//    destructors): JS behaviours are called through a shim that catches everything and reports
//    {"ok":false,"error":...}, which the JS actor turns into a C++ failure for its supervisor.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
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
#include "js_link.hpp"
#include "js_slot.hpp"
#include "page_clock.hpp"
#include "ref_cache.hpp"

// Direct calls into the page's engine object (js/actors.mjs registers it in Module.actorsEngines).
// These are plain wasm imports taking numbers: the per-message path, where an Embind call with
// strings and a method looked up by name would cost more than the message itself.
// deliver returns 0 (done), a reply's slot (> 0), or -1 (the handler failed: see takeError).
EM_JS(int, actors_js_deliver, (int engine, int behaviour, int slot, int kind), {
    return Module["actorsEngines"][engine].deliver(behaviour, slot, kind);
});
EM_JS(void, actors_js_release, (int engine, int slot), {
    const e = Module["actorsEngines"] && Module["actorsEngines"][engine];
    if (e) e.release(slot);
});
EM_JS(void, actors_js_forget_behaviour, (int engine, int behaviour), {
    const e = Module["actorsEngines"] && Module["actorsEngines"][engine];
    if (e) e.forgetBehaviour(behaviour);
});
EM_JS(void, actors_js_events_pending, (int engine), {
    const e = Module["actorsEngines"] && Module["actorsEngines"][engine];
    if (e) e.eventsPending();
});
// A ctx.request callback with its reply's slot; returns 0, or -1 when it threw (see takeError).
EM_JS(int, actors_js_callback, (int engine, int id, int slot), {
    return Module["actorsEngines"][engine].callback(id, slot);
});
EM_JS(void, actors_js_settle, (int engine, int id, int slot), {
    const e = Module["actorsEngines"] && Module["actorsEngines"][engine];
    if (e) e.settle(id, slot);
});

namespace actors::js {

using emscripten::val;

void release_js_slot(int engine, int slot) noexcept { actors_js_release(engine, slot); }

// Delivery kinds understood by the engine's deliver() in js/actors.mjs.
enum DeliveryKind : int { deliver_message = 0, deliver_request = 1, deliver_started = 2, deliver_stopped = 3 };

// A behaviour object stays in the page (the engine's behaviours table); C++ holds its number.
// Shared by every incarnation of the actor: the table entry goes when the last one (and the
// producer that restarts it) does.
class BehaviourRef {
public:
    BehaviourRef(int engine, int id) noexcept : engine_(engine), id_(id) {}
    BehaviourRef(const BehaviourRef&) = delete;
    BehaviourRef& operator=(const BehaviourRef&) = delete;
    ~BehaviourRef() { actors_js_forget_behaviour(engine_, id_); }
    [[nodiscard]] int id() const noexcept { return id_; }

private:
    int engine_;
    int id_;
};

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

EngineConfig on_page_clock(EngineConfig config) {
    if (!config.clock) config.clock = std::make_shared<PageClock>();
    return config;
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
    JsActor(JsEngine& bridge, std::shared_ptr<BehaviourRef> behaviour) : bridge_(bridge), behaviour_(std::move(behaviour)) {}
    void started(Context& ctx) override;
    void stopped(Context& ctx) override;
    void receive(Context& ctx, Message& m) override;

private:
    JsEngine& bridge_;
    std::shared_ptr<BehaviourRef> behaviour_;
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
    // `js_id` is the engine's number in Module.actorsEngines, for the direct calls both ways.
    JsEngine(std::string options_json, val shim, int js_id)
        : shim_(std::move(shim)), js_id_(js_id), engine_(on_page_clock(engine_config_from(json::parse(options_json)))) {
        // js/actors.mjs numbers engines from 1 (no exception may cross into JS from here).
        js_id_ = std::max(js_id_, 0);
        auto& all = by_id();
        if (all.size() <= static_cast<std::size_t>(js_id_)) all.resize(static_cast<std::size_t>(js_id_) + 1, nullptr);
        all[static_cast<std::size_t>(js_id_)] = this;
    }
    // Extensions holding this engine (a dashboard) let go before it is destroyed.
    ~JsEngine() {
        closing_ = true;
        link_.reset();
        engine_closing(engine_);
        by_id()[static_cast<std::size_t>(js_id_)] = nullptr;
    }

    // The engines of this module by their JS number (which only grows: a page makes few engines),
    // for the exported functions below: an index, since every message looks its engine up.
    static std::vector<JsEngine*>& by_id() {
        static std::vector<JsEngine*> engines;
        return engines;
    }
    static JsEngine* find(int js_id) {
        auto& all = by_id();
        return js_id >= 0 && static_cast<std::size_t>(js_id) < all.size() ? all[static_cast<std::size_t>(js_id)] : nullptr;
    }
    [[nodiscard]] int js_id() const noexcept { return js_id_; }
    JsEngine(const JsEngine&) = delete;
    JsEngine& operator=(const JsEngine&) = delete;

    // Factory that reports bad options as a result instead of throwing through embind.
    static std::string validate_options(std::string options_json) {
        return guarded([&] {
            (void)engine_config_from(json::parse(options_json));
            return json::Value{};
        });
    }

    // `behaviour` is the behaviour's number in the engine's JS table; from here on C++ owns it.
    std::string spawn(std::string name, int behaviour, std::string options_json) {
        auto ref = std::make_shared<BehaviourRef>(js_id_, behaviour);
        return guarded([&] {
            SpawnOptions so = options_json.empty() ? SpawnOptions{} : spawn_options_from(json::parse(options_json));
            Producer p = js_producer(std::move(ref));
            if (Context* ctx = current()) return pid_json(ctx->spawn(name, std::move(p), std::move(so)));
            return pid_json(engine_.spawn(name, std::move(p), std::move(so)));
        });
    }

    // spawn() without options, for the exports: the name is the scratch buffer's first `bytes`.
    Pid spawn_default(int behaviour, std::size_t bytes) {
        auto ref = std::make_shared<BehaviourRef>(js_id_, behaviour);
        if (bytes > scratch_.size()) throw std::invalid_argument("the name is longer than the scratch buffer");
        std::string name(scratch_.data(), bytes);
        if (Context* ctx = current()) return ctx->spawn(name, js_producer(std::move(ref)));
        return engine_.spawn(name, js_producer(std::move(ref)));
    }
    double node() const { return static_cast<double>(engine_.node()); }

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
            request_value(parse_pid(pid), json::parse(body_json), timeout_ms, id);
            return json::Value{};
        });
    }
    void request_value(Pid to, json::Value body, double timeout_ms, int id) {
        auto timeout = timeout_from(timeout_ms);
        engine_.request(to, JsRequest{std::move(body)}, timeout).then([this, id](Result<json::Value> r) {
            shim_.call<void>("settle", id, json::dump(result_json(r)));
        });
    }

    // --- JS values that stay in JS (js_slot.hpp): called through the exports at the end -----
    SendStatus send_slot(Pid to, JsSlot value) {
        const ActorRef& ref = refs_[to];
        if (Context* ctx = current()) return ctx->send(ref, JsMessageSlot{std::move(value)});
        return engine_.send(ref, JsMessageSlot{std::move(value)});
    }
    void request_slot(Pid to, JsSlot value, double timeout_ms, int id) {
        auto timeout = timeout_from(timeout_ms);
        engine_.request(to, JsRequestSlot{std::move(value)}, timeout).then([this, id](Result<JsReplySlot> r) {
            if (r.ok()) return actors_js_settle(js_id_, id, r.value().value->take());
            json::Value o;
            o.set("ok", false).set("error", r.error().message()).set("code", to_string(r.error().code));
            shim_.call<void>("settle", id, json::dump(o));
        });
    }
    // ctx.reply(value) for a request that came as a slot.
    std::string ctx_reply_slot(int slot) {
        JsSlot value{js_id_, slot};
        return with_ctx([&](Context& c) {
            Message& m = c.message();
            auto* req = m.as<JsRequestSlot>();
            if (!req) throw std::logic_error("ctx.reply(): the message being handled is not a request");
            if (!m.expects_reply()) throw std::logic_error("ctx.reply(): this request was already answered");
            m.respond(*req, JsReplySlot{std::make_shared<JsSlot>(std::move(value))});
            return json::Value{};
        });
    }
    // JSON that crosses into C++ (to a native actor): JS writes the UTF-8 text straight into
    // this buffer (actors_scratch) instead of handing Embind a string to copy.
    char* scratch(std::size_t bytes) {
        if (scratch_.size() < bytes) scratch_.resize(bytes);
        return scratch_.data();
    }
    SendStatus send_json(Pid to, std::size_t bytes) {
        JsMessage msg{scratch_json(bytes)};
        const ActorRef& ref = refs_[to];
        if (Context* ctx = current()) return ctx->send(ref, std::move(msg));
        return engine_.send(ref, std::move(msg));
    }
    json::Value scratch_json(std::size_t bytes) const {
        if (bytes > scratch_.size()) throw std::invalid_argument("the message is longer than the scratch buffer");
        return json::parse(std::string_view(scratch_.data(), bytes));
    }

    // What the exports report when they fail (they return -1 and cannot throw into JS).
    std::string last_error() const { return last_error_; }
    std::string last_error_code() const { return last_error_code_; }
    void set_last_error(std::string e, const char* code) {
        last_error_ = std::move(e);
        last_error_code_ = code;
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
            // Batched: the page takes every event since its last look in one call (take_events),
            // after the turn, instead of one call from wasm into JS per event.
            SubscriptionId sub = engine_.events().subscribe([this, id](const Event& e) {
                const bool first = events_.size() <= 1;
                events_ += '[';
                events_ += std::to_string(id);
                events_ += ',';
                events_ += json::dump(event_json(e));
                events_ += "],";
                if (first) actors_js_events_pending(js_id_);
            });
            subscriptions_[id] = sub;
            return json::Value{};
        });
    }

    // The events for subscribers since the last call: [[subscription, event], ...] as JSON.
    std::string take_events() {
        std::string out = std::move(events_);
        events_ = "[";
        if (out.size() <= 1) return "[]";
        out.back() = ']';  // the last ','
        return out;
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
    // One turn for the page's scheduler, in one call: -2 when work is left (the budget ran out),
    // else the next timer in ms, or -1 when there is none.
    double turn(double budget_ms) {
        tick(budget_ms);
        return has_work() ? -2 : next_timer_ms();
    }
    // --- engine.connect: this engine's link to other processes (js_link.hpp) ---------------
    // Dials `url`; the peer node's name, or why it refused, comes through shim.settle(id, ...).
    // The engine has one Node: the first connect names it and sets its token; a later connect
    // must agree with both.
    std::string connect(std::string url, std::string options_json, int id) {
        return guarded([&] {
            json::Value o = json::parse(options_json);
            const json::Value* token = o.find("token");
            const json::Value* name = o.find("name");
            if (!token || !token->is_string()) throw std::invalid_argument("connect(url, options): options.token must be a string");
            if (!name || !name->is_string()) throw std::invalid_argument("connect(url, options): options.name must be a string");
            if (!link_) {
                link_ = std::make_unique<JsLink>(engine_, name->as_string(), token->as_string(), [this] {
                    if (!closing_) shim_.call<void>("wake");
                });
            } else if (link_->node().name() != name->as_string() || link_->token() != token->as_string()) {
                throw std::invalid_argument("connect(url, options): this engine is already linked as \"" + link_->node().name() +
                                            "\" with another token or name; one engine is one node");
            }
            link_->node().connect(url).then([this, id](Result<std::string> r) {
                shim_.call<void>("settle", id, json::dump(r.ok() ? result_json(Result<json::Value>{json::Value{r.value()}})
                                                               : result_json(Result<json::Value>{r.error()})));
            });
            return json::Value{link_->node().name()};
        });
    }
    // A named actor on a linked node: its Pid, null when it has no such actor, through settle.
    std::string remote_lookup(std::string node, std::string actor, int id) {
        return guarded([&] {
            if (!link_) throw std::logic_error("lookupRemote(): connect() first");
            link_->node().lookup(node, actor).then([this, id](Result<Pid> r) {
                json::Value o;
                if (r.ok()) o.set("ok", true).set("value", pid_json(r.value()));
                else if (r.error().code == ErrorCode::no_such_actor) o.set("ok", true).set("value", json::Value{});
                else o = result_json(Result<json::Value>{r.error()});
                shim_.call<void>("settle", id, json::dump(o));
            });
            return json::Value{};
        });
    }
    // The links: [{node, connected, incarnation}], [] before the first connect.
    std::string links() {
        return guarded([&] {
            json::Array out;
            if (link_) {
                for (const auto& l : link_->node().links()) {
                    json::Value v;
                    v.set("node", l.peer).set("connected", l.connected);
                    out.push_back(std::move(v));
                }
            }
            return json::Value{std::move(out)};
        });
    }
    // Which node a Pid lives on: "" for this engine, null when unknown.
    std::string node_of(std::string pid) {
        return guarded([&] {
            Pid p = parse_pid(pid);
            if (!link_) return p.node == engine_.node() ? json::Value{""} : json::Value{};
            auto n = link_->node().node_of(p);
            return n ? json::Value{*n} : json::Value{};
        });
    }

    std::string shutdown() {
        return guarded([&] {
            // The links first: their last frames go out and no socket event wakes a stopped engine.
            closing_ = true;
            link_.reset();
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
    // ctx.request to a JS actor of this engine: the value and its reply stay JS values.
    std::string ctx_request_slot(double node, double id, double generation, int slot, double timeout_ms, int callback) {
        JsSlot value{js_id_, slot};
        return with_ctx([&](Context& c) {
            Pid to{static_cast<std::uint32_t>(node), static_cast<std::uint64_t>(id), static_cast<std::uint32_t>(generation)};
            c.request(to, JsRequestSlot{std::move(value)}, timeout_from(timeout_ms), [this, callback](Context& inner, Result<JsReplySlot> r) {
                if (!r.ok()) return invoke_callback(inner, callback, result_json(Result<json::Value>(r.error())));
                contexts_.push_back(&inner);
                const int status = actors_js_callback(js_id_, callback, r.value().value->take());
                contexts_.pop_back();
                if (status < 0) throw std::runtime_error(shim_.call<std::string>("takeError"));
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
    json::Value invoke(Context& ctx, int behaviour, const char* method, const json::Value& body, bool is_request) {
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
    // The per-message path: a slot (or none, for the hooks) to the behaviour, no JSON. Returns the
    // reply's slot, or 0; a handler that threw fails this actor with its message.
    int deliver(Context& ctx, int behaviour, int slot, DeliveryKind kind) {
        contexts_.push_back(&ctx);
        int r = actors_js_deliver(js_id_, behaviour, slot, kind);
        contexts_.pop_back();
        if (r < 0) throw std::runtime_error(shim_.call<std::string>("takeError"));
        return r;
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
    Producer js_producer(std::shared_ptr<BehaviourRef> behaviour) {
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
    int js_id_;
    std::string last_error_;
    std::string last_error_code_;
    std::string scratch_;
    std::string events_ = "[";  // take_events()'s text, open
    Engine engine_;
    std::unique_ptr<JsLink> link_;  // after engine_: the Node goes before the engine it is on
    RefCache refs_{engine_};        // after engine_: the refs go first
    bool closing_ = false;
    std::vector<Context*> contexts_;
    std::map<int, SubscriptionId> subscriptions_;
    struct OwnedTimer {
        Pid owner;
        TimerHandle handle;
    };
    std::map<int, OwnedTimer> timers_;
    int timer_ids_ = 0;
};

void JsActor::started(Context& ctx) { bridge_.deliver(ctx, behaviour_->id(), 0, deliver_started); }

void JsActor::stopped(Context& ctx) { bridge_.deliver(ctx, behaviour_->id(), 0, deliver_stopped); }

void JsActor::receive(Context& ctx, Message& m) {
    if (auto* s = m.as<JsMessageSlot>()) {
        bridge_.deliver(ctx, behaviour_->id(), s->value.take(), deliver_message);
        return;
    }
    if (auto* rs = m.as<JsRequestSlot>()) {
        int reply = bridge_.deliver(ctx, behaviour_->id(), rs->value.take(), deliver_request);
        if (reply > 0) {
            auto value = std::make_shared<JsSlot>(bridge_.js_id(), reply);
            if (m.expects_reply()) m.respond(*rs, JsReplySlot{std::move(value)});
        }
        return;
    }
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
    json::Value r = bridge_.invoke(ctx, behaviour_->id(), "receive", body, req != nullptr);
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

// The per-message calls from JS, as plain wasm exports taking numbers (Module._actors_*): an
// Embind call would parse a pid string and copy it into wasm memory on every send. The pid
// comes in parts (JS caches them per actor); the slot belongs to C++ as soon as the call starts.
// They return -1 on failure, with the message in the engine's lastError().
namespace {
template <class F>
int reporting(actors::js::JsEngine* e, F&& f) {
    try {
        return f();
    } catch (const actors::ActorError& x) {
        e->set_last_error(x.what(), actors::to_string(x.error().code));
    } catch (const actors::json::Error& x) {
        e->set_last_error(x.what(), "invalid_json");
    } catch (const std::invalid_argument& x) {
        e->set_last_error(x.what(), "invalid_argument");
    } catch (const std::logic_error& x) {
        e->set_last_error(x.what(), "logic_error");
    } catch (const std::exception& x) {
        e->set_last_error(x.what(), "error");
    } catch (...) {
        e->set_last_error("unknown C++ exception", "error");
    }
    return -1;
}
actors::Pid pid_of(double node, double id, double generation) {
    return actors::Pid{static_cast<std::uint32_t>(node), static_cast<std::uint64_t>(id), static_cast<std::uint32_t>(generation)};
}
}  // namespace

extern "C" {
// Returns the SendStatus as a number.
EMSCRIPTEN_KEEPALIVE int actors_send_slot(int engine, double node, double id, double generation, int slot) {
    actors::js::JsSlot value{engine, slot};
    auto* e = actors::js::JsEngine::find(engine);
    if (!e) return -1;
    return reporting(e, [&] { return static_cast<int>(e->send_slot(pid_of(node, id, generation), std::move(value))); });
}
// Spawns a JS actor with the default options, named by the scratch buffer's first `name_bytes`
// (0: unnamed). Returns its id (the pid is <node.id.0>), or -1.
EMSCRIPTEN_KEEPALIVE double actors_spawn(int engine, int behaviour, int name_bytes) {
    auto* e = actors::js::JsEngine::find(engine);
    if (!e || name_bytes < 0) return -1;
    double id = -1;
    reporting(e, [&] {
        id = static_cast<double>(e->spawn_default(behaviour, static_cast<std::size_t>(name_bytes)).id);
        return 0;
    });
    return id;
}
EMSCRIPTEN_KEEPALIVE double actors_turn(int engine, double budget_ms) {
    auto* e = actors::js::JsEngine::find(engine);
    return e ? e->turn(budget_ms) : -1;
}
// A buffer of at least `bytes` for actors_send_json; valid until the next call.
EMSCRIPTEN_KEEPALIVE char* actors_scratch(int engine, int bytes) {
    auto* e = actors::js::JsEngine::find(engine);
    return e && bytes >= 0 ? e->scratch(static_cast<std::size_t>(bytes)) : nullptr;
}
// The JSON text of `bytes` bytes in the scratch buffer, to any actor. Returns the SendStatus.
EMSCRIPTEN_KEEPALIVE int actors_send_json(int engine, double node, double id, double generation, int bytes) {
    auto* e = actors::js::JsEngine::find(engine);
    if (!e || bytes < 0) return -1;
    return reporting(e, [&] { return static_cast<int>(e->send_json(pid_of(node, id, generation), static_cast<std::size_t>(bytes))); });
}
// A request whose JSON text is in the scratch buffer; the answer comes through the shim's settle.
EMSCRIPTEN_KEEPALIVE int actors_request_json(int engine, double node, double id, double generation, int bytes, double timeout_ms,
                                             int request) {
    auto* e = actors::js::JsEngine::find(engine);
    if (!e || bytes < 0) return -1;
    return reporting(e, [&] {
        e->request_value(pid_of(node, id, generation), e->scratch_json(static_cast<std::size_t>(bytes)), timeout_ms, request);
        return 0;
    });
}
// The answer comes through actors_js_settle (or the shim's settle for an error) with `request`.
EMSCRIPTEN_KEEPALIVE int actors_request_slot(int engine, double node, double id, double generation, int slot, double timeout_ms,
                                             int request) {
    actors::js::JsSlot value{engine, slot};
    auto* e = actors::js::JsEngine::find(engine);
    if (!e) return -1;
    return reporting(e, [&] {
        e->request_slot(pid_of(node, id, generation), std::move(value), timeout_ms, request);
        return 0;
    });
}
}

EMSCRIPTEN_BINDINGS(actors) {
    using actors::js::JsEngine;
    emscripten::class_<JsEngine>("JsEngine")
        .constructor<std::string, emscripten::val, int>()
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
        .function("takeEvents", &JsEngine::take_events)
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
        .function("ctxReplySlot", &JsEngine::ctx_reply_slot)
        .function("lastError", &JsEngine::last_error)
        .function("node", &JsEngine::node)
        .function("lastErrorCode", &JsEngine::last_error_code)
        .function("ctxRequest", &JsEngine::ctx_request)
        .function("ctxRequestSlot", &JsEngine::ctx_request_slot)
        .function("ctxWatch", &JsEngine::ctx_watch)
        .function("ctxSendAfter", &JsEngine::ctx_send_after)
        .function("cancelTimer", &JsEngine::cancel_timer)
        .function("ctxPublish", &JsEngine::ctx_publish)
        .function("connect", &JsEngine::connect)
        .function("lookupRemote", &JsEngine::remote_lookup)
        .function("links", &JsEngine::links)
        .function("nodeOf", &JsEngine::node_of);
}
