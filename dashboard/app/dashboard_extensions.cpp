#include "dashboard_extensions.hpp"

#include <stdexcept>

#include "actors/bridge/engine_json.hpp"
#include "actors/bridge/extensions.hpp"
#include "actors/bridge/json.hpp"
#include "app_report.hpp"

namespace actors::dashboard {

namespace {

// Only the engine the dashboard watches may drive its scenarios: a page with two engines must
// not start a scenario in the one nobody sees.
void require_attached(DashboardApp& app, Engine& engine) {
    if (app.source())
        throw std::invalid_argument("the dashboard watches another process, which runs its own scenarios; attach it to this engine first");
    if (app.engine() != &engine)
        throw std::invalid_argument("the dashboard is not attached to this engine; call engine.extension('dashboard.attach') first");
}

// Reading what the dashboard shows, or acting on one actor, is for the engine it is attached
// to, or for any engine of the page while it watches another process.
void require_watching(DashboardApp& app, Engine& engine) {
    if (!app.source()) require_attached(app, engine);
}

const json::Value* string_field(const json::Value& args, const char* key, const char* call) {
    const json::Value* v = args.is_object() ? args.find(key) : nullptr;
    if (!v || !v->is_string()) throw std::invalid_argument(std::string(call) + " needs { " + key + ": string }");
    return v;
}

const json::Value* field(const json::Value& args, const char* key) {
    if (args.is_null()) return nullptr;
    if (!args.is_object()) throw std::invalid_argument(std::string("extension args must be an object with '") + key + "'");
    return args.find(key);
}

}  // namespace

void register_dashboard_extensions(DashboardApp& app, SourceConnector connect) {
    // { pageControls: true }: the page has its own scenario picker and buttons (web/index.html),
    // so the dashboard's demo bar leaves them out: a newcomer is not asked twice.
    js::register_extension("dashboard.attach", [&app](Engine& engine, const json::Value& args) {
        if (!engine.config().stats.enabled)
            throw std::invalid_argument("the dashboard needs stats: create the engine with { stats: { enabled: true } }");
        bool page_controls = false;
        if (args.is_object()) {
            if (const json::Value* v = args.find("pageControls")) {
                if (!v->is_bool()) throw std::invalid_argument("dashboard.attach: pageControls must be a boolean");
                page_controls = v->as_bool();
            }
        } else if (!args.is_null()) {
            throw std::invalid_argument("dashboard.attach takes no argument or { pageControls: boolean }");
        }
        app.attach(engine);
        app.panel_state().demo_controls = !page_controls;
        return json::Value{true};
    });
    js::register_extension("dashboard.scenarios", [](Engine&, const json::Value&) {
        json::Array out;
        for (const auto& s : scenarios::list()) {
            json::Value o;
            o.set("name", s.name).set("title", s.title).set("description", s.description);
            out.push_back(std::move(o));
        }
        return json::Value{std::move(out)};
    });
    js::register_extension("dashboard.start", [&app](Engine& engine, const json::Value& args) {
        require_attached(app, engine);
        const json::Value* name = field(args, "name");
        if (!name || !name->is_string()) throw std::invalid_argument("dashboard.start needs { name: <scenario name> }");
        app.start_scenario(name->as_string());
        return json::Value{app.scenario()};
    });
    js::register_extension("dashboard.spawn", [&app](Engine& engine, const json::Value&) {
        require_attached(app, engine);
        app.spawn();
        return json::Value{};
    });
    js::register_extension("dashboard.crash", [&app](Engine& engine, const json::Value& args) {
        require_watching(app, engine);
        if (const json::Value* pid = field(args, "pid")) {
            if (!pid->is_string()) throw std::invalid_argument("dashboard.crash: pid must be a pid string like \"<1.2.0>\"");
            app.inject_failure(js::parse_pid(pid->as_string()));
            return json::Value{pid->as_string()};
        }
        if (app.source()) throw std::invalid_argument("dashboard.crash: name the actor ({ pid }) when watching another process");
        auto crashed = app.crash_random_pid();
        return crashed ? js::pid_json(*crashed) : json::Value{};
    });
    js::register_extension("dashboard.storm", [&app](Engine& engine, const json::Value& args) {
        require_attached(app, engine);
        const json::Value* n = field(args, "messages");
        if (!n || !n->is_number() || !(n->as_number() >= 1 && n->as_number() <= 10'000'000))
            throw std::invalid_argument("dashboard.storm needs { messages: 1 to 10000000 }");
        return json::Value{static_cast<double>(app.storm_count(static_cast<std::size_t>(n->as_number())))};
    });
    js::register_extension("dashboard.report", [&app](Engine& engine, const json::Value&) {
        require_watching(app, engine);
        return app_report_json(app);  // no frame times: the page's frames are the browser's
    });
    js::register_extension("dashboard.connect", [&app, connect](Engine&, const json::Value& args) {
        if (!connect) throw std::invalid_argument("dashboard.connect: this module was built without the remote layer");
        const std::string url = string_field(args, "url", "dashboard.connect")->as_string();
        std::string token;
        if (const json::Value* t = args.find("token")) {
            if (!t->is_string()) throw std::invalid_argument("dashboard.connect: token must be a string");
            token = t->as_string();
        }
        app.watch(connect(url, token));  // a bad URL throws before the current source goes
        return json::Value{true};
    });
    js::register_extension("dashboard.status", [&app](Engine&, const json::Value&) {
        json::Value out;
        const DashboardSource* source = app.source();
        if (!source) return out.set("mode", app.engine() ? "local" : "none");
        const SourceStatus s = source->status();
        out.set("mode", "remote")
            .set("where", s.where)
            .set("state", s.state)
            .set("engine", s.engine)
            .set("role", s.role)
            .set("reason", s.reason)
            .set("lastResult", s.last_result)
            .set("lagMs", s.lag_ms)
            .set("describe", source->describe());
        return out;
    });
    js::on_engine_closing([&app](Engine& engine) {
        if (app.engine() == &engine) app.detach();
    });
}

}  // namespace actors::dashboard
