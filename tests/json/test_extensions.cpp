// The registry of native extensions behind engine.extension() in the JS API.
#include <gtest/gtest.h>

#include <stdexcept>

#include "actors/bridge/extensions.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using actors::testing::TestEngine;

namespace {
std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}
}  // namespace

TEST(Extensions, a_registered_extension_gets_the_engine_and_its_args) {
    js::register_extension("test.count_actors", [](Engine& e, const json::Value& args) {
        return json::Value{static_cast<double>(e.counters().live_actors) + args.as_number()};
    });
    TestEngine t;
    t.engine.spawn_fn("a", [](Context&, Message&) {});
    EXPECT_EQ(js::call_extension(t.engine, "test.count_actors", json::Value{10.0}).as_number(), 11.0);
}

TEST(Extensions, an_unknown_name_lists_the_ones_there_are) {
    js::register_extension("test.listed", [](Engine&, const json::Value&) { return json::Value{}; });
    TestEngine t;
    const std::string msg = error_of([&] { js::call_extension(t.engine, "nope", {}); });
    EXPECT_NE(msg.find("no extension 'nope'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("test.listed"), std::string::npos) << msg;
}

TEST(Extensions, names_must_be_unique_and_non_empty) {
    auto fn = [](Engine&, const json::Value&) { return json::Value{}; };
    js::register_extension("test.once", fn);
    EXPECT_NE(error_of([&] { js::register_extension("test.once", fn); }).find("already registered"), std::string::npos);
    EXPECT_NE(error_of([&] { js::register_extension("", fn); }).find("needs a name"), std::string::npos);
}

TEST(Extensions, closing_listeners_hear_about_an_engine_before_it_goes) {
    static Engine* closed = nullptr;
    js::on_engine_closing([](Engine& e) { closed = &e; });
    js::on_engine_closing([](Engine&) { throw std::runtime_error("a bad listener"); });
    TestEngine t;
    js::engine_closing(t.engine);
    EXPECT_EQ(closed, &t.engine);
}
