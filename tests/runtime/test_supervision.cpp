#include <algorithm>
#include <stdexcept>

#include "support/configured_engine.hpp"
#include "support/deterministic_engine.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::testing::ConfiguredEngine;
using actors::testing::DeterministicEngine;
using actors::testing::index_of;
using actors::testing::RecordingSink;
using actors::testing::times_of;

namespace {

struct Fail {  // the handler throws std::runtime_error(why)
    std::string why = "boom";
};
struct FailInvalid {  // the handler throws std::invalid_argument(why)
    std::string why = "invalid";
};
struct GetTotal {
    using Response = int;
};
struct Explode {  // a request whose handler throws
    using Response = int;
};

// What the instances made from one producer report. Instances are numbered 1, 2, ... so a test
// can tell a resumed instance from a restarted one.
struct Probe {
    std::string tag;
    std::shared_ptr<std::vector<std::string>> journal;  // optional, shared by several probes
    int constructed = 0;
    std::vector<std::string> log;
    std::vector<std::pair<int, int>> seen;  // (instance, value)
};
using ProbePtr = std::shared_ptr<Probe>;
using OnStart = std::function<void(Context&)>;

ProbePtr probe(std::string tag = "", std::shared_ptr<std::vector<std::string>> journal = nullptr) {
    auto p = std::make_shared<Probe>();
    p->tag = std::move(tag);
    p->journal = std::move(journal);
    return p;
}

// A worker with state: it sums the integers it receives. `setup` runs in started() (to spawn
// children).
struct Worker : Actor {
    Worker(ProbePtr p, OnStart s) : probe_(std::move(p)), setup_(std::move(s)), instance_(++probe_->constructed) {
        log("construct");
    }
    ~Worker() override { log("destroy"); }
    void started(Context& ctx) override {
        log("started()");
        if (setup_) setup_(ctx);
    }
    void stopped(Context&) override { log("stopped()"); }
    void receive(Context&, Message& m) override {
        if (m.is<Initialized>()) log("Initialized");
        if (m.is<Started>()) log("Started");
        if (m.is<Stopped>()) log("Stopped");
        m.visit([&](const int& v) {
                    total_ += v;
                    probe_->seen.emplace_back(instance_, v);
                },
                [&](const Fail& f) { throw std::runtime_error(f.why); },
                [&](const FailInvalid& f) { throw std::invalid_argument(f.why); },
                [&](const GetTotal&) { return total_; },
                [&](const Explode&) -> int { throw std::runtime_error("exploded"); });
    }
    void log(const std::string& what) {
        std::string entry = what + "#" + std::to_string(instance_);
        probe_->log.push_back(entry);
        if (probe_->journal) probe_->journal->push_back(probe_->tag + " " + entry);
    }

    ProbePtr probe_;
    OnStart setup_;
    int instance_;
    int total_ = 0;
};

SpawnOptions supervising(SupervisorStrategy s) {
    SpawnOptions o;
    o.supervisor = std::move(s);
    return o;
}

Decider always(Directive d) {
    return [d](const Failure&) { return d; };
}

template <class T>
std::vector<T> about(const RecordingSink& sink, Pid pid) {
    std::vector<T> out;
    for (const T& e : sink.of<T>())
        if (e.pid.same_actor(pid)) out.push_back(e);
    return out;
}

// A supervisor (itself a Worker) with `n` Worker children named c1..cn, spawned in started().
struct Tree {
    Pid sup;
    std::vector<Pid> kids;
    ProbePtr sup_probe;
    std::vector<ProbePtr> kid_probes;
};

Tree make_tree(Engine& engine, SupervisorStrategy strategy, int n = 1, SpawnOptions child_options = {},
               std::shared_ptr<std::vector<std::string>> journal = nullptr) {
    Tree t;
    t.sup_probe = probe("sup", journal);
    for (int i = 1; i <= n; ++i) t.kid_probes.push_back(probe("c" + std::to_string(i), journal));
    auto kid_probes = t.kid_probes;
    t.sup = engine.spawn<Worker>("sup", supervising(std::move(strategy)), t.sup_probe,
                                 OnStart([kid_probes, child_options](Context& ctx) {
                                     for (std::size_t i = 0; i < kid_probes.size(); ++i)
                                         ctx.spawn<Worker>("c" + std::to_string(i + 1), child_options, kid_probes[i], OnStart{});
                                 }));
    engine.run_until_idle();
    for (int i = 1; i <= n; ++i) {
        auto kid = engine.lookup("sup/c" + std::to_string(i));
        if (kid) t.kids.push_back(*kid);
    }
    return t;
}

}  // namespace

class Supervision : public DeterministicEngine {
protected:
    Tree supervise(SupervisorStrategy strategy, int n = 1, SpawnOptions child_options = {},
                   std::shared_ptr<std::vector<std::string>> journal = nullptr) {
        Tree t = make_tree(engine, std::move(strategy), n, std::move(child_options), std::move(journal));
        EXPECT_EQ(t.kids.size(), static_cast<std::size_t>(n));
        return t;
    }
};

// ---------------------------------------------------------------------------------------------
// The four directives

TEST_F(Supervision, ResumeKeepsTheSameInstanceAndItsStateAndGoesOnWithTheNextMessage) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::resume)));
    Pid c = t.kids.at(0);
    engine.send(c, 5);
    engine.send(c, Fail{});
    engine.send(c, 7);
    auto total = engine.request(c, GetTotal{});
    run();
    ASSERT_TRUE(total.ready());
    EXPECT_EQ(total.result()->value(), 12) << "the same instance kept its state";
    EXPECT_EQ(t.kid_probes[0]->constructed, 1);
    EXPECT_EQ(engine.info(c)->pid.generation, 0u);
    EXPECT_EQ(engine.info(c)->state, ActorState::running);
    EXPECT_EQ(sink.count<ActorFailed>(), 1u);
    EXPECT_EQ(sink.count<ActorRestarted>(), 0u);
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    expect_conserved();
}

