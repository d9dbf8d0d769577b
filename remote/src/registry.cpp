#include "remote/registry.hpp"

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
    const MessageCodec& stored = r.codecs.emplace_back(std::move(codec));
    r.by_name.emplace(stored.name, &stored);
    r.by_tag.emplace(stored.tag, &stored);
}
}  // namespace detail_registry

const MessageCodec* codec_for(const Message& m) noexcept {
    Registry& r = registry();
    std::shared_lock lock(r.mutex);
    auto it = r.by_tag.find(actors::detail::MessageAccess::type(m));
    return it == r.by_tag.end() ? nullptr : it->second;
}

const MessageCodec* codec_named(std::string_view name) noexcept {
    Registry& r = registry();
    std::shared_lock lock(r.mutex);
    auto it = r.by_name.find(std::string(name));
    return it == r.by_name.end() ? nullptr : it->second;
}

}  // namespace actors::remote
