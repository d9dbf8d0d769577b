#include "remote/node.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <thread>
#include <utility>

#include "actors/log.hpp"
#include "hello.hpp"
#include "remote/backoff.hpp"
#include "remote/envelope.hpp"
#include "remote/registry.hpp"

namespace actors::remote {

namespace {
std::atomic<TransportFactory> default_transport_factory{nullptr};

std::atomic<std::uint64_t> next_impl_serial{1};

std::uint64_t random_incarnation() {
    std::random_device rd;
    std::uint64_t v = 0;
    while (v == 0) v = (std::uint64_t{rd()} << 32) ^ rd();
    return v;
}
}  // namespace

struct Link;

struct Node::Impl final : RemoteRouter, std::enable_shared_from_this<Node::Impl> {
    Impl(Engine& e, NodeOptions o, std::shared_ptr<Transport> t)
        : engine(e), options(std::move(o)), transport(std::move(t)),
          incarnation(options.session.incarnation != 0 ? options.session.incarnation : random_incarnation()) {}

    bool routes(std::uint32_t node) const noexcept override;
    SendStatus send(Pid to, std::unique_ptr<Message> msg) override;
    void watch(Pid watcher, Pid target) override;
    void unwatch(Pid watcher, Pid target) override;
    std::vector<LinkStats> link_stats() const override;

    SessionOptions session_options() const {
        SessionOptions s = options.session;
        s.node_name = options.name;
        s.incarnation = incarnation;
        s.token = options.token;
        s.require_token = options.require_token;
        s.message_types = [] {
            std::vector<std::string> names(registered_count());
            for (std::size_t i = 0; i < names.size(); ++i)
                if (const MessageCodec* c = codec_at(i)) names[i] = c->name;
            return names;
        };
        return s;
    }
    std::shared_ptr<Link> make_link();
    std::shared_ptr<Link> link_of_alias(std::uint32_t alias, bool* stale) const;
    std::shared_ptr<Link> link_named(const std::string& name) const;
    // The peer name -> alias map; a restarted peer gets a fresh alias and its old one goes stale.
    std::uint32_t alias_for(const std::string& name);
    std::uint32_t renew_alias(const std::string& name);
    WirePid to_wire(Pid p) const;
    void dead_letter(Pid to, Pid sender, const std::string& type, DeadLetterReason reason) {
        engine.events().publish(DeadLetter{to, sender, type, reason});
    }
    void attach(const std::shared_ptr<Link>& link, const std::string& peer);

    Engine& engine;
    NodeOptions options;
    std::shared_ptr<Transport> transport;
    const std::uint64_t incarnation;
    std::atomic<std::uint64_t> links_made{0};
    std::atomic<bool> stopped{false};

    mutable std::mutex mutex;  // the maps below; never held while a link's mutex is taken
    // Bumped (under `mutex`) at every change of the maps below that decides where a Pid is
    // routed: a sending thread's cached answer (link_of_alias) holds while it is unchanged.
    std::atomic<std::uint64_t> routes_version{0};
    const std::uint64_t serial = next_impl_serial.fetch_add(1, std::memory_order_relaxed);  // never reused
    std::unordered_map<std::string, std::uint32_t> alias_of_name;
    std::unordered_map<std::uint32_t, std::string> name_of_alias;  // current and stale aliases
    std::unordered_set<std::uint32_t> stale;
    std::unordered_map<std::string, std::shared_ptr<Link>> links;  // by peer name
    std::vector<std::shared_ptr<Link>> unnamed;                    // client links before Welcome
    std::atomic<std::uint64_t> next_request{1};
    std::unordered_map<std::string, std::pair<Producer, SpawnOptions>> kinds;  // register_kind

    // Spawns a registered kind here (for spawn_remote from a peer, or from this node itself).
    Result<Pid> spawn_kind(const std::string& kind, const std::string& name) {
        std::pair<Producer, SpawnOptions> k;
        {
            std::lock_guard lock(mutex);
            auto it = kinds.find(kind);
            if (it == kinds.end())
                return Error{ErrorCode::invalid_argument, "node " + options.name + " has no kind '" + kind + "' registered (Node::register_kind)"};
            k = it->second;
        }
        try {
            return engine.spawn(name, std::move(k.first), std::move(k.second));
        } catch (const std::exception& e) {
            return Error{ErrorCode::invalid_argument, "spawning kind '" + kind + "' on node " + options.name + " failed: " + e.what()};
        }
    }
};

struct Pending {
    std::unique_ptr<detail::ReplyTo> reply;
    const MessageCodec* codec = nullptr;
};

// One peer: its Session, the connection under it, and what waits on answers from it.
struct Link final : SessionEvents, std::enable_shared_from_this<Link> {
    explicit Link(std::weak_ptr<Node::Impl> n) : node(std::move(n)) {}

    // Runs `fn` under the link's mutex, then (without it) the effects it queued, in order, and
    // kicks the connection. Effects that queue more effects on this link are run by the caller
    // already draining, so order is kept and nothing re-enters the Session.
    template <class F>
    void with(F&& fn) {
        std::shared_ptr<Connection> kick;
        bool effects_queued = false;
        {
            std::lock_guard lock(mutex);
            fn();
            after_locked();
            if (session && conn && session->wants_write()) {
                kick = conn;
                kicking.fetch_add(1, std::memory_order_acq_rel);
            }
            // Another thread already draining runs what was queued; nothing queued: no second lock.
            effects_queued = !effects.empty() && !draining;
        }
        if (kick) {
            // Outside the mutex: a transport may pull the next frame inline (the in-memory one
            // does), which takes the mutex again. The copy may end up the connection's last
            // reference (the io thread let go of it at shutdown): Node::shutdown waits for
            // `kicking` to reach 0, so it is never released after the transport is gone.
            kick->wants_write();
            kick.reset();
            kicking.fetch_sub(1, std::memory_order_acq_rel);
        }
        if (effects_queued) drain();
    }
    void defer(std::function<void()> f) {
        flush_arrived();  // envelopes read before this effect was queued are handled before it
        effects.push_back(std::move(f));
    }
    void drain() {
        for (;;) {
            std::function<void()> f;
            {
                std::lock_guard lock(mutex);
                if (draining || effects.empty()) return;
                draining = true;
                f = std::move(effects.front());
                effects.pop_front();
            }
            f();
            std::lock_guard lock(mutex);
            draining = false;
        }
    }
    void after_locked();  // re-arm the timer
    Session::Push push(const Envelope& e);
    void fail_waiting(const std::string& why);
    void close_later(const std::string& reason);

    // SessionEvents: called under `mutex`, from inside Session.
    void on_ready(const Hello& peer, bool restarted, std::size_t replayed) override;
    void on_envelope(ByteView payload) override;
    void on_dead_letters(std::vector<Bytes> payloads, RemoteDeadLetter reason) override;
    void on_peer_down(const std::string& reason) override;
    void on_protocol_error(const std::string& reason) override;

