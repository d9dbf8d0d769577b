#include "actors/bridge/extensions.hpp"

#include <map>
#include <stdexcept>

namespace actors::js {

namespace {
// Registration happens at start-up and calls on the page's single thread, so no lock is needed;
// function-local statics avoid the static-initialisation-order problem for registrars in other
// translation units.
std::map<std::string, ExtensionFn>& extensions() {
    static std::map<std::string, ExtensionFn> m;
    return m;
}
std::vector<EngineClosingFn>& closing_listeners() {
    static std::vector<EngineClosingFn> v;
    return v;
}
}  // namespace

void register_extension(std::string name, ExtensionFn fn) {
    if (name.empty()) throw std::invalid_argument("an extension needs a name");
    if (!fn) throw std::invalid_argument("extension '" + name + "' needs a function");
    auto [it, inserted] = extensions().emplace(std::move(name), std::move(fn));
    if (!inserted) throw std::invalid_argument("extension '" + it->first + "' is already registered");
}

json::Value call_extension(Engine& engine, const std::string& name, const json::Value& args) {
    auto it = extensions().find(name);
    if (it == extensions().end()) {
        std::string known;
        for (const auto& [n, f] : extensions()) known += (known.empty() ? "" : ", ") + n;
        throw std::invalid_argument("no extension '" + name + "' in this module (" +
                                    (known.empty() ? std::string("it has none") : "it has: " + known) + ")");
    }
    return it->second(engine, args);
}

std::vector<std::string> extension_names() {
    std::vector<std::string> out;
    for (const auto& [n, f] : extensions()) out.push_back(n);
    return out;
}

void on_engine_closing(EngineClosingFn fn) { closing_listeners().push_back(std::move(fn)); }

void engine_closing(Engine& engine) noexcept {
    for (auto& fn : closing_listeners()) {
        try {
            fn(engine);
        } catch (...) {
            // A listener that throws must not stop the others from letting go of the engine.
        }
    }
}

}  // namespace actors::js
