// The event stream's cursor and ring, driven by a byte script of publish / read_since(any cursor,
// any max) / subscribe / unsubscribe on a small ring, checked against a reference model:
//   - read_since returns exactly the events after the cursor that the ring still holds, in order,
//     with `missed` counting exactly those it no longer holds and `next` the cursor to pass on;
//     a cursor at or beyond the end returns nothing, misses nothing and comes back as the end;
//   - every callback subscriber sees every event from when it subscribed, in order, once - or,
//     only when callbacks themselves publish more than the ring holds, an EventsMissed that names
//     exactly the sequence numbers it lost.
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "actors/event_stream.hpp"
#include "byte_script.hpp"

using namespace actors;
using actors::fuzz::ByteScript;

namespace {

struct Subscriber {
    SubscriptionId id = 0;
    std::uint64_t expect_next = 0;  // the next sequence number it must see
    unsigned echoes = 0;            // events it may still publish from inside its callback
    bool may_miss = false;          // set once any callback published
};

class Model {
public:
    Model(std::size_t capacity, ByteScript& script)
        : capacity_(capacity), clock_(std::make_shared<ManualClock>()), stream_(capacity, clock_), script_(script) {}

    void run() {
        while (!script_.done()) {
            const std::uint8_t op = script_.byte();
            switch (op % 6) {
                case 0:
                case 1: publish(); break;
                case 2: read(op); break;
                case 3: subscribe(); break;
                case 4: unsubscribe(); break;
                case 5: clock_->advance(Duration{script_.byte()}); break;
            }
            check_subscribers_caught_up();
        }
        for (auto& s : subs_) FUZZ_CHECK(stream_.unsubscribe(s->id));
        FUZZ_CHECK(stream_.subscriber_count() == 0);
    }

private:
    // The payload names the sequence number the event must get: publishing is single-threaded here.
    std::uint64_t publish_one() {
        const std::uint64_t expected = stream_.last_seq() + 1;
        const std::uint64_t seq = stream_.publish(CustomEvent{Pid{}, "fuzz", std::to_string(expected)});
        FUZZ_CHECK(seq == expected);
        FUZZ_CHECK(stream_.last_seq() >= seq);  // callbacks may have published more since
        return seq;
    }
    void publish() { publish_one(); }

    std::uint64_t cursor_from(std::uint8_t op) {
        const std::uint64_t last = stream_.last_seq();
        switch ((op >> 3) % 4) {
            case 0: return 0;
            case 1: return last > script_.byte() % 16 ? last - script_.byte() % 16 : 0;
            case 2: return last + script_.byte() % 4;  // at or past the end
            default: return script_.u64();             // anything at all, up to UINT64_MAX
        }
    }

    void read(std::uint8_t op) {
        const std::uint64_t cursor = cursor_from(op);
        const std::uint8_t m = script_.byte();
        const std::size_t max = m == 255 ? std::numeric_limits<std::size_t>::max() : m % 12;
        const EventBatch b = stream_.read_since(cursor, max);

        const std::uint64_t last = stream_.last_seq();
        const std::uint64_t oldest = last >= capacity_ ? last - capacity_ + 1 : 1;
        std::uint64_t missed = 0, from, next;
        if (cursor >= last) {
            from = last + 1;  // nothing after the end; the cursor comes back as the end
            next = last;
        } else {
            from = cursor + 1;
            if (from < oldest) {
                missed = oldest - from;
                from = oldest;
            }
            next = from - 1;
        }
        const std::uint64_t available = last >= from ? last - from + 1 : 0;
        const std::uint64_t count = std::min<std::uint64_t>(available, max);
        if (count) next = from + count - 1;

        FUZZ_CHECK(b.missed == missed);
        FUZZ_CHECK(b.next == next);
        FUZZ_CHECK(b.events.size() == count);
        TimePoint previous{};
        for (std::size_t i = 0; i < b.events.size(); ++i) {
            const Event& e = b.events[i];
            FUZZ_CHECK(e.seq == from + i);
            const auto* c = e.as<CustomEvent>();
            FUZZ_CHECK(c != nullptr && c->data == std::to_string(e.seq));
            FUZZ_CHECK(e.time >= previous);
            previous = e.time;
        }
    }

    void subscribe() {
        const std::uint8_t echoes = script_.byte() % 4;
        auto sub = std::make_shared<Subscriber>();
        sub->expect_next = stream_.last_seq() + 1;
        sub->echoes = echoes;
        Subscriber* raw = sub.get();
        sub->id = stream_.subscribe([this, raw](const Event& e) { on_event(*raw, e); });
        subs_.push_back(std::move(sub));
    }

    void on_event(Subscriber& s, const Event& e) {
        if (const auto* gap = e.as<EventsMissed>()) {
            FUZZ_CHECK(s.may_miss);  // only callbacks that publish can overrun a subscriber
            FUZZ_CHECK(gap->first_seq == s.expect_next);
            FUZZ_CHECK(gap->count > 0);
            s.expect_next += gap->count;
            return;
        }
        FUZZ_CHECK(e.seq == s.expect_next);
        const auto* c = e.as<CustomEvent>();
        FUZZ_CHECK(c != nullptr && c->data == std::to_string(e.seq));
        ++s.expect_next;
        if (s.echoes > 0) {
            --s.echoes;
            for (auto& other : subs_) other->may_miss = true;
            publish_one();  // from inside a callback: delivered by the dispatch already running
        }
    }

    void unsubscribe() {
        if (subs_.empty()) {
            FUZZ_CHECK(!stream_.unsubscribe(12345));
            return;
        }
        const std::size_t i = script_.byte() % subs_.size();
        FUZZ_CHECK(stream_.unsubscribe(subs_[i]->id));
        FUZZ_CHECK(!stream_.unsubscribe(subs_[i]->id));
        subs_.erase(subs_.begin() + static_cast<std::ptrdiff_t>(i));
    }

    // Single-threaded, so a publish returns only once every callback has been given everything.
    void check_subscribers_caught_up() {
        FUZZ_CHECK(stream_.subscriber_count() == subs_.size());
        for (auto& s : subs_) FUZZ_CHECK(s->expect_next == stream_.last_seq() + 1);
    }

    std::size_t capacity_;
    std::shared_ptr<ManualClock> clock_;
    EventStream stream_;
    ByteScript& script_;
    std::vector<std::shared_ptr<Subscriber>> subs_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ByteScript script(data, size);
    const std::size_t capacity = 1 + script.byte() % 8;
    Model(capacity, script).run();
    return 0;
}
