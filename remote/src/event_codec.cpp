#include "remote/event_codec.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include <msgpack.hpp>


namespace actors::remote {

static_assert(std::size(event_kind_names) == std::variant_size_v<EventBody>,
              "a new event kind needs its wire number: append it to event_kind_names");

namespace {

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("malformed event: " + what); }

// msgpack written here, for the five shapes events are made of, straight into the bytes that
// leave. msgpack-cxx's packer cost about 90 instructions per field (an out-of-line call and a
// vector append each), and a frame's events were encoded into a buffer of their own and copied:
// together most of what a watched engine paid for a dashboard (callgrind, spawn + stop churn).
// Every form is the shortest, as msgpack-cxx writes it; its decoder reads these bytes back.
// Bytes gather in a small buffer on the stack and reach `out` in a few appends (finish() sends
// the rest): a vector append per byte cost more than the encoding.
struct Writer {
    explicit Writer(Bytes& o) : out(o) {}
    Bytes& out;
    std::uint8_t buf[512];
    std::size_t len = 0;

    void finish() {
        out.insert(out.end(), buf, buf + len);
        len = 0;
    }
    void room(std::size_t n) {
        if (len + n > sizeof buf) finish();
    }
    void put(std::uint8_t b) {
        room(1);
        buf[len++] = b;
    }
    template <class T>
    void big_endian(T v) {
        room(sizeof(T));
        for (int shift = (static_cast<int>(sizeof(T)) - 1) * 8; shift >= 0; shift -= 8)
            buf[len++] = static_cast<std::uint8_t>(v >> shift);
    }
    void array(std::size_t n) {
        if (n < 16) put(static_cast<std::uint8_t>(0x90 | n));
        else if (n <= 0xffff) { put(0xdc); big_endian(static_cast<std::uint16_t>(n)); }
        else { put(0xdd); big_endian(static_cast<std::uint32_t>(n)); }
    }
    void u64(std::uint64_t v) {
        if (v < 128) put(static_cast<std::uint8_t>(v));
        else if (v <= 0xff) { put(0xcc); put(static_cast<std::uint8_t>(v)); }
        else if (v <= 0xffff) { put(0xcd); big_endian(static_cast<std::uint16_t>(v)); }
        else if (v <= 0xffffffff) { put(0xce); big_endian(static_cast<std::uint32_t>(v)); }
        else { put(0xcf); big_endian(v); }
    }
    void i64(std::int64_t v) {
        if (v >= 0) return u64(static_cast<std::uint64_t>(v));
        if (v >= -32) put(static_cast<std::uint8_t>(v));  // negative fixint
        else if (v >= INT8_MIN) { put(0xd0); put(static_cast<std::uint8_t>(v)); }
        else if (v >= INT16_MIN) { put(0xd1); big_endian(static_cast<std::uint16_t>(v)); }
        else if (v >= INT32_MIN) { put(0xd2); big_endian(static_cast<std::uint32_t>(v)); }
        else { put(0xd3); big_endian(static_cast<std::uint64_t>(v)); }
    }
    void str(const std::string& s) {
        const std::size_t n = s.size();
        if (n < 32) put(static_cast<std::uint8_t>(0xa0 | n));
        else if (n <= 0xff) { put(0xd9); put(static_cast<std::uint8_t>(n)); }
        else if (n <= 0xffff) { put(0xda); big_endian(static_cast<std::uint16_t>(n)); }
        else { put(0xdb); big_endian(static_cast<std::uint32_t>(n)); }
        if (n <= sizeof buf - len) {
            std::memcpy(buf + len, s.data(), n);
            len += n;
        } else {
            finish();
            out.insert(out.end(), s.begin(), s.end());
        }
    }
    void boolean(bool b) { put(b ? 0xc3 : 0xc2); }
    void pid(const Pid& x) {
        array(3);
        u64(x.node);
        u64(x.id);
        u64(x.generation);
    }
    void duration(Duration d) { i64(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()); }
    void time(TimePoint t) { i64(std::chrono::duration_cast<std::chrono::nanoseconds>(t).count()); }
    template <class E>
    void enumeration(E e) { u64(static_cast<std::uint64_t>(e)); }
    void counters(const EngineCounters& c) {
        array(10);
        for (std::uint64_t v : {c.sent, c.processed, c.dead_lettered, c.dropped, c.in_flight, c.spawned, c.stopped, c.restarts,
                                c.failures, c.live_actors})
            u64(v);
    }
    void actor_counters(const ActorCounters& c) {
        array(5);
        for (std::uint64_t v : {c.received, c.processed, c.dead_lettered, c.dropped, c.sent}) u64(v);
    }
    void link(const LinkStats& l) {
        array(14);
        str(l.node);
        u64(l.incarnation);
        boolean(l.connected);
        boolean(l.down);
        for (std::uint64_t v : {l.sent, l.acknowledged, l.replayed, l.delivered, l.duplicates_dropped, l.dead_lettered,
                                l.in_flight, l.bytes_out, l.bytes_in})
            u64(v);
        duration(l.rtt);
    }
    void links(const std::vector<LinkStats>& ls) {
        array(ls.size());
        for (const auto& l : ls) link(l);
    }
    void strings(const std::vector<std::string>& v) {
        array(v.size());
        for (const auto& s : v) str(s);
    }
};

// Each kind's fields, after [seq, time, kind]: Fields says how many, Write writes them.
struct Fields {
    std::size_t operator()(const ActorSpawned&) const { return 4; }
    std::size_t operator()(const ActorStarted&) const { return 1; }
    std::size_t operator()(const ActorStopped&) const { return 3; }
    std::size_t operator()(const DeadLetter&) const { return 4; }
    std::size_t operator()(const MailboxOverflow&) const { return 4; }
    std::size_t operator()(const ActorFailed&) const { return 4; }
    std::size_t operator()(const ActorRestarted&) const { return 6; }
    std::size_t operator()(const ActorResumed&) const { return 2; }
    std::size_t operator()(const MaxRestartsExceeded&) const { return 3; }
    std::size_t operator()(const Escalated&) const { return 3; }
    std::size_t operator()(const ActorUnhealthy&) const { return 4; }
    std::size_t operator()(const ActorHealthy&) const { return 3; }
    std::size_t operator()(const CustomEvent&) const { return 3; }
    std::size_t operator()(const StatsSampled&) const { return 4; }
    std::size_t operator()(const EventsMissed&) const { return 2; }
    std::size_t operator()(const NodeConnected&) const { return 4; }
    std::size_t operator()(const NodeDisconnected&) const { return 2; }
    std::size_t operator()(const NodeDown&) const { return 2; }
    std::size_t operator()(const LinkReplayed&) const { return 2; }
    std::size_t operator()(const MemberJoined&) const { return 3; }
    std::size_t operator()(const MemberLeft&) const { return 3; }
    std::size_t operator()(const ActivationStarted&) const { return 4; }
    std::size_t operator()(const ActivationStopped&) const { return 5; }
};

struct Write {
    Writer& w;
    void operator()(const ActorSpawned& e) const { w.pid(e.pid); w.pid(e.parent); w.str(e.name); w.u64(e.mailbox_capacity); }
    void operator()(const ActorStarted& e) const { w.pid(e.pid); }
    void operator()(const ActorStopped& e) const { w.pid(e.pid); w.enumeration(e.reason); w.str(e.detail); }
    void operator()(const DeadLetter& e) const { w.pid(e.target); w.pid(e.sender); w.str(e.message_type); w.enumeration(e.reason); }
    void operator()(const MailboxOverflow& e) const { w.pid(e.pid); w.u64(e.capacity); w.enumeration(e.policy); w.str(e.message_type); }
    void operator()(const ActorFailed& e) const { w.pid(e.pid); w.str(e.error); w.str(e.message_type); w.u64(e.total_failures); }
    void operator()(const ActorRestarted& e) const {
        w.pid(e.pid); w.u64(e.restarts); w.u64(e.total_restarts); w.duration(e.delay); w.duration(e.next_delay); w.str(e.reason);
    }
    void operator()(const ActorResumed& e) const { w.pid(e.pid); w.str(e.reason); }
    void operator()(const MaxRestartsExceeded& e) const { w.pid(e.pid); w.u64(e.restarts); w.duration(e.window); }
    void operator()(const Escalated& e) const { w.pid(e.from); w.pid(e.to); w.str(e.reason); }
    void operator()(const ActorUnhealthy& e) const { w.pid(e.pid); w.enumeration(e.signal); w.duration(e.measured); w.str(e.detail); }
    void operator()(const ActorHealthy& e) const { w.pid(e.pid); w.enumeration(e.signal); w.duration(e.measured); }
    void operator()(const CustomEvent& e) const { w.pid(e.source); w.str(e.topic); w.str(e.data); }
    void operator()(const StatsSampled& e) const {
        w.duration(e.interval);
        w.counters(e.counters);
        w.array(e.actors.size());
        for (const ActorSample& a : e.actors) {
            w.array(3);
            w.pid(a.pid);
            w.u64(a.mailbox_depth);
            w.actor_counters(a.counters);
        }
        w.links(e.links);
    }
    void operator()(const EventsMissed& e) const { w.u64(e.first_seq); w.u64(e.count); }
    void operator()(const NodeConnected& e) const { w.str(e.node); w.u64(e.incarnation); w.u64(e.alias); w.boolean(e.restarted); }
    void operator()(const NodeDisconnected& e) const { w.str(e.node); w.str(e.reason); }
    void operator()(const NodeDown& e) const { w.str(e.node); w.str(e.reason); }
    void operator()(const LinkReplayed& e) const { w.str(e.node); w.u64(e.count); }
    void operator()(const MemberJoined& e) const { w.str(e.member); w.str(e.address); w.strings(e.kinds); }
    void operator()(const MemberLeft& e) const { w.str(e.member); w.str(e.address); w.enumeration(e.reason); }
    void operator()(const ActivationStarted& e) const { w.str(e.kind); w.str(e.identity); w.str(e.member); w.pid(e.pid); }
    void operator()(const ActivationStopped& e) const {
        w.str(e.kind); w.str(e.identity); w.str(e.member); w.pid(e.pid); w.enumeration(e.reason);
    }
};

// Reads one array's elements in order, each checked for its type.
class Reader {
public:
    Reader(const msgpack::object& o, const char* what) {
        if (o.type != msgpack::type::ARRAY) bad(std::string(what) + " is not an array");
        items_ = o.via.array.ptr;
        size_ = o.via.array.size;
        what_ = what;
    }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void expect(std::size_t n) const {
        if (size_ != n) bad(std::string(what_) + " has " + std::to_string(size_) + " fields, not " + std::to_string(n));
    }
    const msgpack::object& next() {
        if (pos_ >= size_) bad(std::string(what_) + " ends early");
        return items_[pos_++];
    }
    std::uint64_t u64() {
        const auto& o = next();
        if (o.type != msgpack::type::POSITIVE_INTEGER) bad(std::string(what_) + ": expected an unsigned integer");
        return o.via.u64;
    }
    std::uint32_t u32() {
        const std::uint64_t v = u64();
        if (v > 0xffffffffu) bad(std::string(what_) + ": a 32-bit field out of range");
        return static_cast<std::uint32_t>(v);
    }
    std::int64_t i64() {
        const auto& o = next();
        if (o.type == msgpack::type::POSITIVE_INTEGER) {
            if (o.via.u64 > static_cast<std::uint64_t>(INT64_MAX)) bad(std::string(what_) + ": a signed field out of range");
            return static_cast<std::int64_t>(o.via.u64);
        }
        if (o.type != msgpack::type::NEGATIVE_INTEGER) bad(std::string(what_) + ": expected an integer");
        return o.via.i64;
    }
    std::string str() {
        const auto& o = next();
        if (o.type != msgpack::type::STR) bad(std::string(what_) + ": expected a string");
        return std::string(o.via.str.ptr, o.via.str.size);
    }
    bool boolean() {
        const auto& o = next();
        if (o.type != msgpack::type::BOOLEAN) bad(std::string(what_) + ": expected a boolean");
        return o.via.boolean;
    }
    Pid pid() {
        Reader r(next(), "pid");
        r.expect(3);
        Pid p;
        p.node = r.u32();
        p.id = r.u64();
        p.generation = r.u32();
        return p;
    }
    Duration duration() { return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(i64())); }
    TimePoint time() { return TimePoint{duration()}; }
    template <class E>
    E enumeration(std::uint64_t last) {
        const std::uint64_t v = u64();
        if (v > last) bad(std::string(what_) + ": enumeration value " + std::to_string(v) + " unknown");
        return static_cast<E>(v);
    }
    HealthSignal signal() {
        const std::uint64_t v = u64();
        if (v != 1 && v != 2 && v != 4) bad(std::string(what_) + ": health signal " + std::to_string(v) + " unknown");
        return static_cast<HealthSignal>(v);
    }
    EngineCounters counters() {
        Reader r(next(), "counters");
        r.expect(10);
        EngineCounters c;
        for (std::uint64_t* f : {&c.sent, &c.processed, &c.dead_lettered, &c.dropped, &c.in_flight, &c.spawned, &c.stopped,
                                 &c.restarts, &c.failures, &c.live_actors})
            *f = r.u64();
        return c;
    }
    ActorCounters actor_counters() {
        Reader r(next(), "actor counters");
        r.expect(5);
        ActorCounters c;
        for (std::uint64_t* f : {&c.received, &c.processed, &c.dead_lettered, &c.dropped, &c.sent}) *f = r.u64();
        return c;
    }
    std::vector<LinkStats> links() {
        Reader all(next(), "links");
        std::vector<LinkStats> out(all.size());
        for (LinkStats& l : out) {
            Reader r(all.next(), "link");
            r.expect(14);
            l.node = r.str();
            l.incarnation = r.u64();
            l.connected = r.boolean();
            l.down = r.boolean();
            for (std::uint64_t* f : {&l.sent, &l.acknowledged, &l.replayed, &l.delivered, &l.duplicates_dropped, &l.dead_lettered,
                                     &l.in_flight, &l.bytes_out, &l.bytes_in})
                *f = r.u64();
            l.rtt = r.duration();
        }
        return out;
    }
    std::vector<std::string> strings() {
        Reader all(next(), "strings");
        std::vector<std::string> out;
        out.reserve(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) out.push_back(all.str());
        return out;
    }

private:
    const msgpack::object* items_ = nullptr;
    std::size_t size_ = 0;
    std::size_t pos_ = 0;
    const char* what_ = "";
};