    // The receive path. Session hands envelopes over one by one, under the mutex, as views into
    // the frame being read; they are collected (as offsets) and handed to one effect per frame,
    // with one copy of the frame's bytes: not a decoded envelope and a std::function each.
    void flush_arrived();
    // Effects: run without the mutex; `impl` locked once by the caller (once per frame, not per
    // envelope).
    void handle_payload(Node::Impl& impl, ByteView payload);
    void handle(Node::Impl& impl, const EnvelopeView& e);
    // A Pid on the wire, read from the peer (`from_peer`) or from an envelope of ours.
    Pid resolve(Node::Impl& impl, const WirePidView& w, bool from_peer) const;
    // `name` stays valid while the envelope's bytes do and no other envelope of this link is read.
    const MessageCodec* codec_of(const EnvelopeView& e, std::string_view& name);
    std::string peer_name() {  // for code that runs without the mutex (peer is set under it)
        std::lock_guard lock(mutex);
        return peer;
    }

    std::weak_ptr<Node::Impl> node;
    std::mutex mutex;
    std::unique_ptr<Session> session;
    std::shared_ptr<Connection> conn;
    std::string peer;               // "" until the first handshake
    std::atomic<std::uint32_t> alias{0};  // set under the mutex; read by effects without it
    std::atomic<int> kicking{0};          // threads between copying `conn` in with() and releasing it
    // How the sending path packs envelopes for this peer, set under the mutex at each handshake:
    // 0 names only (version 1); n + 1 version 2 with the first n of our types announced.
    std::atomic<std::uint64_t> wire_format{0};
    // The peer's announced types (version 2) and their codecs here, resolved on first use.
    // Replaced by an effect at each handshake: effects of one link run one at a time, in order.
    std::vector<std::string> peer_types;
    std::vector<const MessageCodec*> peer_codecs;
    std::vector<bool> peer_resolved;
    std::uint64_t peer_incarnation = 0;
    ByteView reading;               // the frame Session::on_frame is reading
    std::vector<std::pair<std::uint32_t, std::uint32_t>> arrived;  // its envelopes: offset, size
    // The codec of the last type name received: effects of one link run one at a time.
    std::string last_type;
    const MessageCodec* last_codec = nullptr;
    std::string unannounced_type;  // codec_of's name for a type number the peer did not announce
    // The local actor the last message went to, resolved once: a stream to one actor skips the
    // engine's registry lookup per message.
    ActorRef last_target;
    bool down = false;              // declared down; requests fail at once until it is back
    std::optional<Url> url;         // client side: where to reconnect
    std::optional<Url> ended;       // where it dialled before disconnect(); connect() there resumes it
    std::optional<Backoff> backoff;
    std::shared_ptr<detail::FutureState<std::string>> connected;  // connect()'s future
    std::map<std::uint64_t, Pending> pending;
    std::map<std::uint64_t, std::shared_ptr<detail::FutureState<Pid>>> lookups;  // and spawns
    std::vector<std::pair<Pid, Pid>> watches;  // (local watcher, remote target)
    std::deque<std::function<void()>> effects;
    bool draining = false;
    TimerId timer = 0;
    std::optional<TimePoint> timer_at;
    TimerId down_timer = 0;
    std::uint64_t epoch = 0;        // one per connection, so late timers of an old one do nothing
};

namespace {
// The handler of one connection. A server-side one finds its Link from the first frame (Hello).
struct Handler final : ConnectionHandler, std::enable_shared_from_this<Handler> {
    Handler(std::weak_ptr<Node::Impl> n, std::shared_ptr<Link> l) : node(std::move(n)), link(std::move(l)) {}
    void on_open(std::shared_ptr<Connection> c) override;
    void on_frame(ByteView frame) override;
    std::optional<Bytes> next_frame() override;
    void on_close(std::string reason) override;

    void cancel_hello_timer(const std::shared_ptr<Node::Impl>& impl);

    std::weak_ptr<Node::Impl> node;
    std::shared_ptr<Link> link;  // guarded by mu (set once)
    std::shared_ptr<Connection> conn;
    TimerId hello_timer = 0;     // server: closes the connection if no Hello comes (guarded by mu)
    std::mutex mu;
};

void Handler::cancel_hello_timer(const std::shared_ptr<Node::Impl>& impl) {
    TimerId t = 0;
    {
        std::lock_guard lock(mu);
        t = std::exchange(hello_timer, 0);
    }
    if (t != 0) impl->engine.scheduler().cancel(t);
}

void schedule_reconnect(const std::shared_ptr<Node::Impl>& impl, const std::shared_ptr<Link>& link);

void start_connect(const std::shared_ptr<Node::Impl>& impl, const std::shared_ptr<Link>& link) {
    if (impl->stopped.load()) return;
    std::optional<Url> url;
    {
        std::lock_guard lock(link->mutex);
        url = link->url;
    }
    if (!url) return;  // disconnect() ended it while a redial was scheduled
    impl->transport->connect(*url, impl->options.connect, std::make_shared<Handler>(impl, link));
}

void schedule_reconnect(const std::shared_ptr<Node::Impl>& impl, const std::shared_ptr<Link>& link) {
    if (impl->stopped.load() || !link->url) return;
    Duration d;
    {
        std::lock_guard lock(link->mutex);
        d = link->backoff->next();
    }
    impl->engine.scheduler().call_after(d, [weak = std::weak_ptr(impl), link] {
        if (auto n = weak.lock()) start_connect(n, link);
    });
}

void Handler::on_open(std::shared_ptr<Connection> c) {
    std::shared_ptr<Link> l;
    {
        std::lock_guard lock(mu);
        conn = c;
        l = link;
    }
    auto impl = node.lock();
    if (!impl) return c->close("node shut down");
    if (!l) {
        // Server: waits for the Hello, at most the handshake timeout (PROTOCOL.md, 3); a
        // connection that says nothing must not hold a socket forever.
        const Duration timeout = impl->options.session.handshake_timeout;
        const TimerId t = impl->engine.scheduler().call_after(timeout, [weak = weak_from_this(), timeout] {
            auto self = weak.lock();
            if (!self) return;
            std::shared_ptr<Connection> idle;
            {
                std::lock_guard lock(self->mu);
                if (!self->link) idle = self->conn;
            }
            if (!idle) return;
            const std::string why = "no Hello within the handshake timeout of " +
                                    std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) + " ms";
            logger()->warn("remote: closed a connection from {}: {}", idle->remote_address(), why);
            idle->close(why);
        });
        std::lock_guard lock(mu);
        hello_timer = t;  // cancelled once the Hello arrives or the connection closes
        return;
    }
    l->with([&] {
        if (l->conn) l->conn->close("replaced by a new connection");
        l->conn = c;
        ++l->epoch;
        l->session->open_client(impl->engine.now());
    });
}

void Handler::on_frame(ByteView frame) {
    auto impl = node.lock();
    if (!impl) return;
    std::shared_ptr<Link> l;
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(mu);
        l = link;
        c = conn;
    }
    if (!l) {
        cancel_hello_timer(impl);  // a first frame came: the Hello is read now, or refused
        auto hello = read_hello(frame, impl->session_options());
        if (auto* refused = std::get_if<Refusal>(&hello)) {
            logger()->warn("remote: refused a connection from {}: {}", c ? c->remote_address() : "?", refused->reason);
            if (c) c->close(refused->reason);
            return;
        }
        const Hello& h = std::get<Hello>(hello);
        l = impl->link_named(h.node);
        if (!l) {
            l = impl->make_link();
            impl->attach(l, h.node);
        }
        {
            std::lock_guard lock(mu);
            link = l;
        }
        l->with([&] {
            if (l->conn && l->conn != c) l->conn->close("replaced by a new connection");
            l->conn = c;
            ++l->epoch;
            l->session->open_server(h, impl->engine.now());
        });
        return;
    }
    l->with([&] {
        if (l->conn != c) return;
        l->reading = frame;
        l->session->on_frame(frame, impl->engine.now());
        l->flush_arrived();
        l->reading = {};
    });
}