TEST_F(Supervision, RestartMakesAFreshInstanceUnderTheSameIdWithTheNextGeneration) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()));
    Pid c = t.kids.at(0);
    engine.send(c, 5);
    engine.send(c, Fail{"broken"});
    auto total = engine.request(c, GetTotal{});
    run();
    ASSERT_TRUE(total.ready());
    EXPECT_EQ(total.result()->value(), 0) << "the new instance starts from scratch";
    EXPECT_EQ(t.kid_probes[0]->constructed, 2);

    auto info = engine.info(c);
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->pid.same_actor(c));
    EXPECT_EQ(info->pid.generation, 1u);
    EXPECT_EQ(info->restarts, 1u);
    EXPECT_EQ(info->failures, 1u);

    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_EQ(restarted[0].pid, (Pid{c.node, c.id, 1}));
    EXPECT_EQ(restarted[0].restarts, 1u);
    EXPECT_EQ(restarted[0].total_restarts, 1u);
    EXPECT_EQ(restarted[0].delay, Duration::zero());
    EXPECT_EQ(restarted[0].next_delay, Duration::zero());
    EXPECT_EQ(restarted[0].reason, "broken");

    // The Pid held from before the restart still reaches the actor.
    engine.send(c, 3);
    auto after = engine.request(c, GetTotal{});
    run();
    EXPECT_EQ(after.result()->value(), 3);
    expect_conserved();
}

TEST_F(Supervision, StopDirectiveStopsTheChildWithReasonFailed) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::stop)));
    Pid c = t.kids.at(0);
    engine.send(c, Fail{"fatal"});
    engine.send(c, 1);  // behind the failure: never handled
    run();
    EXPECT_FALSE(engine.alive(c));
    EXPECT_TRUE(engine.alive(t.sup));
    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_TRUE(stopped[0].pid.same_actor(c));
    EXPECT_EQ(stopped[0].reason, StopReason::failed);
    EXPECT_EQ(stopped[0].detail, "fatal");
    EXPECT_EQ(sink.count<ActorRestarted>(), 0u);
    EXPECT_TRUE(t.kid_probes[0]->seen.empty());
    EXPECT_TRUE(engine.info(t.sup)->children.empty());
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 2u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    EXPECT_EQ(dl[1].reason, DeadLetterReason::actor_stopped);
    expect_conserved();
}

TEST_F(Supervision, EscalateFailsTheParentAndItsOwnSupervisorDecides) {
    // The fixture's root guardian restarts top-level actors, so the parent is restarted.
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::escalate)));
    Pid c = t.kids.at(0);
    sink.clear();
    engine.send(c, Fail{"deep"});
    run();

    auto escalated = sink.of<Escalated>();
    ASSERT_EQ(escalated.size(), 1u);
    EXPECT_TRUE(escalated[0].from.same_actor(c));
    EXPECT_EQ(escalated[0].to, t.sup);
    EXPECT_EQ(escalated[0].reason, "deep");

    auto failed = sink.of<ActorFailed>();
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_TRUE(failed[0].pid.same_actor(c));
    EXPECT_TRUE(failed[1].pid.same_actor(t.sup));
    EXPECT_EQ(failed[1].error, "deep");

    auto parent_restarts = about<ActorRestarted>(sink, t.sup);
    ASSERT_EQ(parent_restarts.size(), 1u);
    EXPECT_EQ(parent_restarts[0].pid.generation, 1u);
    EXPECT_EQ(parent_restarts[0].reason, "deep");
    EXPECT_TRUE(about<ActorRestarted>(sink, c).empty()) << "the child is not restarted by its parent";

    // Order: Escalated, then the parent's failure, then its restart.
    const std::size_t esc = index_of<Escalated>(sink, [](const Escalated&) { return true; });
    const std::size_t pfail = index_of<ActorFailed>(sink, [&](const ActorFailed& e) { return e.pid.same_actor(t.sup); });
    const std::size_t prestart = index_of<ActorRestarted>(sink, [&](const ActorRestarted& e) { return e.pid.same_actor(t.sup); });
    EXPECT_LT(esc, pfail);
    EXPECT_LT(pfail, prestart);

    // The restarted parent replaced its child with a new one.
    EXPECT_FALSE(engine.alive(c));
    auto fresh = engine.lookup("sup/c1");
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->id, c.id);
    EXPECT_TRUE(engine.alive(*fresh));
    expect_conserved();
}

TEST(SupervisionRoot, EscalationToARootThatStopsStopsTheParentAndItsChildren) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::stop));
    });
    Tree t = make_tree(e.engine, SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::escalate)));
    ASSERT_EQ(t.kids.size(), 1u);
    Pid c = t.kids[0];
    e.engine.send(c, Fail{"deep"});
    e.run();
    EXPECT_FALSE(e.engine.alive(t.sup));
    EXPECT_FALSE(e.engine.alive(c));
    auto stopped = e.sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 2u);
    EXPECT_TRUE(stopped[0].pid.same_actor(c));
    EXPECT_EQ(stopped[0].reason, StopReason::parent_stopped);
    EXPECT_TRUE(stopped[1].pid.same_actor(t.sup));
    EXPECT_EQ(stopped[1].reason, StopReason::failed);
    EXPECT_EQ(stopped[1].detail, "deep");
    EXPECT_EQ(e.sink.count<ActorRestarted>(), 0u);
    e.expect_conserved();
}