EventBody read_body(std::size_t kind, Reader& r) {
    switch (kind) {
        case 0: { ActorSpawned e; e.pid = r.pid(); e.parent = r.pid(); e.name = r.str(); e.mailbox_capacity = r.u64(); return e; }
        case 1: return ActorStarted{r.pid()};
        case 2: { ActorStopped e; e.pid = r.pid(); e.reason = r.enumeration<StopReason>(static_cast<std::uint64_t>(StopReason::node_down)); e.detail = r.str(); return e; }
        case 3: { DeadLetter e; e.target = r.pid(); e.sender = r.pid(); e.message_type = r.str(); e.reason = r.enumeration<DeadLetterReason>(dead_letter_reason_count - 1); return e; }
        case 4: { MailboxOverflow e; e.pid = r.pid(); e.capacity = r.u64(); e.policy = r.enumeration<OverflowPolicy>(static_cast<std::uint64_t>(OverflowPolicy::reject_sender)); e.message_type = r.str(); return e; }
        case 5: { ActorFailed e; e.pid = r.pid(); e.error = r.str(); e.message_type = r.str(); e.total_failures = r.u64(); return e; }
        case 6: {
            ActorRestarted e;
            e.pid = r.pid();
            e.restarts = r.u32();
            e.total_restarts = r.u64();
            e.delay = r.duration();
            e.next_delay = r.duration();
            e.reason = r.str();
            return e;
        }
        case 7: { ActorResumed e; e.pid = r.pid(); e.reason = r.str(); return e; }
        case 8: { MaxRestartsExceeded e; e.pid = r.pid(); e.restarts = r.u32(); e.window = r.duration(); return e; }
        case 9: { Escalated e; e.from = r.pid(); e.to = r.pid(); e.reason = r.str(); return e; }
        case 10: { ActorUnhealthy e; e.pid = r.pid(); e.signal = r.signal(); e.measured = r.duration(); e.detail = r.str(); return e; }
        case 11: { ActorHealthy e; e.pid = r.pid(); e.signal = r.signal(); e.measured = r.duration(); return e; }
        case 12: { CustomEvent e; e.source = r.pid(); e.topic = r.str(); e.data = r.str(); return e; }
        case 13: {
            StatsSampled e;
            e.interval = r.duration();
            e.counters = r.counters();
            Reader actors(r.next(), "stats actors");
            e.actors.resize(actors.size());
            for (ActorSample& a : e.actors) {
                Reader s(actors.next(), "stats actor");
                s.expect(3);
                a.pid = s.pid();
                a.mailbox_depth = s.u64();
                a.counters = s.actor_counters();
            }
            e.links = r.links();
            return e;
        }
        case 14: { EventsMissed e; e.first_seq = r.u64(); e.count = r.u64(); return e; }
        case 15: { NodeConnected e; e.node = r.str(); e.incarnation = r.u64(); e.alias = r.u32(); e.restarted = r.boolean(); return e; }
        case 16: { NodeDisconnected e; e.node = r.str(); e.reason = r.str(); return e; }
        case 17: { NodeDown e; e.node = r.str(); e.reason = r.str(); return e; }
        case 18: { LinkReplayed e; e.node = r.str(); e.count = r.u64(); return e; }
        case 19: { MemberJoined e; e.member = r.str(); e.address = r.str(); e.kinds = r.strings(); return e; }
        case 21: { ActivationStarted e; e.kind = r.str(); e.identity = r.str(); e.member = r.str(); e.pid = r.pid(); return e; }
        case 22: {
            ActivationStopped e;
            e.kind = r.str(); e.identity = r.str(); e.member = r.str(); e.pid = r.pid();
            e.reason = r.enumeration<ActivationStopReason>(static_cast<std::uint64_t>(ActivationStopReason::shutdown));
            return e;
        }
        case 20: { MemberLeft e; e.member = r.str(); e.address = r.str(); e.reason = r.enumeration<MemberLeftReason>(static_cast<std::uint64_t>(MemberLeftReason::lease_expired)); return e; }
    }
    bad("unknown kind " + std::to_string(kind));
}

