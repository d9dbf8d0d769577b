#include "actors/bridge/engine_json.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>

namespace actors::js {

Pid parse_pid(const std::string& text) {
    auto bad = [&] {
        return std::invalid_argument("not a pid: '" + text + "' (expected \"<node.id.generation>\", e.g. \"<1.42.0>\")");
    };
    if (text.size() < 7 || text.front() != '<' || text.back() != '>') throw bad();
    std::uint64_t parts[3];
    const char* p = text.data() + 1;
    const char* end = text.data() + text.size() - 1;
    for (int k = 0; k < 3; ++k) {
        auto [next, ec] = std::from_chars(p, end, parts[k]);
        if (ec != std::errc{} || next == p) throw bad();
        p = next;
        if (k < 2) {
            if (p == end || *p != '.') throw bad();
            ++p;
        }
    }
    if (p != end || parts[0] > UINT32_MAX || parts[2] > UINT32_MAX) throw bad();
    return Pid{static_cast<std::uint32_t>(parts[0]), parts[1], static_cast<std::uint32_t>(parts[2])};
}

json::Value pid_json(const Pid& pid) { return pid.valid() ? json::Value{pid.to_string()} : json::Value{}; }

namespace {

double ms(Duration d) { return static_cast<double>(d.count()) / 1e6; }
double num(std::uint64_t v) { return static_cast<double>(v); }

struct EventFields {
    json::Value& o;
    void operator()(const ActorSpawned& e) {
        o.set("pid", pid_json(e.pid)).set("parent", pid_json(e.parent)).set("name", e.name).set("mailboxCapacity", num(e.mailbox_capacity));
    }
    void operator()(const ActorStarted& e) { o.set("pid", pid_json(e.pid)); }
    void operator()(const ActorStopped& e) { o.set("pid", pid_json(e.pid)).set("reason", to_string(e.reason)).set("detail", e.detail); }
    void operator()(const DeadLetter& e) {
        o.set("target", pid_json(e.target)).set("sender", pid_json(e.sender)).set("messageType", e.message_type).set("reason", to_string(e.reason));
    }
    void operator()(const MailboxOverflow& e) {
        o.set("pid", pid_json(e.pid)).set("capacity", num(e.capacity)).set("policy", to_string(e.policy)).set("messageType", e.message_type);
    }
    void operator()(const ActorFailed& e) {
        o.set("pid", pid_json(e.pid)).set("error", e.error).set("messageType", e.message_type).set("totalFailures", num(e.total_failures));
    }
    void operator()(const ActorRestarted& e) {
        o.set("pid", pid_json(e.pid)).set("restarts", num(e.restarts)).set("totalRestarts", num(e.total_restarts))
            .set("delayMs", ms(e.delay)).set("nextDelayMs", ms(e.next_delay)).set("generation", num(e.pid.generation)).set("reason", e.reason);
    }
    void operator()(const ActorResumed& e) { o.set("pid", pid_json(e.pid)).set("reason", e.reason); }
    void operator()(const MaxRestartsExceeded& e) {
        o.set("pid", pid_json(e.pid)).set("restarts", num(e.restarts)).set("windowMs", ms(e.window));
    }
    void operator()(const Escalated& e) { o.set("from", pid_json(e.from)).set("to", pid_json(e.to)).set("reason", e.reason); }
    void operator()(const ActorUnhealthy& e) {
        o.set("pid", pid_json(e.pid)).set("signal", to_string(e.signal)).set("measuredMs", ms(e.measured)).set("detail", e.detail);
    }
    void operator()(const ActorHealthy& e) { o.set("pid", pid_json(e.pid)).set("signal", to_string(e.signal)).set("measuredMs", ms(e.measured)); }
    void operator()(const CustomEvent& e) { o.set("source", pid_json(e.source)).set("topic", e.topic).set("data", e.data); }
    void operator()(const StatsSampled& e) {
        json::Array actors;
        for (const ActorSample& a : e.actors) {
            json::Value s;
            s.set("pid", pid_json(a.pid)).set("mailboxDepth", num(a.mailbox_depth)).set("received", num(a.counters.received))
                .set("processed", num(a.counters.processed)).set("deadLettered", num(a.counters.dead_lettered))
                .set("dropped", num(a.counters.dropped)).set("sent", num(a.counters.sent));
            actors.push_back(std::move(s));
        }
        o.set("intervalMs", ms(e.interval)).set("counters", counters_json(e.counters)).set("actors", json::Value{std::move(actors)})
            .set("links", links_json(e.links));
    }
    void operator()(const EventsMissed& e) { o.set("firstSeq", num(e.first_seq)).set("count", num(e.count)); }
    void operator()(const NodeConnected& e) {
        o.set("node", e.node).set("incarnation", std::to_string(e.incarnation)).set("alias", num(e.alias)).set("restarted", e.restarted);
    }
    void operator()(const NodeDisconnected& e) { o.set("node", e.node).set("reason", e.reason); }
    void operator()(const NodeDown& e) { o.set("node", e.node).set("reason", e.reason); }
    void operator()(const LinkReplayed& e) { o.set("node", e.node).set("count", num(e.count)); }
    void operator()(const MemberJoined& e) {
        json::Array kinds;
        for (const std::string& k : e.kinds) kinds.push_back(json::Value{k});
        o.set("member", e.member).set("address", e.address).set("kinds", json::Value{std::move(kinds)});
    }
    void operator()(const MemberLeft& e) { o.set("member", e.member).set("address", e.address).set("reason", to_string(e.reason)); }
    void operator()(const ActivationStarted& e) {
        o.set("actorKind", e.kind).set("identity", e.identity).set("member", e.member).set("pid", pid_json(e.pid));
    }
    void operator()(const ActivationStopped& e) {
        o.set("actorKind", e.kind).set("identity", e.identity).set("member", e.member).set("pid", pid_json(e.pid)).set("reason", to_string(e.reason));
    }
};

// Reads an options object, refusing keys it does not know (a typo should not pass silently).
class Fields {
public:
    Fields(const json::Value& v, std::string where) : v_(v), where_(std::move(where)) {
        if (!v_.is_null() && !v_.is_object())
            throw std::invalid_argument(where_ + " must be an object, got a " + json::to_string(v_.type()));
    }
    std::optional<double> number(const char* key, double min, double max) {
        const json::Value* f = take(key);
        if (!f) return std::nullopt;
        if (!f->is_number() || !(f->as_number() >= min && f->as_number() <= max))
            throw std::invalid_argument(where_ + "." + key + " must be a number from " + trim(min) + " to " + trim(max));
        return f->as_number();
    }
    // Counts (capacities, throughput, restarts, seeds): a fraction would be silently truncated.
    std::optional<double> whole(const char* key, double min, double max) {
        std::optional<double> v = number(key, min, max);
        if (v && std::floor(*v) != *v)
            throw std::invalid_argument(where_ + "." + key + " must be a whole number, got " + std::to_string(*v));
        return v;
    }
    std::optional<bool> boolean(const char* key) {
        const json::Value* f = take(key);
        if (!f) return std::nullopt;
        if (!f->is_bool()) throw std::invalid_argument(where_ + "." + key + " must be true or false");
        return f->as_bool();
    }
    std::optional<std::string> choice(const char* key, std::initializer_list<const char*> allowed) {
        const json::Value* f = take(key);
        if (!f) return std::nullopt;
        std::string list;
        for (const char* a : allowed) {
            if (f->is_string() && f->as_string() == a) return f->as_string();
            list += (list.empty() ? "" : ", ") + std::string("\"") + a + "\"";
        }
        throw std::invalid_argument(where_ + "." + key + " must be one of " + list);
    }
    const json::Value* object(const char* key) { return take(key); }
    void done() const {
        if (!v_.is_object()) return;
        for (const json::Member& m : v_.as_object())
            if (!used_.count(m.key)) throw std::invalid_argument(where_ + " has an unknown option '" + m.key + "'");
    }

private:
    static std::string trim(double d) {
        std::string s = std::to_string(d);
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    }
    const json::Value* take(const char* key) {
        used_.insert(key);
        const json::Value* f = v_.find(key);
        return f && !f->is_null() ? f : nullptr;
    }
    const json::Value& v_;
    std::string where_;
    std::set<std::string> used_;
};

Duration from_ms(double v) { return Duration{static_cast<Duration::rep>(std::llround(v * 1e6))}; }

}  // namespace

json::Value event_json(const Event& e) {
    json::Value o;
    o.set("seq", num(e.seq)).set("timeMs", ms(e.time)).set("kind", kind_name(e.body));
    std::visit(EventFields{o}, e.body);
    return o;
}

json::Value counters_json(const EngineCounters& c) {
    json::Value o;
    o.set("sent", num(c.sent)).set("processed", num(c.processed)).set("deadLettered", num(c.dead_lettered))
        .set("dropped", num(c.dropped)).set("inFlight", num(c.in_flight)).set("spawned", num(c.spawned))
        .set("stopped", num(c.stopped)).set("restarts", num(c.restarts)).set("failures", num(c.failures))
        .set("liveActors", num(c.live_actors));
    return o;
}

json::Value links_json(const std::vector<LinkStats>& links) {
    json::Array out;
    for (const LinkStats& l : links) {
        json::Value o;
        // The incarnation is a random 64-bit number: a string, as in node_connected events.
        o.set("node", l.node).set("incarnation", std::to_string(l.incarnation)).set("connected", l.connected)
            .set("down", l.down).set("sent", num(l.sent)).set("acknowledged", num(l.acknowledged))
            .set("replayed", num(l.replayed)).set("delivered", num(l.delivered))
            .set("duplicatesDropped", num(l.duplicates_dropped)).set("deadLettered", num(l.dead_lettered))
            .set("inFlight", num(l.in_flight)).set("bytesOut", num(l.bytes_out)).set("bytesIn", num(l.bytes_in))
            .set("rttMs", ms(l.rtt));
        out.push_back(std::move(o));
    }
    return json::Value{std::move(out)};
}

json::Value snapshot_json(const Snapshot& s) {
    json::Array actors_out;
    for (const ActorInfo& a : s.actors) {
        json::Array children;
        for (const Pid& c : a.children) children.push_back(pid_json(c));
        json::Value o;
        o.set("pid", pid_json(a.pid)).set("name", a.name).set("parent", pid_json(a.parent)).set("state", to_string(a.state))
            .set("mailboxDepth", num(a.mailbox_depth)).set("mailboxCapacity", num(a.mailbox_capacity))
            .set("overflow", to_string(a.overflow)).set("received", num(a.counters.received))
            .set("processed", num(a.counters.processed)).set("deadLettered", num(a.counters.dead_lettered))
            .set("dropped", num(a.counters.dropped)).set("sent", num(a.counters.sent)).set("restarts", num(a.restarts))
            .set("failures", num(a.failures)).set("health", num(a.health)).set("lastError", a.last_error)
            .set("children", json::Value{std::move(children)});
        actors_out.push_back(std::move(o));
    }
    json::Value o;
    o.set("lastSeq", num(s.last_seq)).set("timeMs", ms(s.time)).set("counters", counters_json(s.counters))
        .set("actors", json::Value{std::move(actors_out)}).set("links", links_json(s.links));
    return o;
}

EngineConfig engine_config_from(const json::Value& options) {
    EngineConfig c = EngineConfig::cooperative();
    Fields f(options, "engine options");
    if (auto v = f.whole("mailboxCapacity", 1, 4294967295.0)) c.default_mailbox_capacity = static_cast<std::size_t>(*v);
    if (auto v = f.whole("eventRingCapacity", 1, 1 << 26)) c.event_ring_capacity = static_cast<std::size_t>(*v);
    if (auto v = f.whole("throughput", 1, 1e6)) c.throughput = static_cast<std::size_t>(*v);
    if (auto v = f.number("requestTimeoutMs", 0.001, 1e9)) c.default_request_timeout = from_ms(*v);
    if (auto v = f.whole("seed", 0, 9007199254740991.0)) c.random_seed = static_cast<std::uint64_t>(*v);
    if (const json::Value* h = f.object("health")) {
        Fields hf(*h, "engine options.health");
        if (auto v = hf.boolean("enabled")) c.health.enabled = *v;
        if (auto v = hf.number("intervalMs", 0.001, 1e9)) c.health.interval = from_ms(*v);
        if (auto v = hf.number("mailboxLagMs", 0.001, 1e9)) c.health.mailbox_lag = from_ms(*v);
        if (auto v = hf.number("slowHandlerMs", 0.001, 1e9)) c.health.slow_handler = from_ms(*v);
        hf.done();
    }
    if (const json::Value* st = f.object("stats")) {
        Fields sf(*st, "engine options.stats");
        if (auto v = sf.boolean("enabled")) c.stats.enabled = *v;
        if (auto v = sf.number("intervalMs", 0.001, 1e9)) c.stats.interval = from_ms(*v);
        sf.done();
    }
    f.done();
    c.validate();
    return c;
}

SpawnOptions spawn_options_from(const json::Value& options) {
    SpawnOptions so;
    Fields f(options, "spawn options");
    if (auto v = f.whole("mailboxCapacity", 1, 4294967295.0)) so.mailbox.capacity = static_cast<std::size_t>(*v);
    if (auto v = f.choice("overflow", {"drop_newest", "drop_oldest", "reject_sender"}))
        so.mailbox.overflow = *v == "drop_newest" ? OverflowPolicy::drop_newest
                              : *v == "drop_oldest" ? OverflowPolicy::drop_oldest
                                                    : OverflowPolicy::reject_sender;
    if (const json::Value* s = f.object("supervisor")) {
        Fields sf(*s, "spawn options.supervisor");
        SupervisorStrategy strategy;
        if (auto v = sf.choice("strategy", {"one_for_one", "all_for_one"}))
            strategy.kind = *v == "one_for_one" ? SupervisorStrategy::Kind::one_for_one : SupervisorStrategy::Kind::all_for_one;
        if (auto v = sf.choice("directive", {"restart", "resume", "stop", "escalate"})) {
            const Directive d = *v == "restart" ? Directive::restart
                                : *v == "resume" ? Directive::resume
                                : *v == "stop"   ? Directive::stop
                                                 : Directive::escalate;
            strategy.decider = [d](const Failure&) { return d; };
        }
        RestartPolicy& p = strategy.restart;
        if (auto v = sf.choice("restart", {"immediate", "fixed", "backoff"}))
            p.kind = *v == "immediate" ? RestartPolicy::Kind::immediate
                     : *v == "fixed"   ? RestartPolicy::Kind::fixed_delay
                                       : RestartPolicy::Kind::exponential_backoff;
        if (auto v = sf.number("delayMs", 0, 1e9)) p.delay = from_ms(*v);
        if (auto v = sf.number("minMs", 0, 1e9)) p.min_backoff = from_ms(*v);
        if (auto v = sf.number("maxMs", 0, 1e9)) p.max_backoff = from_ms(*v);
        if (auto v = sf.number("factor", 1, 1e3)) p.factor = *v;
        if (auto v = sf.number("jitter", 0, 1)) p.jitter = *v;
        if (auto v = sf.whole("maxRestarts", 0, 1e9)) p.max_restarts = static_cast<unsigned>(*v);
        if (auto v = sf.number("windowMs", 0.001, 1e12)) p.window = from_ms(*v);
        sf.done();
        p.validate();
        so.supervisor = std::move(strategy);
    }
    f.done();
    return so;
}

}  // namespace actors::js