std::optional<Bytes> Handler::next_frame() {
    auto impl = node.lock();
    std::shared_ptr<Link> l;
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(mu);
        l = link;
        c = conn;
    }
    if (!impl || !l) return std::nullopt;
    std::optional<Bytes> out;
    l->with([&] {
        if (l->conn == c && l->conn) out = l->session->next_frame(impl->engine.now());
    });
    return out;
}

void Handler::on_close(std::string reason) {
    auto impl = node.lock();
    std::shared_ptr<Link> l;
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(mu);
        l = link;
        c = std::move(conn);
    }
    if (impl) cancel_hello_timer(impl);
    if (!l) return;
    if (!impl) {
        // The node is gone: still let go of the connection, or link and connection keep each
        // other alive (link -> connection -> this handler -> link).
        std::lock_guard lock(l->mutex);
        if (l->conn == c) l->conn = nullptr;
        return;
    }
    if (!c) {  // a connect that failed: try again later
        schedule_reconnect(impl, l);
        return;
    }
    bool was_current = false;
    bool refused = false;
    std::string peer;
    l->with([&] {
        if (l->conn != c || !c) return;
        was_current = true;
        l->conn = nullptr;
        peer = l->peer;
        l->session->connection_lost(impl->engine.now());
        // A server that speaks only an older version named it: the next Hello says that one
        // (PROTOCOL.md 8), so this is a retry, not a refusal.
        if (l->url && l->session->downgrade(reason)) {
            logger()->info("remote: {} speaks an older protocol version; retrying with it ({})", l->url->to_string(), reason);
        } else if (peer.empty() && l->url && is_permanent_refusal(reason)) {
            // Refused before the first handshake for a reason no retry cures (wrong token,
            // unknown version, our own name): connect()'s Future fails and the link stops
            // dialling. Nothing can have been sent on it (its peer was never named).
            refused = true;
            auto connected = l->connected;
            const std::string url = l->url->to_string();
            l->url.reset();
            l->defer([connected, url, reason] {
                if (connected)
                    connected->fail(Error{ErrorCode::invalid_argument, "connect to " + url + " refused: " + reason});
            });
            return;
        }
        const SessionOptions& s = impl->options.session;
        // Silent as long as the heartbeats would tolerate: then the peer is down, as if it had
        // stopped answering on an open connection.
        const Duration grace = s.heartbeat_interval * s.heartbeat_misses;
        const std::uint64_t epoch = l->epoch;
        impl->engine.scheduler().cancel(l->down_timer);
        l->down_timer = impl->engine.scheduler().call_after(grace, [weak = std::weak_ptr(l), epoch] {
            auto lk = weak.lock();
            if (!lk) return;
            lk->with([&] {
                if (lk->epoch == epoch && !lk->conn && !lk->down) lk->on_peer_down("no connection for the heartbeat grace period");
            });
        });
    });
    if (!was_current) return;
    if (refused) {
        logger()->error("remote: connection refused by its peer, not retrying: {}", reason);
        std::lock_guard lock(impl->mutex);
        std::erase(impl->unnamed, l);
        return;
    }
    if (!peer.empty()) impl->engine.events().publish(NodeDisconnected{peer, reason});
    else if (l->url)  // refused before any handshake (a wrong token, version, ...): say why here too
        logger()->warn("remote: connection to {} closed before its first handshake: {}", l->url->to_string(), reason);
    schedule_reconnect(impl, l);
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Link

void Link::after_locked() {
    auto impl = node.lock();
    if (!impl || !session) return;
    auto deadline = session->next_deadline();
    if (!deadline) return;
    if (timer_at && *timer_at <= *deadline) return;
    if (timer_at) impl->engine.scheduler().cancel(timer);
    timer_at = *deadline;
    timer = impl->engine.scheduler().call_after(*deadline - impl->engine.now(), [weak = weak_from_this()] {
        auto self = weak.lock();
        if (!self) return;
        auto n = self->node.lock();
        if (!n) return;
        self->with([&] {
            self->timer_at.reset();
            self->session->on_tick(n->engine.now());
        });
    });
}

Session::Push Link::push(const Envelope& e) {
    auto impl = node.lock();
    if (!impl) return Session::Push::accepted;
    // Control envelopes (replies, errors, watches, terminations, lookups) go past a full
    // buffer: each is bounded by the request or watch that caused it, and refusing one would
    // leave a Future or a watch waiting forever. Only too_large refuses them (see Sink::reply).
    const Session::Push pushed = session->push(encode(e), impl->engine.now(), Session::WhenFull::overshoot);
    if (pushed != Session::Push::accepted && e.kind != EnvelopeKind::reply)
        logger()->error("remote: a control envelope ({}) to {} is larger than the peer accepts; dropped",
                        static_cast<int>(e.kind), peer);
    return pushed;
}

void Link::fail_waiting(const std::string& why) {
    // Called under the mutex: the failures themselves run as effects (they may run user code).
    auto failed = std::make_shared<std::map<std::uint64_t, Pending>>(std::move(pending));
    auto looked = std::make_shared<std::map<std::uint64_t, std::shared_ptr<detail::FutureState<Pid>>>>(std::move(lookups));
    auto watched = std::make_shared<std::vector<std::pair<Pid, Pid>>>(std::move(watches));
    pending.clear();
    lookups.clear();
    watches.clear();
    defer([this, failed, looked, watched, why, who = peer] {
        for (auto& [id, p] : *failed) p.reply->fail(Error{ErrorCode::node_down, "node " + who + " is down: " + why});
        for (auto& [id, f] : *looked) f->fail(Error{ErrorCode::node_down, "node " + who + " is down: " + why});
        if (auto impl = node.lock())
            for (auto& [watcher, target] : *watched)
                impl->engine.deliver(watcher, detail::make_message<Terminated>(Pid{}, Terminated{target, StopReason::node_down, "node " + who + " is down: " + why, true}));
    });
}

void Link::on_ready(const Hello& h, bool restarted, std::size_t replayed) {
    auto impl = node.lock();
    if (!impl) return;
    const bool first = peer.empty();
    if (first) {
        defer([impl, self = shared_from_this(), name = h.node] { impl->attach(self, name); });
        peer = h.node;
    }
    down = false;
    if (backoff) backoff->reset();
    if (restarted) {
        // The old incarnation's actors are gone: what waited on them fails, its Pids go stale.
        fail_waiting("it restarted");
        defer([impl, self = shared_from_this(), name = h.node] {
            const std::uint32_t a = impl->renew_alias(name);
            std::lock_guard lock(self->mutex);
            self->alias = a;
        });
    }
    peer_incarnation = h.incarnation;
    wire_format.store(session->version() >= 2 ? 1 + session->types_announced() : 0, std::memory_order_release);
    defer([self = shared_from_this(), types = h.types] {
        self->peer_codecs.assign(types.size(), nullptr);
        self->peer_resolved.assign(types.size(), false);
        self->peer_types = types;
    });
    defer([impl, self = shared_from_this(), h, restarted, replayed] {
        std::uint32_t a;
        {
            std::lock_guard lock(self->mutex);
            a = self->alias;
        }
        impl->engine.events().publish(NodeConnected{h.node, h.incarnation, a, restarted});
        if (replayed) impl->engine.events().publish(LinkReplayed{h.node, replayed});
        if (self->connected) self->connected->complete(Result<std::string>(h.node));
    });
}

