// chat-room: a lobby (the scenario's root) opens a room and lets users in and out. Users join,
// chat every 1-3 s, and watch the room; the room broadcasts every line to its members and watches
// them, so a user who leaves (is stopped) is announced as gone. Lines, joins and leaves are also
// published as CustomEvents (topic "chat") for the dashboard's log. Stop the room and every user
// learns it through death watch and leaves; the lobby opens a new room.
#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "catalog.hpp"
#include "demo_actor.hpp"
#include "rooted_scenario.hpp"

namespace actors::scenarios::detail {
namespace {

using namespace std::chrono_literals;

struct Join {
    std::string nick;
};
struct Say {
    std::string nick;
    std::string text;
};
struct Said {
    std::string nick;
    std::string text;
};
struct Chatter {};
struct Churn {};

constexpr std::size_t kFirstUsers = 5;
constexpr std::size_t kMinUsers = 3;
constexpr std::size_t kMaxUsers = 8;
constexpr Duration kChurnEvery = 2s;

constexpr const char* kNicks[] = {"ada", "alan", "barbara", "dennis", "grace", "ken", "linus", "margaret", "radia", "tim"};
constexpr const char* kLines[] = {"hi all",  "anyone tried the new build?", "lunch?", "brb",
                                  "tests are green", "who broke main?", "+1",  "on it"};

class Room final : public DemoActor {
protected:
    void handle(Context& ctx, Message& msg) override {
        msg.visit([&](const Join& j) { admit(ctx, msg.sender(), j.nick); },
                  [&](const Say& s) {
                      // A restarted room has forgotten its members: whoever speaks is back in.
                      if (msg.sender() && !member(msg.sender())) admit(ctx, msg.sender(), s.nick);
                      broadcast(ctx, Said{s.nick, s.text});
                      ctx.publish("chat", s.nick + ": " + s.text);
                  },
                  [&](const Terminated& t) {
                      auto it = std::find_if(members_.begin(), members_.end(),
                                             [&](const auto& m) { return m.first.same_actor(t.pid); });
                      if (it == members_.end()) return;
                      const std::string nick = it->second;
                      members_.erase(it);
                      broadcast(ctx, Said{"room", nick + " left"});
                      ctx.publish("chat", nick + " left (" + to_string(t.reason) + ")");
                  });
    }

private:
    void admit(Context& ctx, Pid user, const std::string& nick) {
        if (!user || member(user)) return;
        members_.emplace_back(user, nick);
        ctx.watch(user);
        broadcast(ctx, Said{"room", nick + " joined"});
        ctx.publish("chat", nick + " joined");
    }
    [[nodiscard]] bool member(Pid p) const {
        return std::any_of(members_.begin(), members_.end(), [&](const auto& m) { return m.first.same_actor(p); });
    }
    void broadcast(Context& ctx, const Said& line) {
        for (const auto& m : members_) ctx.send(m.first, line);
    }

    std::vector<std::pair<Pid, std::string>> members_;
};

class User final : public DemoActor {
public:
    User(Pid room, std::string nick) : room_(room), nick_(std::move(nick)) {}

    void started(Context& ctx) override {
        rng_ = rng_for(ctx);
        ctx.watch(room_);
        ctx.send(room_, Join{nick_});
        ctx.send_repeat(rng_.between(1s, 3s), ctx.self(), Chatter{});
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        if (msg.is<Chatter>()) {
            ctx.send(room_, Say{nick_, kLines[rng_.below(std::size(kLines))]});
        } else if (auto* t = msg.as<Terminated>(); t && t->pid.same_actor(room_)) {
            ctx.stop();  // the room closed: nothing left to say
        }
    }

private:
    Pid room_;
    std::string nick_;
    Rng rng_;
};

class Lobby final : public DemoActor {
public:
    void started(Context& ctx) override {
        rng_ = rng_for(ctx);
        open_room(ctx, kFirstUsers);
        ctx.send_repeat(kChurnEvery, ctx.self(), Churn{});
    }

protected:
    void handle(Context& ctx, Message& msg) override {
        msg.visit([&](const AddMember&) { return join(ctx); },
                  [&](const Churn&) {
                      if (users_.size() > kMinUsers && rng_.one_in(2)) {
                          const auto i = rng_.below(users_.size());
                          ctx.stop(users_[i]);  // leaves: the room hears of it through its watch
                          users_.erase(users_.begin() + static_cast<std::ptrdiff_t>(i));
                      }
                      if (users_.size() < kMaxUsers && rng_.one_in(2)) join(ctx);
                  },
                  [&](const Terminated& t) {
                      if (t.pid.same_actor(room_)) {
                          open_room(ctx, kMinUsers);  // its users leave on their own (they watch it)
                          return;
                      }
                      std::erase_if(users_, [&](const Pid& u) { return u.same_actor(t.pid); });
                  });
    }

private:
    void open_room(Context& ctx, std::size_t users) {
        users_.clear();
        room_ = ctx.spawn<Room>("room-" + std::to_string(++rooms_));
        ctx.watch(room_);
        for (std::size_t i = 0; i < users; ++i) join(ctx);
    }
    Pid join(Context& ctx) {
        const std::size_t n = ++joined_;
        const Pid user = ctx.spawn<User>("user-" + std::to_string(n), room_,
                                         std::string(kNicks[(n - 1) % std::size(kNicks)]) + "-" + std::to_string(n));
        ctx.watch(user);
        users_.push_back(user);
        return user;
    }

    Rng rng_;
    Pid room_;
    std::vector<Pid> users_;
    unsigned rooms_ = 0;
    std::size_t joined_ = 0;
};

class ChatRoom final : public RootedScenario {
public:
    using RootedScenario::RootedScenario;

    // Lines from nobody in particular; each goes to every member.
    std::size_t storm(Engine& engine, std::size_t messages) override {
        auto rooms = members(engine, [](std::string_view leaf) { return starts_with(leaf, "room-"); });
        if (rooms.empty()) return 0;
        for (std::size_t i = 0; i < messages; ++i) engine.send(rooms.back(), Say{"storm", "line " + std::to_string(i + 1)});
        return messages;
    }

protected:
    [[nodiscard]] Producer root_producer() const override { return producer_of<Lobby>(); }
    [[nodiscard]] bool crashable(std::string_view leaf) const override {
        return starts_with(leaf, "user-") || starts_with(leaf, "room-");
    }
};

}  // namespace

std::unique_ptr<Scenario> make_chat_room(const ScenarioInfo& info) { return std::make_unique<ChatRoom>(info); }

}  // namespace actors::scenarios::detail