msgpack::object_handle parse(ByteView bytes, std::size_t depth) {
    const std::size_t n = bytes.size();
    // Every element takes at least a byte: no count in valid input exceeds the size.
    const msgpack::unpack_limit limit(n, 0, n, n, 0, depth);
    std::size_t offset = 0;
    msgpack::object_handle handle;
    try {
        handle = msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), n, offset, nullptr, nullptr, limit);
    } catch (const std::exception& e) {
        bad(std::string("not msgpack (") + e.what() + ")");
    }
    if (offset != n) bad("trailing bytes");
    return handle;
}

void write_event(Writer& w, const Event& e) {
    w.array(3 + std::visit(Fields{}, e.body));
    w.u64(e.seq);
    w.time(e.time);
    w.u64(e.body.index());
    std::visit(Write{w}, e.body);
}

Event read_event(const msgpack::object& o) {
    Reader r(o, "event");
    if (r.size() < 3) bad("an event has at least [seq, time, kind]");
    Event e;
    e.seq = r.u64();
    e.time = r.time();
    const std::uint64_t kind = r.u64();
    if (kind >= std::variant_size_v<EventBody>) bad("unknown kind " + std::to_string(kind));
    e.body = read_body(static_cast<std::size_t>(kind), r);
    if (r.size() != 3 + std::visit(Fields{}, e.body))
        bad(std::string(event_kind_names[kind]) + " with " + std::to_string(r.size() - 3) + " fields");
    return e;
}

}  // namespace