void Link::on_envelope(ByteView payload) {
    const std::uint8_t* begin = reading.data();
    if (!reading.empty() && payload.data() >= begin && payload.data() + payload.size() <= begin + reading.size()) {
        arrived.emplace_back(static_cast<std::uint32_t>(payload.data() - begin), static_cast<std::uint32_t>(payload.size()));
        return;
    }
    // Not from the frame being read (no such caller today): a copy of its own.
    auto copy = std::make_shared<Bytes>(payload.begin(), payload.end());
    defer([self = shared_from_this(), copy] {
        if (auto impl = self->node.lock()) self->handle_payload(*impl, *copy);
    });
}

void Link::flush_arrived() {
    if (arrived.empty()) return;
    struct Batch {
        Bytes bytes;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
    };
    auto batch = std::make_shared<Batch>();
    const std::uint32_t from = arrived.front().first;
    const std::uint32_t to = arrived.back().first + arrived.back().second;
    batch->bytes.assign(reading.begin() + from, reading.begin() + to);
    batch->spans.swap(arrived);
    for (auto& [offset, size] : batch->spans) offset -= from;
    effects.push_back([self = shared_from_this(), batch] {
        auto impl = self->node.lock();
        if (!impl) return;
        for (const auto& [offset, size] : batch->spans) self->handle_payload(*impl, ByteView(batch->bytes.data() + offset, size));
    });
}

void Link::handle_payload(Node::Impl& impl, ByteView payload) {
    EnvelopeView e;
    try {
        e = read_envelope(payload);
    } catch (const std::exception& ex) {
        logger()->warn("remote: dropped an envelope from {}: {}", peer_name(), ex.what());
        return;
    }
    handle(impl, e);
}

void Link::on_dead_letters(std::vector<Bytes> payloads, RemoteDeadLetter reason) {
    auto impl = node.lock();
    if (!impl) return;
    const DeadLetterReason r = reason == RemoteDeadLetter::remote_restarted ? DeadLetterReason::remote_restarted
                               : reason == RemoteDeadLetter::remote_unreachable ? DeadLetterReason::remote_unreachable
                               : reason == RemoteDeadLetter::remote_maybe_delivered ? DeadLetterReason::remote_maybe_delivered
                                                                                : DeadLetterReason::mailbox_full;
    if ((reason == RemoteDeadLetter::remote_unreachable || reason == RemoteDeadLetter::remote_maybe_delivered) && !down) {
        down = true;
        fail_waiting("unreachable past the reconnect deadline");
    }
    // Our own envelopes: the ends of the link are seen from this side (from_peer false).
    struct Dead {
        EnvelopeKind kind;
        Pid target;
        Pid sender;
        std::string type;
        std::uint64_t request_id;
    };
    std::vector<Dead> dead;
    dead.reserve(payloads.size());
    for (const Bytes& p : payloads) {
        try {
            const EnvelopeView v = read_envelope(p);
            std::string type(v.type);
            if (v.type_id)
                if (const MessageCodec* c = codec_at(*v.type_id)) type = c->name;
            dead.push_back(Dead{v.kind, resolve(*impl, v.target, false), resolve(*impl, v.sender, false), std::move(type), v.request_id});
        } catch (const std::exception&) {
        }
    }
    // A dead request fails at once (its reply can never come).
    for (const Dead& e : dead)
        if (e.kind == EnvelopeKind::request)
            if (auto it = pending.find(e.request_id); it != pending.end()) {
                auto reply = std::make_shared<std::unique_ptr<detail::ReplyTo>>(std::move(it->second.reply));
                pending.erase(it);
                // An eviction by drop_oldest is the link's flow control, as a full mailbox's is.
                const ErrorCode code = reason == RemoteDeadLetter::buffer_full ? ErrorCode::mailbox_full : ErrorCode::node_down;
                defer([reply, r, code] { (*reply)->fail(Error{code, std::string("dead-lettered on the link: ") + to_string(r)}); });
            }
    defer([impl, dead = std::move(dead), r] {
        for (const Dead& e : dead)
            if (e.kind == EnvelopeKind::send || e.kind == EnvelopeKind::request)
                impl->dead_letter(e.target, e.sender, e.type, r);
    });
}

// Called under the mutex: a transport may call on_close inline from close(), which takes it
// again, so the connection is closed by an effect, once the mutex is released.
void Link::close_later(const std::string& reason) {
    if (conn) defer([c = conn, reason] { c->close(reason); });
}

void Link::on_peer_down(const std::string& reason) {
    auto impl = node.lock();
    if (!impl) return;
    close_later(reason);
    if (down) return;
    down = true;
    fail_waiting(reason);
    defer([impl, who = peer, reason] {
        if (!who.empty()) impl->engine.events().publish(NodeDown{who, reason});
    });
}

void Link::on_protocol_error(const std::string& reason) {
    logger()->warn("remote: protocol error from {}: {}", peer.empty() ? std::string("?") : peer, reason);
    close_later(reason);
}

Pid Link::resolve(Node::Impl& impl, const WirePidView& w, bool from_peer) const {
    if (w.id == 0) return {};
    const Pid here{impl.engine.node(), w.id, w.generation};
    const Pid there{alias.load(std::memory_order_relaxed), w.id, w.generation};
    switch (w.ref) {
        case NodeRef::sender_node: return from_peer ? there : here;
        case NodeRef::receiver_node: return from_peer ? here : there;
        case NodeRef::named: break;
    }
    if (w.node == impl.options.name) return here;
    return Pid{impl.alias_for(std::string(w.node)), w.id, w.generation};
}

const MessageCodec* Link::codec_of(const EnvelopeView& e, std::string_view& name) {
    if (e.type_id) {
        const std::size_t i = *e.type_id;
        if (i >= peer_types.size()) {
            unannounced_type = "#" + std::to_string(i) + " (not announced by the peer)";
            name = unannounced_type;
            return nullptr;
        }
        name = peer_types[i];
        if (!peer_resolved[i]) {
            peer_codecs[i] = codec_named(name);
            peer_resolved[i] = true;
        }
        return peer_codecs[i];
    }
    if (last_codec && e.type == last_type) {
        name = last_type;
        return last_codec;
    }
    name = e.type;
    const MessageCodec* c = codec_named(e.type);
    if (c) {
        last_type = e.type;
        last_codec = c;
    }
    return c;
}

