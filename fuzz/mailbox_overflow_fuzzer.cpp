// Mailbox overflow policies on the deterministic cooperative engine, driven by a byte script of
// sends (some of which make the handler throw), runs, virtual time, stop, poison and shutdown,
// checked message by message against a reference model of one mailbox:
//   - each send's status (delivered / dropped / rejected / dead_letter);
//   - the exact sequence of messages the actor handles, across failures and restarts;
//   - the mailbox depth after every step, and that an idle mailbox never holds more than its
//     capacity (drop_oldest included: the actor sees the newest `capacity` messages);
//   - the engine's counters, exactly, and sent == processed + dead_lettered + dropped at the end.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "actors/actors.hpp"
#include "byte_script.hpp"

using namespace actors;
using namespace std::chrono_literals;
using actors::fuzz::ByteScript;

namespace {

struct Item {
    std::uint32_t value;
    bool fail;  // the handler throws on this one
};

constexpr Duration kRestartDelay = 10ms;

enum class Decision : std::uint8_t { resume, restart_now, restart_later, stop };

// What the engine should do with one actor's mailbox: `stash` holds what arrived while the actor
// waited out a restart delay (older than anything in `mailbox`); a poison has no value.
class Model {
public:
    struct Entry {
        std::uint32_t value = 0;
        bool fail = false;
        bool poison = false;
    };
    enum class State : std::uint8_t { running, waiting, stopped };

    Model(std::size_t capacity, OverflowPolicy policy, Decision decision)
        : capacity_(capacity), policy_(policy), decision_(decision) {}

    SendStatus send(Entry e) {
        ++sent;
        if (state_ == State::stopped && retired_) {
            ++dead;
            return SendStatus::dead_letter;
        }
        if (policy_ != OverflowPolicy::drop_oldest && depth() >= capacity_) {
            ++dropped;
            return policy_ == OverflowPolicy::drop_newest ? SendStatus::dropped : SendStatus::rejected;
        }
        mailbox_.push_back(e);
        return SendStatus::delivered;
    }
    void poison() {
        if (state_ == State::stopped && retired_) return;  // no such actor any more: nothing happens
        mailbox_.push_back(Entry{0, false, true});
    }
    void stop() {
        if (!(state_ == State::stopped && retired_)) stop_pending_ = true;
    }

    // run_until_idle: system messages (a stop) first, then the stash if running, then the mailbox.
    void run() {
        if (stop_pending_) {
            stop_pending_ = false;
            finish();
        }
        for (;;) {
            if (state_ == State::running && !stash_.empty()) {
                Entry e = stash_.front();
                stash_.pop_front();
                handle(e);
                continue;
            }
            if (mailbox_.empty()) break;
            Entry e = mailbox_.front();
            mailbox_.pop_front();
            if (policy_ == OverflowPolicy::drop_oldest && !e.poison) {
                std::size_t total = stash_.size() + mailbox_.size() + 1;
                while (total > capacity_ && !stash_.empty() && !stash_.front().poison) {
                    stash_.pop_front();
                    ++dropped;
                    --total;
                }
                if (total > capacity_) {
                    ++dropped;
                    continue;
                }
            }
            if (state_ == State::waiting) {
                stash_.push_back(e);
                // A poison waits its turn behind the stash and cuts the restart delay short.
                if (e.poison) restart_for_poison();
                continue;
            }
            handle(e);
        }
        if (state_ == State::stopped) retired_ = true;
    }

    // Like ManualClock advance(): run, then stop at each due restart to run what it caused.
    void advance(Duration d) {
        run();
        const TimePoint target = now_ + d;
        while (state_ == State::waiting && restart_at_ <= target) {
            now_ = std::max(now_, restart_at_);
            state_ = State::running;
            ++restarts;
            run();
        }
        now_ = target;
        run();
    }

    void shutdown() {
        if (!(state_ == State::stopped && retired_)) mailbox_.push_back(Entry{0, false, true});
        run();
        retired_ = true;
        state_ = State::stopped;
    }

    [[nodiscard]] std::size_t depth() const { return stash_.size() + mailbox_.size(); }
    [[nodiscard]] bool retired() const { return retired_; }

    std::vector<std::uint32_t> handled;
    std::uint64_t sent = 0, processed = 0, dead = 0, dropped = 0, failures = 0, restarts = 0;

private:
    void handle(const Entry& e) {
        if (e.poison) {
            if (state_ == State::running) finish();
            return;
        }
        if (state_ != State::running) {
            ++dead;
            return;
        }
        handled.push_back(e.value);
        if (!e.fail) {
            ++processed;
            return;
        }
        ++dead;  // handler_failed
        ++failures;
        switch (decision_) {
            case Decision::resume: break;
            case Decision::restart_now: ++restarts; break;
            case Decision::restart_later:
                state_ = State::waiting;
                restart_at_ = now_ + kRestartDelay;
                if (std::any_of(stash_.begin(), stash_.end(), [](const Entry& s) { return s.poison; })) restart_for_poison();
                break;
            case Decision::stop: finish(); break;
        }
    }
    void restart_for_poison() {
        state_ = State::running;
        ++restarts;
    }
    void finish() {
        if (state_ == State::stopped) return;
        state_ = State::stopped;
        dead += stash_.size();
        stash_.clear();
    }