TEST(SupervisionRoot, ARootThatEscalatesStopsTheTopLevelActorAndSaysSo) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::immediate(), always(Directive::escalate));
    });
    auto p = probe();
    Pid top = e.engine.spawn<Worker>("top", {}, p, OnStart{});
    e.engine.send(top, Fail{"nowhere to go"});
    e.run();
    auto escalated = e.sink.of<Escalated>();
    ASSERT_EQ(escalated.size(), 1u);
    EXPECT_TRUE(escalated[0].from.same_actor(top));
    EXPECT_FALSE(escalated[0].to.valid()) << "it reached the root";
    EXPECT_FALSE(e.engine.alive(top));
    auto stopped = e.sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(stopped[0].reason, StopReason::failed);
}

TEST(SupervisionRoot, TheRootSupervisorsPolicyAppliesToTopLevelActors) {
    ConfiguredEngine e([](EngineConfig& c) { c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(25ms)); });
    auto p = probe();
    Pid top = e.engine.spawn<Worker>("top", {}, p, OnStart{});
    e.run();
    e.engine.send(top, Fail{});
    e.run();
    e.advance(25ms - 1ns);
    EXPECT_EQ(e.sink.count<ActorRestarted>(), 0u);
    e.advance(1ns);
    auto restarted = e.sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_EQ(restarted[0].delay, 25ms);
    EXPECT_EQ(e.engine.info(top)->pid.generation, 1u);
}

// ---------------------------------------------------------------------------------------------
// One-for-one, all-for-one, deciders

TEST_F(Supervision, OneForOneRestartsOnlyTheFailedChild) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()), 2);
    engine.send(t.kids[0], 10);
    engine.send(t.kids[1], 20);
    run();
    engine.send(t.kids[0], Fail{});
    run();
    EXPECT_EQ(engine.info(t.kids[0])->pid.generation, 1u);
    EXPECT_EQ(engine.info(t.kids[1])->pid.generation, 0u);
    EXPECT_EQ(t.kid_probes[1]->constructed, 1);
    auto sibling_total = engine.request(t.kids[1], GetTotal{});
    run();
    EXPECT_EQ(sibling_total.result()->value(), 20);
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_TRUE(restarted[0].pid.same_actor(t.kids[0]));
    expect_conserved();
}

TEST_F(Supervision, AllForOneRestartsEverySiblingEachWithTheNextGeneration) {
    Tree t = supervise(SupervisorStrategy::all_for_one(RestartPolicy::immediate()), 3);
    for (int i = 0; i < 3; ++i) engine.send(t.kids[static_cast<std::size_t>(i)], 10 * (i + 1));
    run();
    sink.clear();
    engine.send(t.kids[1], Fail{"one of us"});
    run();
    EXPECT_EQ(sink.count<ActorFailed>(), 1u) << "only one child failed";
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE("child " + std::to_string(i + 1));
        auto info = engine.info(t.kids[i]);
        ASSERT_TRUE(info);
        EXPECT_TRUE(info->pid.same_actor(t.kids[i]));
        EXPECT_EQ(info->pid.generation, 1u);
        EXPECT_EQ(t.kid_probes[i]->constructed, 2);
        EXPECT_EQ(about<ActorRestarted>(sink, t.kids[i]).size(), 1u);
        auto total = engine.request(t.kids[i], GetTotal{});
        run();
        EXPECT_EQ(total.result()->value(), 0);
    }
    for (const auto& r : restarted) EXPECT_EQ(r.reason, "one of us");
    expect_conserved();
}

TEST_F(Supervision, AllForOneStopStopsEverySibling) {
    // "One-for-one applies the directive to the failed child only; all-for-one to all its siblings."
    Tree t = supervise(SupervisorStrategy::all_for_one(RestartPolicy::immediate(), always(Directive::stop)), 3);
    engine.send(t.kids[1], Fail{"one of us"});
    run();
    for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(engine.alive(t.kids[i])) << "child " << i + 1;
    EXPECT_TRUE(engine.alive(t.sup));
    EXPECT_TRUE(engine.info(t.sup)->children.empty());
    auto stopped = about<ActorStopped>(sink, t.kids[1]);
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(stopped[0].reason, StopReason::failed);
    expect_conserved();
}

TEST_F(Supervision, TheDeciderCanChooseByExceptionType) {
    auto failures = std::make_shared<std::vector<Failure>>();
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(), [failures](const Failure& f) {
        failures->push_back(f);
        return f.is<std::invalid_argument>() ? Directive::resume : Directive::stop;
    }));
    Pid c = t.kids.at(0);
    engine.send(c, 4);
    engine.send(c, FailInvalid{"bad argument"});
    engine.send(c, 6);
    auto total = engine.request(c, GetTotal{});
    run();
    EXPECT_EQ(total.result()->value(), 10) << "invalid_argument: resumed";
    EXPECT_TRUE(engine.alive(c));

    engine.send(c, Fail{"fatal"});
    run();
    EXPECT_FALSE(engine.alive(c)) << "runtime_error: stopped";

    ASSERT_EQ(failures->size(), 2u);
    const Failure& first = (*failures)[0];
    EXPECT_EQ(first.child, c);
    EXPECT_EQ(first.what, "bad argument");
    EXPECT_NE(first.message_type.find("FailInvalid"), std::string::npos) << first.message_type;
    EXPECT_TRUE(first.is<std::invalid_argument>());
    EXPECT_TRUE(first.is<std::logic_error>()) << "a base class matches too";
    EXPECT_FALSE(first.is<std::runtime_error>());
    EXPECT_EQ(first.restarts, 0u);
    const Failure& second = (*failures)[1];
    EXPECT_EQ(second.what, "fatal");
    EXPECT_TRUE(second.is<std::runtime_error>());
    EXPECT_FALSE(second.is<std::invalid_argument>());
    expect_conserved();
}

// ---------------------------------------------------------------------------------------------
// Restart policies