void Link::handle(Node::Impl& node_impl, const EnvelopeView& e) {
    Node::Impl* const impl = &node_impl;  // the body reads it as the pointer it was
    // A local target: on the receiving end (by number), or this node by name.
    const bool here = e.target.ref == NodeRef::receiver_node || (e.target.ref == NodeRef::named && e.target.node == impl->options.name);
    const Pid local_target = here && e.target.id != 0 ? Pid{impl->engine.node(), e.target.id, e.target.generation} : Pid{};
    switch (e.kind) {
        case EnvelopeKind::send:
        case EnvelopeKind::request: {
            const Pid sender = resolve(*impl, e.sender, true);
            std::string_view type;
            const MessageCodec* codec = codec_of(e, type);
            std::unique_ptr<Message> m;
            std::string why;
            if (!codec) why = "type name \"" + std::string(type) + "\" is not registered here";
            else if (codec->request != (e.kind == EnvelopeKind::request)) why = "\"" + std::string(type) + "\" is not sent that way";
            else {
                try {
                    m = codec->decode(e.body, sender);
                } catch (const std::exception& ex) {
                    why = "\"" + std::string(type) + "\" did not decode: " + ex.what();
                }
            }
            if (!m) {
                logger()->warn("remote: dead letter from {}: {}", peer_name(), why);
                impl->dead_letter(local_target, sender, std::string(type), DeadLetterReason::unknown_type);
                if (e.kind == EnvelopeKind::request) {
                    Envelope err{EnvelopeKind::error, {}, {}, {}, {}, e.request_id, static_cast<std::uint8_t>(ErrorCode::invalid_argument), why, false, std::nullopt};
                    with([&] { push(err); });
                }
                return;
            }
            if (e.kind == EnvelopeKind::request) {
                struct Sink final : ReplySink {
                    std::weak_ptr<Link> link;
                    std::uint64_t id = 0;
                    void reply(Bytes body) override {
                        auto l = link.lock();
                        if (!l) return;
                        const std::size_t size = body.size();
                        Session::Push pushed = Session::Push::accepted;
                        l->with([&] { pushed = l->push(Envelope{EnvelopeKind::reply, {}, {}, {}, std::move(body), id, 0, {}, false, std::nullopt}); });
                        // The requester must hear something: an answer it can take.
                        if (pushed != Session::Push::accepted)
                            fail(Error{ErrorCode::invalid_argument,
                                       "the reply (" + std::to_string(size) + " bytes) is larger than this node accepts in a frame"});
                    }
                    void fail(Error error) override {
                        send(Envelope{EnvelopeKind::error, {}, {}, {}, {}, id, static_cast<std::uint8_t>(error.code), error.detail, false, std::nullopt});
                    }
                    void send(const Envelope& env) {
                        if (auto l = link.lock()) l->with([&] { l->push(env); });
                    }
                };
                auto sink = std::make_shared<Sink>();
                sink->link = weak_from_this();
                sink->id = e.request_id;
                codec->attach_reply(*m, sink);
            }
            if (!local_target.valid()) {
                impl->dead_letter(local_target, sender, std::string(type), DeadLetterReason::no_such_actor);
                m->fail_request(Error{ErrorCode::no_such_actor, e.target.id == 0 ? std::string("no target actor")
                                                                                : "node " + impl->options.name + " is not " + std::string(e.target.node)});
                return;
            }
            if (last_target.pid() != local_target) last_target = impl->engine.resolve(local_target);
            impl->engine.deliver(last_target, std::move(m));
            return;
        }
        case EnvelopeKind::reply:
        case EnvelopeKind::error: {
            Pending p;
            {
                std::lock_guard lock(mutex);
                auto it = pending.find(e.request_id);
                if (it == pending.end()) return;  // already failed (node down, restart)
                p = std::move(it->second);
                pending.erase(it);
            }
            if (e.kind == EnvelopeKind::reply) p.codec->complete(*p.reply, e.body);
            else {
                const auto code = e.code <= static_cast<std::uint8_t>(ErrorCode::unavailable) ? static_cast<ErrorCode>(e.code) : ErrorCode::handler_failed;
                p.reply->fail(Error{code, std::string(e.detail)});
            }
            return;
        }
        case EnvelopeKind::watch:
            impl->engine.watch(resolve(*impl, e.sender, true), local_target);
            return;
        case EnvelopeKind::unwatch:
            impl->engine.unwatch(resolve(*impl, e.sender, true), local_target);
            return;
        case EnvelopeKind::terminated: {
            const Pid who = resolve(*impl, e.sender, true);
            {
                std::lock_guard lock(mutex);
                std::erase_if(watches, [&](const auto& w) { return w.first == local_target && w.second.same_actor(who); });
            }
            const auto reason = e.code <= static_cast<std::uint8_t>(StopReason::node_down) ? static_cast<StopReason>(e.code) : StopReason::requested;
            impl->engine.deliver(local_target, detail::make_message<Terminated>(Pid{}, Terminated{who, reason, std::string(e.detail), e.flag}));
            return;
        }
        case EnvelopeKind::lookup: {
            Envelope answer{EnvelopeKind::lookup_reply, {}, {}, {}, {}, e.request_id, 0, {}, false, std::nullopt};
            if (auto pid = impl->engine.lookup(std::string(e.type))) {
                answer.flag = true;
                answer.sender = impl->to_wire(*pid);
            }
            with([&] { push(answer); });
            return;
        }
        case EnvelopeKind::spawn: {
            Envelope answer{EnvelopeKind::spawn_reply, {}, {}, {}, {}, e.request_id, 0, {}, false, std::nullopt};
            Result<Pid> spawned = impl->spawn_kind(std::string(e.type), std::string(e.detail));
            if (spawned.ok()) {
                answer.flag = true;
                answer.sender = impl->to_wire(spawned.value());
            } else {
                answer.code = static_cast<std::uint8_t>(spawned.error().code);
                answer.detail = spawned.error().detail;
            }
            with([&] { push(answer); });
            return;
        }
        case EnvelopeKind::spawn_reply:
        case EnvelopeKind::lookup_reply: {
            std::shared_ptr<detail::FutureState<Pid>> f;
            {
                std::lock_guard lock(mutex);
                auto it = lookups.find(e.request_id);
                if (it == lookups.end()) return;
                f = std::move(it->second);
                lookups.erase(it);
            }
            if (e.flag) f->complete(Result<Pid>(resolve(*impl, e.sender, true)));
            else if (e.kind == EnvelopeKind::lookup_reply) f->fail(Error{ErrorCode::no_such_actor, "no actor named so on node " + peer_name()});
            else {
                const auto code = e.code <= static_cast<std::uint8_t>(ErrorCode::node_down) ? static_cast<ErrorCode>(e.code) : ErrorCode::handler_failed;
                f->fail(Error{code, std::string(e.detail)});
            }
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Node::Impl

std::shared_ptr<Link> Node::Impl::make_link() {
    auto link = std::make_shared<Link>(weak_from_this());
    link->session = std::make_unique<Session>(session_options(), *link);
    // The jitter's seed follows from the incarnation alone (not an address), so a simulation that
    // sets the incarnation replays its reconnects exactly.
    const std::uint64_t nth = links_made.fetch_add(1, std::memory_order_relaxed) + 1;
    link->backoff.emplace(options.reconnect_initial, options.reconnect_max, incarnation ^ (nth * 0x9e3779b97f4a7c15ull));
    return link;
}

void Node::Impl::attach(const std::shared_ptr<Link>& link, const std::string& peer) {
    const std::uint32_t a = alias_for(peer);
    {
        std::lock_guard lock(mutex);
        auto& slot = links[peer];
        if (slot && slot != link) {
            // A second connection between the same pair (both dialled): keep the first link.
            logger()->info("remote: a second link to {}; the newer one serves it", peer);
        }
        slot = link;
        routes_version.fetch_add(1, std::memory_order_release);
        std::erase(unnamed, link);
    }
    std::lock_guard lock(link->mutex);
    link->peer = peer;
    if (!link->alias) link->alias = a;
}

std::uint32_t Node::Impl::alias_for(const std::string& name) {
    std::lock_guard lock(mutex);
    auto it = alias_of_name.find(name);
    if (it != alias_of_name.end()) return it->second;
    const std::uint32_t a = allocate_node_id();
    alias_of_name[name] = a;
    name_of_alias[a] = name;
    routes_version.fetch_add(1, std::memory_order_release);
    return a;
}

std::uint32_t Node::Impl::renew_alias(const std::string& name) {
    std::lock_guard lock(mutex);
    if (auto it = alias_of_name.find(name); it != alias_of_name.end()) stale.insert(it->second);
    const std::uint32_t a = allocate_node_id();
    alias_of_name[name] = a;
    name_of_alias[a] = name;
    routes_version.fetch_add(1, std::memory_order_release);
    return a;
}

namespace {
// The link a sending thread found last, per thread: a sender mostly sends to one peer, and the
// lookup (the node's mutex, three hash lookups, a string hash) was ~10% of a remote send.
struct LastLink {
    std::uint64_t serial = 0;   // Node::Impl::serial
    std::uint64_t version = 0;  // its routes_version then
    std::uint32_t alias = 0;
    std::weak_ptr<Link> link;   // not owned: a Link goes away with its Node
};
thread_local LastLink last_link;
}  // namespace

bool Node::Impl::routes(std::uint32_t node) const noexcept {
    // As link_of_alias: the alias this thread last sent to still routes here while nothing changed.
    if (last_link.serial == serial && last_link.alias == node && last_link.version == routes_version.load(std::memory_order_acquire))
        return true;
    std::lock_guard lock(mutex);
    return name_of_alias.count(node) != 0;
}

std::shared_ptr<Link> Node::Impl::link_of_alias(std::uint32_t alias, bool* is_stale) const {
    if (last_link.serial == serial && last_link.alias == alias && last_link.version == routes_version.load(std::memory_order_acquire)) {
        if (auto l = last_link.link.lock()) {
            *is_stale = false;  // a stale alias is never cached, and none became stale since
            return l;
        }
    }
    std::lock_guard lock(mutex);
    *is_stale = stale.count(alias) != 0;
    auto n = name_of_alias.find(alias);
    if (n == name_of_alias.end() || *is_stale) return nullptr;
    auto l = links.find(n->second);
    if (l == links.end() || !l->second) return nullptr;
    last_link = LastLink{serial, routes_version.load(std::memory_order_relaxed), alias, l->second};
    return l->second;
}

std::shared_ptr<Link> Node::Impl::link_named(const std::string& name) const {
    std::lock_guard lock(mutex);
    auto l = links.find(name);
    return l == links.end() ? nullptr : l->second;
}

WirePid Node::Impl::to_wire(Pid p) const {
    if (!p.valid()) return {};
    if (p.node == engine.node()) return {options.name, p.id, p.generation};
    std::lock_guard lock(mutex);
    auto n = name_of_alias.find(p.node);
    if (n == name_of_alias.end()) return {};  // another local engine's actor: not addressable from there
    return {n->second, p.id, p.generation};
}

SendStatus Node::Impl::send(Pid to, std::unique_ptr<Message> m) {
    bool is_stale = false;
    std::shared_ptr<Link> link = link_of_alias(to.node, &is_stale);
    if (!link) {
        const auto reason = is_stale ? DeadLetterReason::remote_restarted : DeadLetterReason::no_such_actor;
        dead_letter(to, m->sender(), m->type_name(), reason);
        m->fail_request(Error{is_stale ? ErrorCode::node_down : ErrorCode::no_such_actor,
                              m->type_name() + " to " + to.to_string() + (is_stale ? ": its node restarted since" : ": no link to its node")});
        return SendStatus::dead_letter;
    }
    Envelope e;
    if (const auto* t = m->as<Terminated>()) {
        e.kind = EnvelopeKind::terminated;
        e.target = to_wire(to);
        e.sender = to_wire(t->pid);
        e.code = static_cast<std::uint8_t>(t->reason);
        e.detail = t->detail;
        e.flag = t->existed;
    } else {
        const MessageCodec* codec = codec_for(*m);
        if (!codec) {
            const std::string why = m->type_name() + " is not registered for remote sends (actors::remote::register_message<" + m->type_name() + ">)";
            logger()->warn("remote: refused a send to {}: {}", to.to_string(), why);
            dead_letter(to, m->sender(), m->type_name(), DeadLetterReason::unknown_type);
            m->fail_request(Error{ErrorCode::invalid_argument, why});
            return SendStatus::dead_letter;
        }
        e.kind = m->expects_reply() ? EnvelopeKind::request : EnvelopeKind::send;
        if (m->expects_reply()) e.request_id = next_request.fetch_add(1, std::memory_order_relaxed);
        // Body and envelope are packed into this thread's reused buffers, then copied once into
        // a buffer the link recycles (Session::push(ByteView)): no allocation per message.
        thread_local Bytes body;
        thread_local Bytes packed;
        body.clear();
        codec->encode_into(*m, body);
        const Pid from = m->sender();
        // The sender by name (a string, and the node's lock for another node's actor) only
        // when the envelope names it so: not for version 2's usual sends.
        bool sender_named = false;
        auto named_sender = [&]() -> WirePidView {
            if (!sender_named) {
                e.sender = to_wire(from);
                sender_named = true;
            }
            return view_of(e.sender);
        };
        // In the wire format the link last agreed (Link::wire_format): version 2 names the
        // link's two ends and the announced types by number, version 1 (format 0) by name.
        auto pack = [&](std::uint64_t format) {
            EnvelopeView v{e.kind, {}, {}, codec->name, body, e.request_id, 0, {}, false, std::nullopt};
            if (format == 0) {
                if (e.target.node.empty()) e.target = to_wire(to);
                v.target = view_of(e.target);
                v.sender = named_sender();
            } else {
                v.target = WirePidView{{}, to.id, to.generation, NodeRef::receiver_node};
                if (!from.valid() || from.node == engine.node()) v.sender = WirePidView{{}, from.id, from.generation, NodeRef::sender_node};
                else if (from.node == to.node) v.sender = WirePidView{{}, from.id, from.generation, NodeRef::receiver_node};
                else v.sender = named_sender();
                if (codec->index + 1 < format) v.type_id = codec->index;
            }
            packed.clear();
            encode_into(v, packed);
        };
        std::uint64_t format = link->wire_format.load(std::memory_order_acquire);
        pack(format);
        SendStatus status = SendStatus::delivered;
        bool down = false;
        link->with([&] {
            down = link->down;
            if (e.kind == EnvelopeKind::request && link->down) {
                auto reply = std::make_shared<std::unique_ptr<detail::ReplyTo>>(std::move(detail::MessageAccess::reply(*m)));
                link->defer([reply, who = link->peer] { (*reply)->fail(Error{ErrorCode::node_down, "node " + who + " is down"}); });
                status = SendStatus::dead_letter;
                return;
            }
            const auto when_full = options.link_overflow == OverflowPolicy::drop_oldest ? Session::WhenFull::evict_unwritten
                                                                                         : Session::WhenFull::refuse;
            // The pending entry goes in first: an eviction inside push() may fail requests.
            if (e.kind == EnvelopeKind::request)
                link->pending.emplace(e.request_id, Pending{std::move(detail::MessageAccess::reply(*m)), codec});
            // A handshake since packing may have changed what the peer reads (a restart).
            if (link->wire_format.load(std::memory_order_relaxed) != format) pack(format = link->wire_format.load(std::memory_order_relaxed));
            // The clock matters to push() only while the link is down (the reconnect deadline).
            const TimePoint now = link->session->ready() ? TimePoint{} : engine.now();
            const Session::Push pushed = link->session->push(ByteView(packed), now, when_full);
            if (pushed == Session::Push::accepted) return;
            if (e.kind == EnvelopeKind::request) {
                auto it = link->pending.find(e.request_id);
                detail::MessageAccess::reply(*m) = std::move(it->second.reply);
                link->pending.erase(it);
            }
            if (pushed == Session::Push::too_large) status = SendStatus::dead_letter;
            else status = options.link_overflow == OverflowPolicy::reject_sender ? SendStatus::rejected : SendStatus::dropped;
        });
        const bool full = status == SendStatus::rejected || status == SendStatus::dropped;
        if (status != SendStatus::delivered && m->expects_reply())
            m->fail_request(Error{full ? ErrorCode::mailbox_full : ErrorCode::invalid_argument,
                                  m->type_name() + " to " + to.to_string() + (full ? ": the link's send buffer is full" : ": larger than the peer accepts")});
        if (full) dead_letter(to, m->sender(), m->type_name(), DeadLetterReason::mailbox_full);
        else if (status == SendStatus::dead_letter && !down) dead_letter(to, m->sender(), m->type_name(), DeadLetterReason::unknown_type);
        // As a reject_sender mailbox does locally; the notification has no sender, so refusing
        // it in turn notifies nobody.
        if (status == SendStatus::rejected && m->sender().valid() && m->sender().node == engine.node())
            engine.deliver(m->sender(), detail::make_message<MailboxFull>(Pid{}, MailboxFull{to, m->type_name()}));
        return status;
    }
    link->with([&] { link->push(e); });
    return SendStatus::delivered;
}

void Node::Impl::watch(Pid watcher, Pid target) {
    bool is_stale = false;
    std::shared_ptr<Link> link = link_of_alias(target.node, &is_stale);
    bool now_down = !link;
    if (link)
        link->with([&] {
            if (link->down) {
                now_down = true;
                return;
            }
            link->watches.emplace_back(watcher, target);
            link->push(Envelope{EnvelopeKind::watch, to_wire(target), to_wire(watcher), {}, {}, 0, 0, {}, false, std::nullopt});
        });
    if (now_down)
        engine.deliver(watcher, detail::make_message<Terminated>(Pid{}, Terminated{target, StopReason::node_down, is_stale ? "its node restarted" : "its node is down", true}));
}

void Node::Impl::unwatch(Pid watcher, Pid target) {
    bool is_stale = false;
    std::shared_ptr<Link> link = link_of_alias(target.node, &is_stale);
    if (!link) return;
    link->with([&] {
        std::erase_if(link->watches, [&](const auto& w) { return w.first == watcher && w.second.same_actor(target); });
        link->push(Envelope{EnvelopeKind::unwatch, to_wire(target), to_wire(watcher), {}, {}, 0, 0, {}, false, std::nullopt});
    });
}

// ---------------------------------------------------------------------------------------------
// Node

void set_default_transport(TransportFactory factory) noexcept { default_transport_factory.store(factory); }
TransportFactory default_transport() noexcept { return default_transport_factory.load(); }

Node::Node(Engine& engine, NodeOptions options, std::shared_ptr<Transport> transport) {
    if (options.name.empty() || options.name.size() > 255) throw std::invalid_argument("Node: the name must be 1..255 bytes");
    if (options.require_token && options.token.empty())
        throw std::invalid_argument("Node: a token is required (set require_token = false to turn authentication off explicitly)");
    if (!transport) {
        const TransportFactory factory = default_transport();
        if (!factory)
            throw std::invalid_argument(
                "Node: no transport given, and this build sets no default one (natively, link actors::remote_native "
                "for Boost.Beast; elsewhere pass a Transport)");
        if (engine.cooperative())
            throw std::invalid_argument(
                "Node: the default transport calls the Node from its io thread, which a cooperative engine does not "
                "allow; use the thread-pool engine, or pass a transport that calls its handlers on the driving thread");
        transport = factory();
        if (!transport) throw std::invalid_argument("Node: the default transport factory returned no transport");
    }
    impl_ = std::make_shared<Impl>(engine, std::move(options), std::move(transport));
    engine.attach_router(impl_);
}

Node::~Node() { shutdown(); }

namespace {

// Tells every peer on an open link that this node is leaving (PROTOCOL.md 4, rule 9), so it
// fails its requests and fires its watches now rather than after its heartbeats. Each goodbye is
// written behind what was queued; once it is, the connection is closed (a transport closes after
// the write in flight). A threaded transport gets a moment, bounded, to write them; a page's
// transport writes inline.
void say_goodbye(Node::Impl& impl, const std::vector<std::shared_ptr<Link>>& links) {
    const std::string reason = "node " + impl.options.name + " shut down";
    std::vector<std::shared_ptr<Link>> leaving;
    for (const auto& l : links)
        l->with([&] {
            if (!l->conn || !l->session->ready()) return;
            l->session->goodbye(reason);
            leaving.push_back(l);  // with() kicks the connection, which pulls the goodbye
        });
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    std::vector<bool> closed(leaving.size(), false);
    for (;;) {
        bool waiting = false;
        for (std::size_t i = 0; i < leaving.size(); ++i) {
            std::shared_ptr<Connection> c;
            bool written = false;
            {
                std::lock_guard lock(leaving[i]->mutex);
                c = leaving[i]->conn;
                written = leaving[i]->session->goodbye_written();
            }
            if (!c) continue;  // closed (by the peer, who read it)
            if (written && !closed[i]) {
                closed[i] = true;
                c->close("goodbye: " + reason);
            }
            waiting = true;
        }
        if (!waiting || impl.engine.cooperative() != nullptr || std::chrono::steady_clock::now() >= until) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace

void Node::shutdown() {
    if (!impl_ || impl_->stopped.exchange(true)) return;
    impl_->engine.attach_router(nullptr);
    std::vector<std::shared_ptr<Link>> all;
    {
        std::lock_guard lock(impl_->mutex);
        for (auto& [n, l] : impl_->links) all.push_back(l);
        for (auto& l : impl_->unnamed) all.push_back(l);
    }
    say_goodbye(*impl_, all);
    impl_->transport->shutdown();
    for (auto& l : all)
        l->with([&] {
            impl_->engine.scheduler().cancel(l->timer);
            impl_->engine.scheduler().cancel(l->down_timer);
            l->fail_waiting("this node shut down");
        });
    // Every connection was let go of by the transport's shutdown, so no with() takes a new copy;
    // wait out the ones already holding one (see Link::with), so none outlives the transport.
    for (auto& l : all)
        while (l->kicking.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

std::uint16_t Node::listen(const ListenOptions& options) {
    std::weak_ptr<Impl> weak = impl_;
    return impl_->transport->listen(options, [weak] { return std::make_shared<Handler>(weak, nullptr); });
}

Future<std::string> Node::connect(const std::string& url) {
    const Url parsed = Url::parse(url);
    std::vector<std::shared_ptr<Link>> named;
    {
        std::lock_guard lock(impl_->mutex);
        for (auto& [n, l] : impl_->links) named.push_back(l);
    }
    for (auto& l : named) {
        std::shared_ptr<detail::FutureState<std::string>> resumed;
        l->with([&] {
            if (!l->ended || l->ended->to_string() != parsed.to_string()) return;
            l->url = std::exchange(l->ended, std::nullopt);
            l->backoff->reset();
            l->connected = resumed = std::make_shared<detail::FutureState<std::string>>(impl_->engine.cooperative() == nullptr);
        });
        if (!resumed) continue;
        start_connect(impl_, l);
        return Future<std::string>(resumed);
    }
    auto link = impl_->make_link();
    link->url = parsed;
    link->connected = std::make_shared<detail::FutureState<std::string>>(impl_->engine.cooperative() == nullptr);
    {
        std::lock_guard lock(impl_->mutex);
        impl_->unnamed.push_back(link);
    }
    start_connect(impl_, link);
    return Future<std::string>(link->connected);
}

bool Node::disconnect(const std::string& node) {
    auto link = impl_->link_named(node);
    if (!link) return false;
    link->with([&] {
        if (link->url) link->ended = std::exchange(link->url, std::nullopt);
    });
    return true;
}

Future<Pid> Node::lookup(const std::string& node, const std::string& actor_name) {
    auto state = std::make_shared<detail::FutureState<Pid>>(impl_->engine.cooperative() == nullptr);
    if (node == impl_->options.name) {
        if (auto p = impl_->engine.lookup(actor_name)) state->complete(Result<Pid>(*p));
        else state->fail(Error{ErrorCode::no_such_actor, "no actor named " + actor_name + " here"});
        return Future<Pid>(state);
    }
    auto link = impl_->link_named(node);
    if (!link) {
        state->fail(Error{ErrorCode::node_down, "no link to node " + node});
        return Future<Pid>(state);
    }
    const std::uint64_t id = impl_->next_request.fetch_add(1, std::memory_order_relaxed);
    bool down = false;
    link->with([&] {
        if (link->down) {
            down = true;
            return;
        }
        link->lookups.emplace(id, state);
        link->push(Envelope{EnvelopeKind::lookup, {}, {}, actor_name, {}, id, 0, {}, false, std::nullopt});
    });
    if (down) state->fail(Error{ErrorCode::node_down, "node " + node + " is down"});
    return Future<Pid>(state);
}

void Node::register_kind(std::string kind, Producer producer, SpawnOptions options) {
    if (kind.empty()) throw std::invalid_argument("Node::register_kind: the kind needs a name");
    if (!producer) throw std::invalid_argument("Node::register_kind: kind '" + kind + "' needs a producer");
    std::lock_guard lock(impl_->mutex);
    impl_->kinds[std::move(kind)] = {std::move(producer), std::move(options)};
}

Future<Pid> Node::spawn_remote(const std::string& node, const std::string& kind, const std::string& name) {
    auto state = std::make_shared<detail::FutureState<Pid>>(impl_->engine.cooperative() == nullptr);
    if (node == impl_->options.name) {
        Result<Pid> spawned = impl_->spawn_kind(kind, name);
        if (spawned.ok()) state->complete(std::move(spawned));
        else state->fail(spawned.error());
        return Future<Pid>(state);
    }
    auto link = impl_->link_named(node);
    if (!link) {
        state->fail(Error{ErrorCode::node_down, "spawn of kind '" + kind + "': no link to node " + node});
        return Future<Pid>(state);
    }
    const std::uint64_t id = impl_->next_request.fetch_add(1, std::memory_order_relaxed);
    std::optional<Error> refused;
    link->with([&] {
        if (link->down) {
            refused = Error{ErrorCode::node_down, "spawn of kind '" + kind + "': node " + node + " is down"};
            return;
        }
        // Version 1 peers do not know the kind of envelope (they would drop it): refuse here.
        if (link->session->version() == 1) {
            refused = Error{ErrorCode::node_down, "spawn of kind '" + kind + "': node " + node +
                                                      " speaks protocol version 1, which has no remote spawn"};
            return;
        }
        link->lookups.emplace(id, state);
        link->push(Envelope{EnvelopeKind::spawn, {}, {}, kind, {}, id, 0, name, false, std::nullopt});
    });
    if (refused) state->fail(std::move(*refused));
    return Future<Pid>(state);
}

std::optional<Pid> Node::remote_pid(const std::string& node, std::uint64_t id, std::uint32_t generation) const {
    if (node == impl_->options.name) return Pid{impl_->engine.node(), id, generation};
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->alias_of_name.find(node);
    if (it == impl_->alias_of_name.end()) return std::nullopt;
    return Pid{it->second, id, generation};
}

std::optional<std::string> Node::node_of(Pid pid) const {
    if (pid.node == impl_->engine.node()) return std::string();
    std::lock_guard lock(impl_->mutex);
    auto it = impl_->name_of_alias.find(pid.node);
    if (it == impl_->name_of_alias.end()) return std::nullopt;
    return it->second;
}

const std::string& Node::name() const noexcept { return impl_->options.name; }
std::uint64_t Node::incarnation() const noexcept { return impl_->incarnation; }

std::vector<LinkStats> Node::Impl::link_stats() const {
    std::vector<std::shared_ptr<Link>> all;
    {
        std::lock_guard lock(mutex);
        for (const auto& [n, l] : links) all.push_back(l);
    }
    std::vector<LinkStats> out;
    out.reserve(all.size());
    for (const auto& l : all) {
        std::lock_guard lock(l->mutex);
        const LinkCounters& c = l->session->counters();
        out.push_back(LinkStats{l->peer, l->peer_incarnation, l->session->ready(), l->down, c.sent, c.acknowledged,
                                c.replayed, c.delivered, c.duplicates_dropped, c.dead_lettered, c.in_flight(), c.bytes_out,
                                c.bytes_in, c.rtt});
    }
    std::sort(out.begin(), out.end(), [](const LinkStats& a, const LinkStats& b) { return a.node < b.node; });
    return out;
}

std::vector<LinkInfo> Node::links() const {
    std::vector<std::shared_ptr<Link>> all;
    {
        std::lock_guard lock(impl_->mutex);
        for (auto& [n, l] : impl_->links) all.push_back(l);
    }
    std::vector<LinkInfo> out;
    for (auto& l : all) {
        std::lock_guard lock(l->mutex);
        out.push_back(LinkInfo{l->peer, l->peer_incarnation, l->session->ready(), l->session->counters()});
    }
    return out;
}

}  // namespace actors::remote