    std::size_t capacity_;
    OverflowPolicy policy_;
    Decision decision_;
    State state_ = State::running;
    bool stop_pending_ = false;
    bool retired_ = false;
    std::deque<Entry> stash_, mailbox_;
    Duration now_{};
    TimePoint restart_at_{};
};

SupervisorStrategy strategy_for(Decision d) {
    const unsigned many = 1u << 30;
    switch (d) {
        case Decision::resume:
            return SupervisorStrategy::one_for_one(RestartPolicy::immediate(many, std::chrono::hours(1)),
                                                   [](const Failure&) { return Directive::resume; });
        case Decision::restart_now: return SupervisorStrategy::one_for_one(RestartPolicy::immediate(many, std::chrono::hours(1)));
        case Decision::restart_later:
            return SupervisorStrategy::one_for_one(RestartPolicy::fixed(kRestartDelay, many, std::chrono::hours(1)));
        case Decision::stop:
            return SupervisorStrategy::one_for_one(RestartPolicy::immediate(many, std::chrono::hours(1)),
                                                   [](const Failure&) { return Directive::stop; });
    }
    return {};
}

void check_counters(Engine& engine, const Model& model) {
    const EngineCounters c = engine.counters();
    FUZZ_CHECK(c.sent == model.sent);
    FUZZ_CHECK(c.processed == model.processed);
    FUZZ_CHECK(c.dead_lettered == model.dead);
    FUZZ_CHECK(c.dropped == model.dropped);
    FUZZ_CHECK(c.failures == model.failures);
    FUZZ_CHECK(c.restarts == model.restarts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteScript script(data, size);
    const std::uint8_t header = script.byte();
    const auto policy = static_cast<OverflowPolicy>(header % 3);
    const auto decision = static_cast<Decision>((header / 3) % 4);
    const std::size_t capacity = 1 + script.byte() % 6;
    const std::size_t throughput = 1 + script.byte() % 4;

    auto clock = std::make_shared<ManualClock>();
    EngineConfig cfg = EngineConfig::deterministic(clock);
    cfg.throughput = throughput;
    cfg.health.enabled = false;
    cfg.event_ring_capacity = 64;  // the default ring (65,536 events) would cost more than the run
    cfg.root_supervisor = strategy_for(decision);
    Engine engine(cfg);

    auto handled = std::make_shared<std::vector<std::uint32_t>>();
    SpawnOptions so;
    so.mailbox = MailboxOptions{capacity, policy};
    const Pid pid = engine.spawn_fn("target", [handled](Context&, Message& m) {
        if (const auto* item = m.as<Item>()) {
            handled->push_back(item->value);
            if (item->fail) throw std::runtime_error("fuzz: injected failure");
        }
    }, so);

    Model model(capacity, policy, decision);
    std::uint32_t next_value = 1;
    auto check_depth = [&] {
        const auto info = engine.info(pid);
        FUZZ_CHECK(info.has_value() == !model.retired());
        if (info) FUZZ_CHECK(info->mailbox_depth == model.depth());
    };
    for (int steps = 0; !script.done() && steps < 4096; ++steps) {
        const std::uint8_t op = script.byte();
        switch (op % 8) {
            case 0:
            case 1:
            case 2: {  // a burst of sends, one in eight of them failing if the op says so
                const unsigned n = 1 + (op >> 3) % 8;
                for (unsigned i = 0; i < n; ++i) {
                    const bool fail = (op & 0x80) && i == n - 1;
                    const std::uint32_t v = next_value++;
                    FUZZ_CHECK(engine.send(pid, Item{v, fail}) == model.send({v, fail, false}));
                }
                break;
            }
            case 3:
            case 4:
                engine.run_until_idle();
                model.run();
                if (!model.retired()) FUZZ_CHECK(model.depth() <= capacity);
                break;
            case 5: {
                const Duration d = ((op >> 3) % 3) * 5ms;
                engine.advance(d);
                model.advance(d);
                break;
            }
            case 6:
                engine.poison(pid);
                model.poison();
                break;
            case 7:
                if ((op >> 3) % 4 == 0) {  // rarely: stop now
                    engine.stop(pid);
                    model.stop();
                } else {
                    engine.run_until_idle();
                    model.run();
                }
                break;
        }
        check_depth();
        FUZZ_CHECK(*handled == model.handled);
        check_counters(engine, model);
    }

    engine.shutdown();
    model.shutdown();
    FUZZ_CHECK(*handled == model.handled);
    FUZZ_CHECK(engine.send(pid, Item{0, false}) == model.send({0, false, false}));
    check_counters(engine, model);
    const EngineCounters c = engine.counters();
    FUZZ_CHECK(c.in_flight == 0);
    FUZZ_CHECK(c.sent == c.processed + c.dead_lettered + c.dropped);
    FUZZ_CHECK(c.live_actors == 0);
    return 0;
}