void encode_event(const Event& e, Bytes& out) {
    Writer w(out);
    write_event(w, e);
    w.finish();
}

Bytes encode_event(const Event& e) {
    Bytes out;
    encode_event(e, out);
    return out;
}

Event decode_event(ByteView bytes) {
    const msgpack::object_handle handle = parse(bytes, 5);
    return read_event(handle.get());
}

Bytes encode_snapshot(const Snapshot& s) {
    Bytes out;
    Writer w(out);
    w.array(s.standing.empty() ? 6 : 7);  // 7: standing state, read by this build and later
    w.u64(s.last_seq);
    const PublishedTotals& p = s.published;
    w.array(8);
    for (std::uint64_t v : {p.spawned, p.stopped, p.failures, p.restarts, p.dead_letters, p.overflows, p.max_restarts_exceeded,
                            p.escalations})
        w.u64(v);
    w.time(s.time);
    w.counters(s.counters);
    w.array(s.actors.size());
    for (const ActorInfo& a : s.actors) {
        w.array(13);
        w.pid(a.pid);
        w.str(a.name);
        w.pid(a.parent);
        w.enumeration(a.state);
        w.u64(a.mailbox_depth);
        w.u64(a.mailbox_capacity);
        w.enumeration(a.overflow);
        w.actor_counters(a.counters);
        w.array(a.children.size());
        for (const Pid& c : a.children) w.pid(c);
        w.u64(a.restarts);
        w.u64(a.failures);
        w.u64(a.health);
        w.str(a.last_error);
    }
    w.links(s.links);
    if (!s.standing.empty()) {
        w.array(s.standing.size());
        for (const Event& e : s.standing) write_event(w, e);
    }
    w.finish();
    return out;
}