TEST_F(Supervision, ImmediateRestartHappensWithinRunWithoutTimePassing) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()));
    advance(3s);
    const TimePoint before = clock->now();
    engine.send(t.kids[0], Fail{});
    run();
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_EQ(restarted[0].delay, Duration::zero());
    EXPECT_EQ(clock->now(), before);
    EXPECT_EQ(times_of<ActorRestarted>(sink).at(0), before);
    EXPECT_EQ(engine.info(t.kids[0])->state, ActorState::running);
}

TEST_F(Supervision, FixedDelayRestartsAtExactlyTheDelay) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::fixed(50ms)));
    Pid c = t.kids.at(0);
    advance(1s);
    const TimePoint failed_at = clock->now();
    engine.send(c, Fail{});
    run();
    EXPECT_EQ(engine.info(c)->state, ActorState::restarting);
    advance(50ms - 1ns);
    EXPECT_EQ(sink.count<ActorRestarted>(), 0u);
    EXPECT_EQ(engine.info(c)->pid.generation, 0u);
    advance(1ns);
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 1u);
    EXPECT_EQ(times_of<ActorRestarted>(sink)[0], failed_at + 50ms);
    EXPECT_EQ(restarted[0].delay, 50ms);
    EXPECT_EQ(restarted[0].next_delay, 50ms);
    EXPECT_EQ(engine.info(c)->pid.generation, 1u);
    EXPECT_EQ(engine.info(c)->state, ActorState::running);

    // A second restart in the window is counted as such.
    engine.send(c, Fail{});
    run();
    advance(50ms);
    restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 2u);
    EXPECT_EQ(restarted[1].restarts, 2u);
    EXPECT_EQ(restarted[1].total_restarts, 2u);
    EXPECT_EQ(restarted[1].pid.generation, 2u);
}

TEST_F(Supervision, ExponentialBackoffDoublesEachRestartUpToTheCap) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::backoff(10ms, 80ms, 2.0)));
    Pid c = t.kids.at(0);
    const std::vector<Duration> expected{10ms, 20ms, 40ms, 80ms, 80ms};
    const std::vector<Duration> next{20ms, 40ms, 80ms, 80ms, 80ms};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE("restart " + std::to_string(i + 1));
        const TimePoint failed_at = clock->now();
        engine.send(c, Fail{});
        run();
        advance(expected[i] - 1ns);
        ASSERT_EQ(sink.count<ActorRestarted>(), i) << "restarted early";
        advance(1ns);
        auto restarted = sink.of<ActorRestarted>();
        ASSERT_EQ(restarted.size(), i + 1);
        EXPECT_EQ(restarted[i].delay, expected[i]);
        EXPECT_EQ(restarted[i].next_delay, next[i]);
        EXPECT_EQ(restarted[i].restarts, i + 1);
        EXPECT_EQ(restarted[i].pid.generation, i + 1);
        EXPECT_EQ(times_of<ActorRestarted>(sink)[i] - failed_at, expected[i]);
    }
    expect_conserved();
}

TEST(RestartPolicy, DelayForScalesTheNominalDelayByTheJitter) {
    const auto p = RestartPolicy::backoff(100ms, 1s, 2.0, 0.25);
    // attempt 1: nominal 100 ms
    EXPECT_EQ(p.delay_for(1, 0.5), 100ms);
    EXPECT_EQ(p.delay_for(1, 0.0), 75ms);
    EXPECT_EQ(p.delay_for(1, 1.0), 125ms);
    // attempt 3: nominal 400 ms
    EXPECT_EQ(p.delay_for(3, 0.5), 400ms);
    EXPECT_EQ(p.delay_for(3, 0.0), 300ms);
    EXPECT_EQ(p.delay_for(3, 1.0), 500ms);
    // attempt 5: 1600 ms capped at 1 s, then scaled
    EXPECT_EQ(p.delay_for(5, 0.5), 1s);
    EXPECT_EQ(p.delay_for(5, 0.0), 750ms);
    EXPECT_EQ(p.delay_for(5, 1.0), 1250ms);
    // No jitter: the unit does not matter.
    const auto plain = RestartPolicy::backoff(100ms, 1s, 2.0, 0.0);
    EXPECT_EQ(plain.delay_for(2, 0.0), 200ms);
    EXPECT_EQ(plain.delay_for(2, 1.0), 200ms);
    // The other kinds ignore attempt and unit.
    EXPECT_EQ(RestartPolicy::fixed(30ms).delay_for(4, 0.0), 30ms);
    EXPECT_EQ(RestartPolicy::immediate().delay_for(4, 1.0), Duration::zero());
}

TEST_F(Supervision, JitteredBackoffDelaysStayWithinTheirBounds) {
    const double jitter = 0.5;
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::backoff(10ms, 80ms, 2.0, jitter)));
    Pid c = t.kids.at(0);
    const std::vector<Duration> nominal{10ms, 20ms, 40ms, 80ms, 80ms};
    bool any_jittered = false;
    for (std::size_t i = 0; i < nominal.size(); ++i) {
        SCOPED_TRACE("restart " + std::to_string(i + 1));
        const auto lo = Duration{static_cast<Duration::rep>(static_cast<double>(nominal[i].count()) * (1.0 - jitter))};
        const auto hi = Duration{static_cast<Duration::rep>(static_cast<double>(nominal[i].count()) * (1.0 + jitter))};
        const TimePoint failed_at = clock->now();
        engine.send(c, Fail{});
        run();
        advance(lo - 1ns);
        ASSERT_EQ(sink.count<ActorRestarted>(), i) << "restarted before the lower bound";
        advance(hi - lo + 1ns);
        auto restarted = sink.of<ActorRestarted>();
        ASSERT_EQ(restarted.size(), i + 1) << "not restarted by the upper bound";
        EXPECT_GE(restarted[i].delay, lo);
        EXPECT_LE(restarted[i].delay, hi);
        EXPECT_EQ(times_of<ActorRestarted>(sink)[i] - failed_at, restarted[i].delay);
        if (restarted[i].delay != nominal[i]) any_jittered = true;
    }
    EXPECT_TRUE(any_jittered) << "jitter was never applied";
}

