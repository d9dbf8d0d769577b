#pragma once
// The chat room of the "chat-room" scenario: it lives on a native server, and each user is an
// actor elsewhere (a JavaScript actor in a browser tab, linked with engine.connect). The room
// speaks JSON, so the tabs need nothing but the JS API:
//
//   request {"type":"join","name":N}   -> {"ok":true,"members":[names]}; the others get
//                                         {"type":"joined","name":N}
//   message {"type":"say","text":T}    -> every member gets {"type":"said","name":N,"text":T}
//   message {"type":"leave"}           -> the others get {"type":"left","name":N,"why":"leave"}
//   request {"type":"stats"}           -> {"members":n,"joined":j,"left":l,"terminated":t}
//
// The room watches each member: a tab that closes (or whose link goes down) ends in Terminated,
// and the others get {"type":"left","name":N,"why":"terminated: <reason>"}.

#include <algorithm>
#include <string>
#include <vector>

#include <actors/actors.hpp>
#include <actors/bridge/js_messages.hpp>
#include <actors/bridge/json.hpp>

namespace chat {

class Room final : public actors::Actor {
public:
    void receive(actors::Context& ctx, actors::Message& m) override {
        using actors::json::Value;
        if (auto* r = m.as<actors::js::JsRequest>()) {
            m.respond(*r, answer(ctx, m.sender(), r->body));
        } else if (auto* j = m.as<actors::js::JsMessage>()) {
            const Value* type = j->body.find("type");
            Member* who = find(m.sender());
            if (!type || !type->is_string() || !who) return;  // not a member: nothing to say
            if (type->as_string() == "say") {
                const Value* text = j->body.find("text");
                Value said;
                said.set("type", "said").set("name", who->name).set("text", text && text->is_string() ? text->as_string() : "");
                broadcast(ctx, said, actors::Pid{});
            } else if (type->as_string() == "leave") {
                ctx.unwatch(who->pid);
                remove(ctx, m.sender(), "leave");
            }
        } else if (auto* t = m.as<actors::Terminated>()) {
            if (find(t->pid)) {
                ++terminated_;
                remove(ctx, t->pid, std::string("terminated: ") + actors::to_string(t->reason));
            }
        }
    }

private:
    struct Member {
        actors::Pid pid;
        std::string name;
    };

    actors::json::Value answer(actors::Context& ctx, actors::Pid from, const actors::json::Value& body) {
        using actors::json::Value;
        Value out;
        const Value* type = body.find("type");
        if (type && type->is_string() && type->as_string() == "stats") {
            out.set("members", static_cast<double>(members_.size())).set("joined", static_cast<double>(joined_));
            out.set("left", static_cast<double>(left_)).set("terminated", static_cast<double>(terminated_));
            return out;
        }
        const Value* name = body.find("name");
        if (!type || !type->is_string() || type->as_string() != "join" || !name || !name->is_string() || name->as_string().empty() ||
            name->as_string().size() > 64) {
            return out.set("ok", false).set("error", "ask {type:'join', name (1 to 64 characters)} or {type:'stats'}");
        }
        if (find(from)) return out.set("ok", false).set("error", "already a member");
        Value joined;
        joined.set("type", "joined").set("name", name->as_string());
        broadcast(ctx, joined, actors::Pid{});
        members_.push_back({from, name->as_string()});
        ++joined_;
        ctx.watch(from);
        actors::json::Array names;
        for (const auto& mem : members_) names.emplace_back(mem.name);
        return out.set("ok", true).set("members", std::move(names));
    }

    void remove(actors::Context& ctx, actors::Pid pid, const std::string& why) {
        auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& mem) { return mem.pid == pid; });
        if (it == members_.end()) return;
        actors::json::Value left;
        left.set("type", "left").set("name", it->name).set("why", why);
        members_.erase(it);
        ++left_;
        broadcast(ctx, left, actors::Pid{});
    }

    void broadcast(actors::Context& ctx, const actors::json::Value& v, actors::Pid except) {
        for (const auto& mem : members_)
            if (mem.pid != except) ctx.send(mem.pid, actors::js::JsMessage{v});
    }

    Member* find(actors::Pid pid) {
        for (auto& mem : members_)
            if (mem.pid == pid) return &mem;
        return nullptr;
    }

    std::vector<Member> members_;
    std::uint64_t joined_ = 0, left_ = 0, terminated_ = 0;
};

}  // namespace chat