Snapshot decode_snapshot(ByteView bytes) {
    const msgpack::object_handle handle = parse(bytes, 5);
    Reader r(handle.get(), "snapshot");
    if (r.size() != 6 && r.size() != 7) bad("snapshot has " + std::to_string(r.size()) + " fields, not 6 or 7");
    Snapshot s;
    s.last_seq = r.u64();
    {
        Reader p(r.next(), "published");
        p.expect(8);
        PublishedTotals& t = s.published;
        for (std::uint64_t* f : {&t.spawned, &t.stopped, &t.failures, &t.restarts, &t.dead_letters, &t.overflows,
                                 &t.max_restarts_exceeded, &t.escalations})
            *f = p.u64();
    }
    s.time = r.time();
    s.counters = r.counters();
    Reader actors(r.next(), "actors");
    s.actors.resize(actors.size());
    for (ActorInfo& a : s.actors) {
        Reader x(actors.next(), "actor");
        x.expect(13);
        a.pid = x.pid();
        a.name = x.str();
        a.parent = x.pid();
        a.state = x.enumeration<ActorState>(static_cast<std::uint64_t>(ActorState::stopped));
        a.mailbox_depth = x.u64();
        a.mailbox_capacity = x.u64();
        a.overflow = x.enumeration<OverflowPolicy>(static_cast<std::uint64_t>(OverflowPolicy::reject_sender));
        a.counters = x.actor_counters();
        Reader children(x.next(), "children");
        a.children.reserve(children.size());
        for (std::size_t i = 0; i < children.size(); ++i) a.children.push_back(children.pid());
        a.restarts = x.u64();
        a.failures = x.u64();
        const std::uint64_t health = x.u64();
        if (health > 7) bad("actor health bits " + std::to_string(health));
        a.health = static_cast<std::uint8_t>(health);
        a.last_error = x.str();
    }
    s.links = r.links();
    if (r.size() == 7) {
        Reader standing(r.next(), "standing");
        s.standing.reserve(standing.size());
        for (std::size_t i = 0; i < standing.size(); ++i) s.standing.push_back(read_event(standing.next()));
    }
    return s;
}

}  // namespace actors::remote