TEST(RestartPolicy, JitteredDelaysRepeatForTheSameSeed) {
    auto delays = [](std::uint64_t seed) {
        ConfiguredEngine e([seed](EngineConfig& c) {
            c.random_seed = seed;
            c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::backoff(10ms, 80ms, 2.0, 0.5));
        });
        auto p = probe();
        Pid top = e.engine.spawn<Worker>("top", {}, p, OnStart{});
        e.run();
        for (int i = 0; i < 4; ++i) {
            e.engine.send(top, Fail{});
            e.run();
            e.advance(200ms);
        }
        std::vector<Duration> out;
        for (const auto& r : e.sink.of<ActorRestarted>()) out.push_back(r.delay);
        return out;
    };
    auto a = delays(42);
    EXPECT_EQ(a.size(), 4u);
    EXPECT_EQ(a, delays(42));
}

// ---------------------------------------------------------------------------------------------
// The restart limit and escalation

TEST_F(Supervision, OneFailureMoreThanTheLimitInTheWindowStopsTheChildAndEscalates) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(3, 1s)));
    Pid c = t.kids.at(0);
    for (int i = 0; i < 3; ++i) {
        engine.send(c, Fail{"again"});
        run();
    }
    EXPECT_EQ(about<ActorRestarted>(sink, c).size(), 3u);
    EXPECT_EQ(sink.count<MaxRestartsExceeded>(), 0u);
    EXPECT_TRUE(engine.alive(c));

    engine.send(c, Fail{"again"});  // the 4th failure within the window
    run();
    auto exceeded = sink.of<MaxRestartsExceeded>();
    ASSERT_EQ(exceeded.size(), 1u);
    EXPECT_TRUE(exceeded[0].pid.same_actor(c));
    EXPECT_EQ(exceeded[0].restarts, 3u);
    EXPECT_EQ(exceeded[0].window, 1s);
    EXPECT_EQ(about<ActorRestarted>(sink, c).size(), 3u);

    auto stopped = about<ActorStopped>(sink, c);
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(stopped[0].reason, StopReason::failed);

    auto escalated = sink.of<Escalated>();
    ASSERT_EQ(escalated.size(), 1u);
    EXPECT_TRUE(escalated[0].from.same_actor(c));
    EXPECT_EQ(escalated[0].to, t.sup);
    EXPECT_LT(index_of<MaxRestartsExceeded>(sink, [](const auto&) { return true; }),
              index_of<Escalated>(sink, [](const auto&) { return true; }));

    // The parent failed in turn and the root guardian (restart) replaced it and its child.
    EXPECT_EQ(about<ActorFailed>(sink, t.sup).size(), 1u);
    auto parent_restarts = about<ActorRestarted>(sink, t.sup);
    ASSERT_EQ(parent_restarts.size(), 1u);
    EXPECT_EQ(parent_restarts[0].pid.generation, 1u);
    auto fresh = engine.lookup("sup/c1");
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->id, c.id);
    expect_conserved();
}

TEST_F(Supervision, FailuresSpreadBeyondTheWindowKeepRestarting) {
    // At most 2 restarts in any 100 ms; a failure every 60 ms never has more than one earlier
    // restart in its window.
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(2, 100ms)));
    Pid c = t.kids.at(0);
    for (int i = 0; i < 6; ++i) {
        engine.send(c, Fail{});
        run();
        advance(60ms);
    }
    EXPECT_EQ(sink.count<MaxRestartsExceeded>(), 0u);
    EXPECT_TRUE(engine.alive(c));
    auto restarted = sink.of<ActorRestarted>();
    ASSERT_EQ(restarted.size(), 6u);
    std::vector<unsigned> in_window;
    for (const auto& r : restarted) in_window.push_back(r.restarts);
    EXPECT_EQ(in_window, (std::vector<unsigned>{1, 2, 2, 2, 2, 2}));
    EXPECT_EQ(restarted.back().total_restarts, 6u);
    EXPECT_EQ(engine.info(c)->pid.generation, 6u);
}

TEST_F(Supervision, TheRestartLimitIsCountedOverTheSupervisorsWindow) {
    // The parent allows 2 restarts in 10 minutes. The child itself supervises (its own children)
    // with the engine default, a 60 s window: that window must not be the one counted.
    auto seen = std::make_shared<std::vector<unsigned>>();
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(2, 10min), [seen](const Failure& f) {
        seen->push_back(f.restarts);
        return Directive::restart;
    }));
    Pid c = t.kids.at(0);
    for (int i = 0; i < 3; ++i) {
        engine.send(c, Fail{});
        run();
        advance(2min);
    }
    EXPECT_EQ(*seen, (std::vector<unsigned>{0, 1, 2})) << "Failure::restarts within the 10 min window";
    EXPECT_EQ(about<ActorRestarted>(sink, c).size(), 2u);
    auto exceeded = sink.of<MaxRestartsExceeded>();
    ASSERT_EQ(exceeded.size(), 1u) << "the 3rd failure within 10 minutes is over the limit of 2";
    EXPECT_TRUE(exceeded[0].pid.same_actor(c));
}

TEST_F(Supervision, TheDeciderIsToldTheRestartsWithinTheSupervisorsWindow) {
    // The parent's window is 100 ms; the child's own strategy has the default 60 s window.
    auto seen = std::make_shared<std::vector<unsigned>>();
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate(10, 100ms), [seen](const Failure& f) {
        seen->push_back(f.restarts);
        return Directive::restart;
    }));
    Pid c = t.kids.at(0);
    engine.send(c, Fail{});
    run();
    engine.send(c, Fail{});
    run();
    advance(150ms);  // both restarts leave the window
    engine.send(c, Fail{});
    run();
    EXPECT_EQ(*seen, (std::vector<unsigned>{0, 1, 0}));
}

