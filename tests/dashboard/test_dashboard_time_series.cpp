// Rates over time: one point per closed bucket of engine time, zeros for empty buckets, levels
// carried, at most `points` kept.
#include <gtest/gtest.h>

#include <stdexcept>

#include "dashboard/time_series.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;

TEST(DashboardTimeSeries, shows_a_bucket_only_once_it_has_closed) {
    TimeSeries ts(1s, 10);
    ts.add(Series::spawns, 100ms, 1);
    ts.add(Series::spawns, 900ms, 1);
    EXPECT_TRUE(ts.points(Series::spawns).empty()) << "a half bucket would look like a dip";
    ts.advance_to(1s);
    EXPECT_EQ(ts.points(Series::spawns), (std::vector<float>{2}));
    EXPECT_FLOAT_EQ(ts.latest(Series::spawns), 2);
}

TEST(DashboardTimeSeries, expresses_rates_per_second_whatever_the_bucket) {
    TimeSeries ts(250ms, 10);
    ts.add(Series::messages, 0ms, 100);
    ts.add(Series::messages, 300ms, 10);
    ts.advance_to(500ms);
    EXPECT_EQ(ts.points(Series::messages), (std::vector<float>{400, 40}));
}

TEST(DashboardTimeSeries, fills_empty_buckets_with_zeros_so_the_axis_is_time) {
    TimeSeries ts(1s, 10);
    ts.add(Series::dead_letters, 0ms, 3);
    ts.add(Series::dead_letters, 3500ms, 5);
    ts.advance_to(4s);
    EXPECT_EQ(ts.points(Series::dead_letters), (std::vector<float>{3, 0, 0, 5}));
    EXPECT_EQ(ts.points(Series::stops), (std::vector<float>{0, 0, 0, 0})) << "every series moves together";
    EXPECT_FLOAT_EQ(ts.peak(Series::dead_letters), 5);
}

TEST(DashboardTimeSeries, carries_a_level_into_each_bucket_as_it_closes) {
    TimeSeries ts(1s, 10);
    ts.advance_to(0ms);
    ts.set_level(Series::unhealthy, 2);
    ts.advance_to(2s);
    ts.set_level(Series::unhealthy, 1);
    ts.advance_to(3s);
    EXPECT_EQ(ts.points(Series::unhealthy), (std::vector<float>{2, 2, 1}));
}

TEST(DashboardTimeSeries, keeps_only_the_latest_points_even_after_a_long_silence) {
    TimeSeries ts(1s, 3);
    for (int s = 0; s < 5; ++s) ts.add(Series::restarts, std::chrono::seconds(s), s + 1);
    ts.advance_to(5s);
    EXPECT_EQ(ts.points(Series::restarts), (std::vector<float>{3, 4, 5}));
    ts.set_level(Series::unhealthy, 7);
    ts.advance_to(std::chrono::hours(24 * 365));  // a year idle costs one chart of zeros
    EXPECT_EQ(ts.points(Series::restarts), (std::vector<float>{0, 0, 0}));
    EXPECT_EQ(ts.points(Series::unhealthy), (std::vector<float>{7, 7, 7}));
}

TEST(DashboardTimeSeries, counts_a_late_timestamp_in_the_open_bucket) {
    TimeSeries ts(1s, 10);
    ts.advance_to(2500ms);
    ts.add(Series::stops, 100ms, 1);  // older than the open bucket
    ts.advance_to(3s);
    EXPECT_EQ(ts.points(Series::stops), (std::vector<float>{1}));
}

TEST(DashboardTimeSeries, clear_starts_over_and_bad_sizes_are_refused) {
    TimeSeries ts(1s, 10);
    ts.add(Series::spawns, 0ms, 1);
    ts.advance_to(2s);
    ts.clear();
    EXPECT_TRUE(ts.points(Series::spawns).empty());
    EXPECT_FLOAT_EQ(ts.latest(Series::spawns), 0);
    EXPECT_FLOAT_EQ(ts.peak(Series::spawns), 0);
    EXPECT_STREQ(to_string(Series::messages), "messages/s");
    EXPECT_THROW(TimeSeries(0s, 10), std::invalid_argument);
    EXPECT_THROW(TimeSeries(1s, 0), std::invalid_argument);
}
