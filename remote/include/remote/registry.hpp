#pragma once
// The message types that cross processes: each registered once, by a stable name, with a msgpack
// codec. A user struct needs one line:
//
//     struct Move { int x = 0, y = 0; MSGPACK_DEFINE(x, y) };
//     struct GetScore { using Response = long; MSGPACK_DEFINE() };
//     actors::remote::register_message<Move>("game.move");
//     actors::remote::register_message<GetScore>("game.get_score");  // Response (long) too
//
// The name, not the C++ type, is what travels, so two builds (or JavaScript, later) agree on it.
// Sending a type that is not registered to a remote Pid is refused at the send: a DeadLetter
// (unknown_type) naming the C++ type and, for a request, Error{invalid_argument} naming it.
// The process-wide registry is thread-safe; register before the first send of the type.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <msgpack.hpp>

#include "actors/error.hpp"
#include "actors/message.hpp"
#include "remote/object_reader.hpp"
#include "remote/scratch_zone.hpp"

namespace actors::remote {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Where the answer to a request that came from another node goes (the link back to it).
class ReplySink {
public:
    virtual ~ReplySink() = default;
    virtual void reply(Bytes body) = 0;
    virtual void fail(Error error) = 0;
};

// One registered type, type-erased. Decoders throw std::exception on bytes that do not decode.
struct MessageCodec {
    std::string name;
    const detail::TypeTag* tag = nullptr;
    bool request = false;
    // Its place in this process's registration order (0, 1, ...): the number the protocol may
    // name it by on a link (PROTOCOL.md, version 2). Never changes; set by register_message.
    std::uint32_t index = 0;
    Bytes (*encode)(const Message& m) = nullptr;
    // Appends the msgpack of `m` to `out` (the send path packs into a reused buffer).
    void (*encode_into)(const Message& m, Bytes& out) = nullptr;
    std::unique_ptr<Message> (*decode)(ByteView body, Pid sender) = nullptr;
    // Requests only: attach an answer channel that encodes M::Response into `sink`.
    void (*attach_reply)(Message& m, std::shared_ptr<ReplySink> sink) = nullptr;
    // Requests only: decode an M::Response and complete the requester's channel with it.
    void (*complete)(detail::ReplyTo& reply, ByteView body) = nullptr;
};

namespace detail_registry {
void add(MessageCodec codec);  // throws std::logic_error on a clash of names or types

template <class T>
void pack_into(const T& value, Bytes& out) {
    BytesWriter writer{out};
    msgpack::pack(writer, value);
}

template <class T>
Bytes pack(const T& value) {
    Bytes out;
    out.reserve(32);
    BytesWriter writer{out};
    msgpack::pack(writer, value);
    return out;
}

// The body comes from the network: read_object bounds every count by the bytes there (a 5-byte
// header claiming 2^32 elements reserves nothing), and nesting by a depth no message type of
// ours needs.
inline constexpr std::size_t max_body_depth = 64;

template <class T>
T unpack(ByteView body) {
    return with_scratch_zone([&](msgpack::zone& zone) { return read_object(body, zone, max_body_depth).as<T>(); });
}

// The answer channel of a request from another node: its reply is encoded back over the link.
// Like every answer channel, exactly one completion: a reply, an error, or no_reply when it is
// let go unanswered.
template <class R>
class RemoteReplyTo final : public actors::detail::TypedReplyTo<R> {
public:
    explicit RemoteReplyTo(std::shared_ptr<ReplySink> sink) : sink_(std::move(sink)) {}
    ~RemoteReplyTo() override {
        if (claim()) sink_->fail(Error{ErrorCode::no_reply, "the handler finished without replying"});
    }
    void complete(R value) override {
        if (!claim()) return;
        try {
            sink_->reply(pack(value));
        } catch (const std::exception& e) {
            sink_->fail(Error{ErrorCode::handler_failed, std::string("the reply did not encode: ") + e.what()});
        }
    }
    void fail(Error error) override {
        if (claim()) sink_->fail(std::move(error));
    }

private:
    bool claim() noexcept { return !answered_.exchange(true, std::memory_order_acq_rel); }
    std::shared_ptr<ReplySink> sink_;
    std::atomic<bool> answered_{false};
};
}  // namespace detail_registry

// Registers M under `name`. Registering the same pair again does nothing; the name for another
// type, or another name for the type, throws std::logic_error.
template <class M>
void register_message(std::string name) {
    static_assert(std::is_default_constructible_v<M>, "a remote message type must be default-constructible (msgpack decodes into one)");
    MessageCodec c;
    c.name = std::move(name);
    c.tag = &actors::detail::type_tag<M>;
    c.encode = [](const Message& m) { return detail_registry::pack(*m.as<M>()); };
    c.encode_into = [](const Message& m, Bytes& out) { detail_registry::pack_into(*m.as<M>(), out); };
    c.decode = [](ByteView body, Pid sender) -> std::unique_ptr<Message> {
        return actors::detail::make_message<M>(sender, detail_registry::unpack<M>(body));
    };
    if constexpr (Request<M>) {
        using R = typename M::Response;
        c.request = true;
        c.attach_reply = [](Message& m, std::shared_ptr<ReplySink> sink) {
            actors::detail::MessageAccess::set_reply(m, std::make_unique<detail_registry::RemoteReplyTo<R>>(std::move(sink)));
        };
        c.complete = [](actors::detail::ReplyTo& reply, ByteView body) {
            auto& typed = static_cast<actors::detail::TypedReplyTo<R>&>(reply);
            R value;
            try {
                value = detail_registry::unpack<R>(body);
            } catch (const std::exception& e) {
                typed.fail(Error{ErrorCode::invalid_argument, std::string("the reply did not decode: ") + e.what()});
                return;
            }
            typed.complete(std::move(value));
        };
    }
    detail_registry::add(std::move(c));
}

// The codec of a message's type, or null when it is not registered. Cached per thread: the
// registry only grows and its codecs never move, so a found codec stays valid.
[[nodiscard]] const MessageCodec* codec_for(const Message& m) noexcept;
// The codec registered under `name`, or null.
[[nodiscard]] const MessageCodec* codec_named(std::string_view name) noexcept;
// The codec registered `index`-th (MessageCodec::index), or null past the end.
[[nodiscard]] const MessageCodec* codec_at(std::size_t index) noexcept;
// How many types are registered now (only grows).
[[nodiscard]] std::size_t registered_count() noexcept;

}  // namespace actors::remote