TEST_F(Supervision, ExceedingTheLimitEscalatesUpTwoLevels) {
    // gp (top level) supervises p with a recording decider; p supervises c, at most 1 restart.
    auto decided = std::make_shared<std::vector<Failure>>();
    auto gp_probe = probe("gp"), p_probe = probe("p"), c_probe = probe("c");
    SpawnOptions p_options = supervising(SupervisorStrategy::one_for_one(RestartPolicy::immediate(1, 1min)));
    SpawnOptions gp_options = supervising(SupervisorStrategy::one_for_one(RestartPolicy::immediate(), [decided](const Failure& f) {
        decided->push_back(f);
        return Directive::restart;
    }));
    Pid gp = engine.spawn<Worker>("gp", gp_options, gp_probe, OnStart([p_options, p_probe, c_probe](Context& ctx) {
        ctx.spawn<Worker>("p", p_options, p_probe, OnStart([c_probe](Context& inner) {
            inner.spawn<Worker>("c", {}, c_probe, OnStart{});
        }));
    }));
    run();
    Pid p = *engine.lookup("gp/p");
    Pid c = *engine.lookup("gp/p/c");

    engine.send(c, Fail{"leaf"});
    run();
    EXPECT_EQ(about<ActorRestarted>(sink, c).size(), 1u) << "the first failure is within the limit";
    EXPECT_TRUE(decided->empty());

    engine.send(c, Fail{"leaf"});
    run();
    EXPECT_EQ(about<MaxRestartsExceeded>(sink, c).size(), 1u);
    auto escalated = sink.of<Escalated>();
    ASSERT_EQ(escalated.size(), 1u);
    EXPECT_TRUE(escalated[0].from.same_actor(c));
    EXPECT_EQ(escalated[0].to, p);

    // p failed with its child's error, and gp's decider was asked about p.
    ASSERT_EQ(decided->size(), 1u);
    EXPECT_EQ((*decided)[0].child, p);
    EXPECT_NE((*decided)[0].what.find("leaf"), std::string::npos) << (*decided)[0].what;

    auto p_restarts = about<ActorRestarted>(sink, p);
    ASSERT_EQ(p_restarts.size(), 1u);
    EXPECT_EQ(p_restarts[0].pid.generation, 1u);
    EXPECT_TRUE(about<ActorFailed>(sink, gp).empty());
    EXPECT_EQ(engine.info(gp)->pid.generation, 0u);

    // The restarted p made a new c.
    EXPECT_FALSE(engine.alive(c));
    auto fresh = engine.lookup("gp/p/c");
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->id, c.id);
    EXPECT_EQ(c_probe->constructed, 3);  // c, its restart, the new c
    expect_conserved();
}

// ---------------------------------------------------------------------------------------------
// Restart semantics

TEST_F(Supervision, MessagesQueuedDuringTheRestartDelayReachTheNewInstanceInOrder) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::fixed(100ms)));
    Pid c = t.kids.at(0);
    engine.send(c, Fail{});
    engine.send(c, 1);
    engine.send(c, 2);
    run();
    advance(40ms);
    engine.send(c, 3);
    engine.send(c, 4);
    run();
    advance(40ms);
    engine.send(c, 5);
    run();
    EXPECT_TRUE(t.kid_probes[0]->seen.empty()) << "no user message is handled while the restart is pending";
    auto info = engine.info(c);
    EXPECT_EQ(info->state, ActorState::restarting);
    EXPECT_EQ(info->mailbox_depth, 5u);
    advance(20ms);
    EXPECT_EQ(t.kid_probes[0]->seen, (std::vector<std::pair<int, int>>{{2, 1}, {2, 2}, {2, 3}, {2, 4}, {2, 5}}));
    expect_conserved();
}

TEST_F(Supervision, MessagesWaitingForARestartStillCountAgainstTheCapacity) {
    SpawnOptions small;
    small.mailbox.capacity = 2;
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::fixed(100ms)), 1, small);
    Pid c = t.kids.at(0);
    engine.send(c, Fail{});
    run();
    EXPECT_EQ(engine.send(c, 1), SendStatus::delivered);
    run();
    EXPECT_EQ(engine.send(c, 2), SendStatus::delivered);
    run();
    EXPECT_EQ(engine.send(c, 3), SendStatus::dropped);
    EXPECT_EQ(sink.count<MailboxOverflow>(), 1u);
    advance(100ms);
    EXPECT_EQ(t.kid_probes[0]->seen, (std::vector<std::pair<int, int>>{{2, 1}, {2, 2}}));
    expect_conserved();
}

TEST_F(Supervision, TheMessageThatThrewIsNotRetried) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::fixed(10ms)));
    Pid c = t.kids.at(0);
    engine.send(c, Fail{"once"});
    engine.send(c, 1);
    run();
    advance(10ms);
    EXPECT_EQ(sink.count<ActorFailed>(), 1u) << "a retry would have failed the new instance too";
    auto dl = sink.of<DeadLetter>();
    ASSERT_EQ(dl.size(), 1u);
    EXPECT_EQ(dl[0].reason, DeadLetterReason::handler_failed);
    EXPECT_TRUE(dl[0].target.same_actor(c));
    EXPECT_NE(dl[0].message_type.find("Fail"), std::string::npos) << dl[0].message_type;
    EXPECT_EQ(t.kid_probes[0]->seen, (std::vector<std::pair<int, int>>{{2, 1}}));
    expect_conserved();
}

