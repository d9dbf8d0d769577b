#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::DeterministicEngine;

namespace {
struct Parent : Actor {
    explicit Parent(int n) : count(n) {}
    void started(Context& ctx) override {
        for (int i = 1; i <= count; ++i)
            ctx.spawn_fn("child-" + std::to_string(i), [](Context&, Message&) {});
    }
    void receive(Context& ctx, Message& m) override {
        if (auto* s = m.as<std::string>(); s && *s == "spawn-grandchild") {
            // a child that has its own child
            ctx.spawn("middle", Producer([] {
                struct Middle : Actor {
                    void started(Context& c) override { c.spawn_fn("leaf", [](Context&, Message&) {}); }
                    void receive(Context&, Message&) override {}
                };
                return std::unique_ptr<Actor>(new Middle());
            }));
        }
    }
    int count;
};
}  // namespace

using Children = DeterministicEngine;

TEST_F(Children, ChildNamesAreRegisteredUnderTheParentPath) {
    Pid parent = engine.spawn<Parent>("parent", {}, 3);
    run();
    auto c2 = engine.lookup("parent/child-2");
    ASSERT_TRUE(c2);
    auto info = engine.info(*c2);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->parent, parent);
    auto pinfo = engine.info(parent);
    ASSERT_EQ(pinfo->children.size(), 3u);
    EXPECT_EQ(pinfo->children[1], *c2);
}

TEST_F(Children, SiblingNamesMayRepeatUnderDifferentParents) {
    engine.spawn<Parent>("a", {}, 1);
    engine.spawn<Parent>("b", {}, 1);
    run();
    EXPECT_TRUE(engine.lookup("a/child-1"));
    EXPECT_TRUE(engine.lookup("b/child-1"));
}

TEST_F(Children, StoppingAParentStopsItsChildrenFirstInReverseSpawnOrder) {
    Pid parent = engine.spawn<Parent>("parent", {}, 3);
    run();
    std::vector<Pid> kids = engine.info(parent)->children;
    sink.clear();
    engine.stop(parent);
    run();
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 4u);
    EXPECT_EQ(stopped[0].pid, kids[2]);
    EXPECT_EQ(stopped[1].pid, kids[1]);
    EXPECT_EQ(stopped[2].pid, kids[0]);
    EXPECT_EQ(stopped[3].pid, parent);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(stopped[static_cast<std::size_t>(i)].reason, StopReason::parent_stopped);
    EXPECT_EQ(stopped[3].reason, StopReason::requested);
}

TEST_F(Children, StopReachesGrandchildrenDepthFirst) {
    Pid parent = engine.spawn<Parent>("p", {}, 1);
    engine.send(parent, std::string("spawn-grandchild"));
    run();
    Pid leaf = *engine.lookup("p/middle/leaf");
    Pid middle = *engine.lookup("p/middle");
    Pid child1 = *engine.lookup("p/child-1");
    sink.clear();
    engine.stop(parent);
    run();
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 4u);
    EXPECT_EQ(stopped[0].pid, leaf);
    EXPECT_EQ(stopped[1].pid, middle);
    EXPECT_EQ(stopped[2].pid, child1);
    EXPECT_EQ(stopped[3].pid, parent);
}

TEST_F(Children, AChildThatStopsAloneLeavesItsParentsList) {
    Pid parent = engine.spawn<Parent>("parent", {}, 2);
    run();
    Pid c1 = *engine.lookup("parent/child-1");
    engine.stop(c1);
    run();
    auto kids = engine.info(parent)->children;
    ASSERT_EQ(kids.size(), 1u);
    EXPECT_NE(kids[0], c1);
    EXPECT_TRUE(engine.alive(parent));
}

TEST_F(Children, ContextListsChildrenAndSpawnsTypedChildren) {
    auto seen = std::make_shared<std::size_t>(0);
    struct Kid : Actor {
        void receive(Context&, Message&) override {}
    };
    engine.spawn_fn("p", [seen](Context& ctx, Message& m) {
        if (m.is<Started>()) {
            ctx.spawn<Kid>("k1");
            ctx.spawn<Kid>("k2");
            *seen = ctx.children().size();
        }
    });
    run();
    EXPECT_EQ(*seen, 2u);
}

TEST_F(Children, SpawnedEventNamesTheParent) {
    Pid parent = engine.spawn<Parent>("parent", {}, 1);
    run();
    auto spawned = sink.of<ActorSpawned>();
    ASSERT_EQ(spawned.size(), 2u);
    EXPECT_EQ(spawned[1].parent, parent);
    EXPECT_EQ(spawned[1].name, "parent/child-1");
}

TEST_F(Children, ParentCannotSpawnWhileStopping) {
    auto error = std::make_shared<std::optional<ErrorCode>>();
    struct LateSpawner : Actor {
        explicit LateSpawner(std::shared_ptr<std::optional<ErrorCode>> e) : err(std::move(e)) {}
        void stopped(Context& ctx) override {
            try {
                ctx.spawn_fn("too-late", [](Context&, Message&) {});
            } catch (const ActorError& e) {
                *err = e.error().code;
            }
        }
        void receive(Context&, Message&) override {}
        std::shared_ptr<std::optional<ErrorCode>> err;
    };
    Pid p = engine.spawn<LateSpawner>("late", {}, error);
    run();
    engine.stop(p);
    run();
    ASSERT_TRUE(error->has_value());
    EXPECT_EQ(**error, ErrorCode::actor_stopped);
    EXPECT_FALSE(engine.lookup("late/too-late"));
}
