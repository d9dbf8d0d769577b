#include "remote/registry.hpp"

#include <atomic>
#include <deque>
#include <shared_mutex>
#include <unordered_map>

namespace actors::remote {

namespace {
struct Registry {
    std::shared_mutex mutex;
    std::deque<MessageCodec> codecs;  // stable addresses: lookups hand out pointers
    std::unordered_map<std::string, const MessageCodec*> by_name;
    std::unordered_map<const actors::detail::TypeTag*, const MessageCodec*> by_tag;
    std::atomic<std::size_t> count{0};
};

Registry& registry() {
    static Registry r;
    return r;
}
}  // namespace

namespace detail_registry {
void add(MessageCodec codec) {
    if (codec.name.empty() || codec.name.size() > 255)
        throw std::logic_error("register_message: the name must be 1..255 bytes, got \"" + codec.name + "\"");
    Registry& r = registry();
    std::unique_lock lock(r.mutex);
    const std::string type = codec.tag->name();
    auto by_name = r.by_name.find(codec.name);
    auto by_tag = r.by_tag.find(codec.tag);
    if (by_name != r.by_name.end() && by_tag != r.by_tag.end() && by_name->second == by_tag->second) return;
    if (by_name != r.by_name.end())
        throw std::logic_error("register_message: \"" + codec.name + "\" is already the name of " + by_name->second->tag->name() +
                               ", cannot name " + type + " too");
    if (by_tag != r.by_tag.end())
        throw std::logic_error("register_message: " + type + " is already registered as \"" + by_tag->second->name +
                               "\", cannot register it as \"" + codec.name + "\" too");
    codec.index = static_cast<std::uint32_t>(r.codecs.size());
    const MessageCodec& stored = r.codecs.emplace_back(std::move(codec));
    r.count.store(r.codecs.size(), std::memory_order_release);
    r.by_name.emplace(stored.name, &stored);
    r.by_tag.emplace(stored.tag, &stored);
}
}  // namespace detail_registry

const MessageCodec* codec_for(const Message& m) noexcept {
    // A sender mostly sends one or a few types: the last one found, per thread, skips the
    // reader lock and the hash lookup. Misses (unregistered types included) take the lock.
    thread_local const actors::detail::TypeTag* last_tag = nullptr;
    thread_local const MessageCodec* last_codec = nullptr;
    const actors::detail::TypeTag* tag = actors::detail::MessageAccess::type(m);
    if (tag == last_tag && last_codec) return last_codec;
    Registry& r = registry();
    std::shared_lock lock(r.mutex);
    auto it = r.by_tag.find(tag);
    if (it == r.by_tag.end()) return nullptr;
    last_tag = tag;
    last_codec = it->second;
    return it->second;
}

const MessageCodec* codec_at(std::size_t index) noexcept {
    Registry& r = registry();
    std::shared_lock lock(r.mutex);
    return index < r.codecs.size() ? &r.codecs[index] : nullptr;
}

std::size_t registered_count() noexcept { return registry().count.load(std::memory_order_acquire); }

const MessageCodec* codec_named(std::string_view name) noexcept {
    Registry& r = registry();
    std::shared_lock lock(r.mutex);
    auto it = r.by_name.find(std::string(name));
    return it == r.by_name.end() ? nullptr : it->second;
}

}  // namespace actors::remote
