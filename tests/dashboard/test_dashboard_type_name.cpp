#include <gtest/gtest.h>

#include "dashboard/event_log.hpp"
#include "dashboard/model.hpp"
#include "dashboard/type_name.hpp"

using namespace actors;
using namespace actors::dashboard;

TEST(DashboardTypeName, keeps_only_the_unqualified_name) {
    EXPECT_EQ(short_type_name("actors::scenarios::detail::(anonymous namespace)::CrashNow"), "CrashNow");
    EXPECT_EQ(short_type_name("(anonymous namespace)::Ping"), "Ping");
    EXPECT_EQ(short_type_name("app::Job"), "Job");
    EXPECT_EQ(short_type_name("int"), "int");
}

TEST(DashboardTypeName, shortens_template_arguments_too) {
    EXPECT_EQ(short_type_name("std::vector<app::Job, std::allocator<app::Job> >"), "vector<Job, allocator<Job> >");
    EXPECT_EQ(short_type_name("std::pair<int, a::b::C>"), "pair<int, C>");
}

TEST(DashboardTypeName, the_model_shows_short_names_in_dead_letters_and_the_log) {
    Model model;
    Event e;
    e.seq = 1;
    e.body = DeadLetter{Pid{1, 7, 0}, Pid{}, "actors::scenarios::detail::(anonymous namespace)::CrashNow",
                        DeadLetterReason::no_such_actor};
    model.fold(e);
    ASSERT_EQ(model.dead_letters().recent().size(), 1u);
    EXPECT_EQ(model.dead_letters().recent().front()->letter.message_type, "CrashNow");
    ASSERT_EQ(model.log().size(), 1u);
    const std::string line = describe(model.log().entry(0));
    EXPECT_NE(line.find("type=CrashNow "), std::string::npos) << line;
}