TEST_F(Supervision, HooksRunInOrderAcrossARestart) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()));
    Pid c = t.kids.at(0);
    engine.send(c, 1);
    engine.send(c, Fail{});
    engine.send(c, 2);
    run();
    EXPECT_EQ(t.kid_probes[0]->log,
              (std::vector<std::string>{"construct#1", "Initialized#1", "started()#1", "Started#1", "Stopped#1", "stopped()#1",
                                        "destroy#1", "construct#2", "Initialized#2", "started()#2", "Started#2"}));
    EXPECT_EQ(t.kid_probes[0]->seen, (std::vector<std::pair<int, int>>{{1, 1}, {2, 2}}));
}

TEST_F(Supervision, ARestartStopsTheChildrenNewestFirstAndTheNewInstanceMakesItsOwn) {
    auto journal = std::make_shared<std::vector<std::string>>();
    // The supervisor is top-level: the fixture's root guardian restarts it at once.
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()), 3, {}, journal);
    sink.clear();
    journal->clear();
    engine.send(t.sup, Fail{"parent broke"});
    run();

    auto stopped = sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 3u);
    EXPECT_TRUE(stopped[0].pid.same_actor(t.kids[2]));
    EXPECT_TRUE(stopped[1].pid.same_actor(t.kids[1]));
    EXPECT_TRUE(stopped[2].pid.same_actor(t.kids[0]));
    for (const auto& s : stopped) EXPECT_EQ(s.reason, StopReason::parent_stopped);
    const std::size_t restart_at = index_of<ActorRestarted>(sink, [&](const ActorRestarted& e) { return e.pid.same_actor(t.sup); });
    ASSERT_LT(restart_at, sink.events().size());
    EXPECT_GT(restart_at, index_of<ActorStopped>(sink, [&](const ActorStopped& e) { return e.pid.same_actor(t.kids[0]); }));

    // The old children are gone before the old parent instance gets its Stopped/stopped().
    auto pos = [&](const std::string& entry) {
        return static_cast<std::size_t>(std::find(journal->begin(), journal->end(), entry) - journal->begin());
    };
    EXPECT_LT(pos("c3 stopped()#1"), pos("c2 stopped()#1"));
    EXPECT_LT(pos("c2 stopped()#1"), pos("c1 stopped()#1"));
    EXPECT_LT(pos("c1 stopped()#1"), pos("sup Stopped#1"));
    EXPECT_LT(pos("sup stopped()#1"), pos("sup started()#2"));
    EXPECT_LT(pos("sup started()#2"), pos("c1 started()#2"));
    EXPECT_LT(pos("c3 started()#2"), journal->size());

    auto info = engine.info(t.sup);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->pid.generation, 1u);
    ASSERT_EQ(info->children.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        SCOPED_TRACE("c" + std::to_string(i + 1));
        EXPECT_FALSE(engine.alive(t.kids[i]));
        auto fresh = engine.lookup("sup/c" + std::to_string(i + 1));
        ASSERT_TRUE(fresh);
        EXPECT_NE(fresh->id, t.kids[i].id);
        EXPECT_EQ(info->children[i], *fresh);
        EXPECT_TRUE(engine.alive(*fresh));
    }
    expect_conserved();
}

TEST_F(Supervision, ARequestWhoseHandlerThrowsFailsWithHandlerFailed) {
    Tree t = supervise(SupervisorStrategy::one_for_one(RestartPolicy::immediate()));
    Pid c = t.kids.at(0);
    auto f = engine.request(c, Explode{});
    run();
    ASSERT_TRUE(f.ready());
    ASSERT_FALSE(f.result()->ok());
    EXPECT_EQ(f.result()->error().code, ErrorCode::handler_failed);
    EXPECT_NE(f.result()->error().detail.find("exploded"), std::string::npos) << f.result()->error().detail;
    EXPECT_EQ(sink.count<ActorRestarted>(), 1u);
    EXPECT_TRUE(engine.alive(c));
    expect_conserved();
}

// ---------------------------------------------------------------------------------------------
// Validation

namespace {
void expect_rejected(const RestartPolicy& p, const std::string& field) {
    try {
        p.validate();
        ADD_FAILURE() << "validate() accepted a bad " << field;
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << "names the field? " << e.what();
    }
}
}  // namespace

TEST(RestartPolicy, ValidateRejectsBadValuesNamingTheField) {
    EXPECT_NO_THROW(RestartPolicy{}.validate());
    EXPECT_NO_THROW(RestartPolicy::backoff(10ms, 10ms, 1.0, 1.0).validate());
    expect_rejected(RestartPolicy::fixed(-1ns), "delay");
    expect_rejected(RestartPolicy::backoff(-1ms, 1s), "min_backoff");
    expect_rejected(RestartPolicy::backoff(10ms, 1s, 0.5), "factor");
    expect_rejected(RestartPolicy::backoff(10ms, 1s, 2.0, 1.5), "jitter");
    expect_rejected(RestartPolicy::backoff(10ms, 1s, 2.0, -0.1), "jitter");
    expect_rejected(RestartPolicy::backoff(2s, 1s), "max_backoff");
    expect_rejected(RestartPolicy::immediate(10, Duration::zero()), "window");
    expect_rejected(RestartPolicy::immediate(10, -1s), "window");
}

TEST(RestartPolicy, StrategiesAndEnginesRejectABadPolicy) {
    EXPECT_THROW((void)SupervisorStrategy::one_for_one(RestartPolicy::backoff(10ms, 1s, 0.5)), std::invalid_argument);
    EXPECT_THROW((void)SupervisorStrategy::all_for_one(RestartPolicy::fixed(-5ms)), std::invalid_argument);
    auto config = EngineConfig::deterministic(std::make_shared<ManualClock>());
    config.root_supervisor.restart.window = Duration::zero();
    EXPECT_THROW(Engine{config}, std::invalid_argument);
}

