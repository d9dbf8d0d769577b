// The dashboard's event log: a bounded ring with filters by kind, actor and text, and a pause
// that freezes what the panel shows while folding goes on.
#include <gtest/gtest.h>

#include <stdexcept>

#include "dashboard/event_log.hpp"
#include "support/dashboard_script.hpp"

using namespace actors;
using namespace actors::dashboard;
using namespace std::chrono_literals;
using actors::testing::pid_of;
using actors::testing::sample_of;
using actors::testing::stats;

namespace {
Event event(std::uint64_t seq, EventBody body) { return Event{seq, TimePoint{std::chrono::milliseconds(seq)}, std::move(body)}; }

std::vector<std::uint64_t> seqs(const EventLog& log, const LogFilter& f) {
    std::vector<std::size_t> rows;
    log.query(f, rows);
    std::vector<std::uint64_t> out;
    for (std::size_t i : rows) out.push_back(log.entry(i).event.seq);
    return out;
}

constexpr std::uint32_t bit(const EventBody& b) { return 1u << b.index(); }

EventLog mixed_log() {
    EventLog log(100);
    log.append(event(1, ActorSpawned{pid_of(1), {}, "alpha", 10}));
    log.append(event(2, ActorSpawned{pid_of(2), pid_of(1), "alpha/beta", 10}));
    log.append(event(3, DeadLetter{pid_of(5), pid_of(2), "Ping", DeadLetterReason::no_such_actor}));
    log.append(event(4, ActorFailed{pid_of(2), "division by zero", "Divide"}));
    log.append(event(5, Escalated{pid_of(2), pid_of(1), "division by zero"}));
    log.append(event(6, CustomEvent{pid_of(1), "orders", "created #17"}));
    log.append(event(7, stats(12, {sample_of(1, 0, 5), sample_of(2, 0, 7)})));
    return log;
}
}  // namespace

TEST(DashboardEventLog, labels_every_kind_like_the_runtime_and_names_the_gap) {
    EXPECT_STREQ(kind_label(EventBody(ActorSpawned{}).index()), "spawned");
    EXPECT_STREQ(kind_label(EventBody(StatsSampled{}).index()), "stats");
    EXPECT_STREQ(kind_label(EventBody(EventsMissed{}).index()), "events_missed");
    EXPECT_STREQ(kind_label(kGapKind), "gap");
    for (std::size_t k = 0; k < kEventKinds; ++k) {
        EventBody b;
        // Build each alternative by index, to compare with the runtime's own names.
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((k == I ? (b.emplace<I>(), 0) : 0), ...);
        }(std::make_index_sequence<kEventKinds>{});
        EXPECT_STREQ(kind_label(k), kind_name(b)) << k;
    }
}

TEST(DashboardEventLog, filters_by_kind) {
    EventLog log = mixed_log();
    LogFilter f;
    f.kinds = bit(ActorSpawned{}) | bit(ActorFailed{});
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{1, 2, 4}));
    f.kinds = ~0u & ~bit(StatsSampled{});  // the panel's default
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(log.count_of(EventBody(ActorSpawned{}).index()), 2u);
}

TEST(DashboardEventLog, filters_by_actor_in_any_role) {
    EventLog log = mixed_log();
    LogFilter f;
    f.actor = 2;  // pid, parent-of-spawn, sender, from
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{2, 3, 4, 5}));
    f.actor = 1;  // pid, parent, to, source; not named by the sample listing it
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{1, 2, 5, 6}));
    f.actor = 5;  // a dead letter's target
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{3}));
}

TEST(DashboardEventLog, filters_by_text_of_the_description_ignoring_case) {
    EventLog log = mixed_log();
    LogFilter f;
    f.text = "DIVISION";
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{4, 5}));
    f.text = "orders";
    f.kinds = bit(CustomEvent{});
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{6}));
    f.kinds = bit(ActorFailed{});
    EXPECT_TRUE(seqs(log, f).empty()) << "all filters apply together";
}

TEST(DashboardEventLog, keeps_a_sample_without_its_actor_list_but_describes_it_whole) {
    EventLog log = mixed_log();
    const LogEntry& e = log.entry(6);
    ASSERT_TRUE(e.event.is<StatsSampled>());
    EXPECT_TRUE(e.event.as<StatsSampled>()->actors.empty());
    EXPECT_EQ(e.event.as<StatsSampled>()->counters.processed, 12u);
    EXPECT_EQ(e.sampled_actors, 2u);
    EXPECT_NE(describe(e).find("changed=2"), std::string::npos) << describe(e);
}

