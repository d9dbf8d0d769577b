#include "actors/bridge/native_registry.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

#include "actors/context.hpp"
#include "actors/bridge/js_messages.hpp"

namespace actors::js {

namespace {

class Counter final : public Actor {
public:
    void receive(Context&, Message& m) override {
        m.visit(
            [&](const JsMessage& msg) {
                if (const json::Value* add = msg.body.find("add"); add && add->is_number()) total_ += add->as_number();
            },
            [&](const JsRequest&) { return json::Value{total_}; });
    }

private:
    double total_ = 0;
};

class Echo final : public Actor {
public:
    void receive(Context&, Message& m) override {
        m.visit([&](const JsRequest& r) { return r.body; });
    }
};

struct Registry {
    std::mutex mutex;
    std::map<std::string, Producer> kinds{
        {"counter", [] { return std::make_unique<Counter>(); }},
        {"echo", [] { return std::make_unique<Echo>(); }},
    };
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

void register_native_actor(const std::string& kind, Producer producer) {
    if (kind.empty()) throw std::invalid_argument("register_native_actor: empty kind");
    if (!producer) throw std::invalid_argument("register_native_actor: empty producer for '" + kind + "'");
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    if (!r.kinds.emplace(kind, std::move(producer)).second)
        throw std::invalid_argument("register_native_actor: kind '" + kind + "' is already registered");
}

Producer native_actor(const std::string& kind) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.kinds.find(kind);
    if (it != r.kinds.end()) return it->second;
    std::string known;
    for (auto& [k, p] : r.kinds) known += (known.empty() ? "" : ", ") + k;
    throw std::invalid_argument("no native actor kind '" + kind + "' (registered: " + known + ")");
}

std::vector<std::string> native_actor_kinds() {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> out;
    for (auto& [k, p] : r.kinds) out.push_back(k);
    return out;
}

}  // namespace actors::js