// Found by fuzz/mailbox_overflow_fuzzer: an actor that failed again while delivering its stash
// after a restart kept the stash's scheduling token through the next restart delay, so its turns
// found nothing to do and were rescheduled forever: run_until_idle() never returned.
TEST(SupervisionStash, FailingAgainWhileDeliveringTheStashWaitsOutTheNextDelayInsteadOfSpinning) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(10ms));
    });
    auto seen = std::make_shared<std::vector<int>>();
    Pid p = e.engine.spawn_fn("flaky", [seen](Context&, Message& m) {
        if (auto* v = m.as<int>()) {
            seen->push_back(*v);
            if (*v < 0) throw std::runtime_error("fail");
        }
    });
    e.engine.send(p, -1);
    e.run();  // fails; restart in 10 ms
    for (int v : {1, -2, 3}) e.engine.send(p, v);
    e.run();  // all three wait in the stash
    e.advance(10ms);  // restart: 1 handled, -2 fails again with 3 still stashed (this hung)
    EXPECT_EQ(*seen, (std::vector<int>{-1, 1, -2}));
    EXPECT_FALSE(e.engine.cooperative()->has_ready_work()) << "nothing to do until the next restart";
    e.advance(10ms);
    EXPECT_EQ(*seen, (std::vector<int>{-1, 1, -2, 3}));
    EXPECT_EQ(e.engine.counters().restarts, 2u);
    e.expect_conserved();
}

// Issue 12, bug 2: a restart whose new instance throws from started() again was counted but never
// announced, so a dashboard folding events undercounted restarts.
TEST(SupervisionEvents, EveryCountedRestartIsAnActorRestartedEventEvenWhenStartedThrowsAgain) {
    ConfiguredEngine e;  // the root restarts immediately, at most 10 times a minute
    struct AlwaysThrows : Actor {
        void started(Context&) override { throw std::runtime_error("cannot start"); }
        void receive(Context&, Message&) override {}
    };
    Pid p = e.engine.spawn<AlwaysThrows>("hopeless");
    e.run();
    EXPECT_FALSE(e.engine.alive(p));
    const auto limit = e.sink.of<MaxRestartsExceeded>();
    ASSERT_EQ(limit.size(), 1u);
    const auto restarted = e.sink.of<ActorRestarted>();
    EXPECT_EQ(restarted.size(), 10u);
    EXPECT_EQ(e.engine.counters().restarts, restarted.size());
    EXPECT_EQ(limit[0].restarts, restarted.size());
    for (std::size_t i = 0; i < restarted.size(); ++i) EXPECT_EQ(restarted[i].restarts, i + 1);
    EXPECT_EQ(e.sink.count<ActorStarted>(), 0u) << "no instance ever finished starting";
}

// Issue 12, bug 3: poison() promises the queued messages are handled; during a restart delay
// they used to become dead letters.
TEST(SupervisionPoison, PoisonDuringARestartDelayLetsTheNewInstanceHandleWhatWaitsThenStops) {
    ConfiguredEngine e([](EngineConfig& c) { c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(10s)); });
    auto p = probe();
    Pid w = e.engine.spawn<Worker>("w", {}, p, OnStart{});
    e.run();
    e.engine.send(w, Fail{});
    e.engine.send(w, 1);
    e.engine.send(w, 2);
    e.engine.poison(w);
    e.engine.send(w, 3);  // behind the poison
    e.run();              // no virtual time passes: the poison cut the 10 s delay short
    EXPECT_FALSE(e.engine.alive(w));
    EXPECT_EQ(p->seen, (std::vector<std::pair<int, int>>{{2, 1}, {2, 2}}));
    ASSERT_EQ(e.sink.count<ActorRestarted>(), 1u);
    const auto dead = e.sink.of<DeadLetter>();
    ASSERT_EQ(dead.size(), 2u);
    EXPECT_EQ(dead[0].reason, DeadLetterReason::handler_failed);
    EXPECT_EQ(dead[1].reason, DeadLetterReason::actor_stopped);
    const auto stopped = e.sink.of<ActorStopped>();
    ASSERT_EQ(stopped.size(), 1u);
    EXPECT_EQ(stopped[0].reason, StopReason::requested);
    e.expect_conserved();
}

TEST(SupervisionPoison, PoisonWaitingForARestartWhoseStartedThrowsStopsTheActorInsteadOfRetryingForever) {
    ConfiguredEngine e([](EngineConfig& c) {
        c.root_supervisor = SupervisorStrategy::one_for_one(RestartPolicy::fixed(10s, /*max_restarts=*/1000));
    });
    auto starts = std::make_shared<int>(0);
    Pid w = e.engine.spawn("w", [starts]() -> std::unique_ptr<Actor> {
        struct FailsAfterFirst : Actor {
            explicit FailsAfterFirst(bool first) : first_(first) {}
            void started(Context&) override {
                if (!first_) throw std::runtime_error("cannot start again");
            }
            void receive(Context&, Message& m) override {
                if (m.is<Fail>()) throw std::runtime_error("boom");
            }
            bool first_;
        };
        return std::make_unique<FailsAfterFirst>(++*starts == 1);
    });
    e.run();
    e.engine.send(w, Fail{});
    e.engine.send(w, 1);
    e.engine.poison(w);
    e.run();
    EXPECT_FALSE(e.engine.alive(w));
    EXPECT_EQ(*starts, 2) << "one restart for the poison, not one per retry";
    const auto dead = e.sink.of<DeadLetter>();
    ASSERT_EQ(dead.size(), 2u);
    EXPECT_EQ(dead[1].reason, DeadLetterReason::actor_stopped) << "nobody could handle the waiting message";
    e.expect_conserved();
}