TEST(DashboardEventLog, keeps_only_the_latest_entries_up_to_its_capacity) {
    EventLog log(3);
    for (std::uint64_t s = 1; s <= 8; ++s) log.append(event(s, ActorStarted{pid_of(s)}));
    EXPECT_EQ(log.size(), 3u);
    EXPECT_EQ(log.appended(), 8u);
    EXPECT_EQ(seqs(log, {}), (std::vector<std::uint64_t>{6, 7, 8}));
    EXPECT_EQ(log.count_of(EventBody(ActorStarted{}).index()), 8u) << "counts by kind never forget";
    EXPECT_THROW((void)log.entry(3), std::out_of_range);
    EXPECT_THROW(EventLog(0), std::invalid_argument);
}

TEST(DashboardEventLog, freezes_what_it_shows_while_paused_and_catches_up_on_resume) {
    EventLog log(4);
    for (std::uint64_t s = 1; s <= 3; ++s) log.append(event(s, ActorStarted{pid_of(s)}));
    log.pause();
    EXPECT_TRUE(log.paused());
    // Folding goes on: enough to overwrite the whole ring twice.
    for (std::uint64_t s = 4; s <= 11; ++s) log.append(event(s, ActorStarted{pid_of(s)}));
    EXPECT_EQ(seqs(log, {}), (std::vector<std::uint64_t>{1, 2, 3})) << "the paused view is what was there at the pause";
    EXPECT_EQ(log.size(), 3u);
    EXPECT_EQ(log.appended(), 11u);
    log.resume();
    EXPECT_FALSE(log.paused());
    EXPECT_EQ(seqs(log, {}), (std::vector<std::uint64_t>{8, 9, 10, 11}));
}

TEST(DashboardEventLog, shows_gaps_as_their_own_kind) {
    EventLog log(10);
    log.append(event(1, ActorStarted{pid_of(1)}));
    log.append_gap(2, 3, 5ms);
    log.append(event(5, ActorStarted{pid_of(1)}));
    log.append_gap(6, 0, 5ms);  // nothing missed: nothing shown
    EXPECT_EQ(log.size(), 3u);
    EXPECT_EQ(kind_of(log.entry(1)), kGapKind);
    EXPECT_EQ(log.count_of(kGapKind), 1u);
    LogFilter only_gaps;
    only_gaps.kinds = 1u << kGapKind;
    EXPECT_EQ(seqs(log, only_gaps), (std::vector<std::uint64_t>{2}));
    EXPECT_EQ(describe(log.entry(1)), "#2 gap: 3 events missed (#2..#4)");
    // An EventsMissed appended as it came (e.g. straight from a subscriber) is a gap too.
    log.append(Event{0, 6ms, EventsMissed{6, 2}});
    EXPECT_EQ(kind_of(log.entry(3)), kGapKind);
    EXPECT_EQ(log.entry(3).missed, 2u);
}

TEST(DashboardEventLog, clear_empties_the_view_and_the_counts) {
    EventLog log = mixed_log();
    log.pause();
    log.clear();
    EXPECT_EQ(log.size(), 0u);
    EXPECT_FALSE(log.paused());
    EXPECT_EQ(log.appended(), 0u);
    EXPECT_EQ(log.count_of(0), 0u);
    EXPECT_EQ(log.capacity(), 100u);
}

TEST(DashboardEventLog, matches_text_of_the_entries_held_now_after_the_ring_turns_over_or_is_cleared) {
    EventLog log(2);
    LogFilter f;
    f.text = "alpha";
    log.append(event(1, CustomEvent{pid_of(1), "t", "alpha"}));
    log.append(event(2, CustomEvent{pid_of(1), "t", "beta"}));
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{1}));
    log.append(event(3, CustomEvent{pid_of(1), "t", "gamma"}));
    log.append(event(4, CustomEvent{pid_of(1), "t", "Alphabet"}));
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{4}));
    log.clear();
    log.append(event(1, CustomEvent{pid_of(1), "t", "beta"}));
    EXPECT_TRUE(seqs(log, f).empty()) << "no text left over from before the clear";
    log.pause();
    f.text = "BETA";
    EXPECT_EQ(seqs(log, f), (std::vector<std::uint64_t>{1}));
}
