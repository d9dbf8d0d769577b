#include <stdexcept>

#include "remote/transport.hpp"

namespace actors::remote {

Url Url::parse(const std::string& text) {
    const auto fail = [&](const std::string& why) -> Url {
        throw std::invalid_argument("bad url \"" + text + "\": " + why + " (expected ws://host:port[/path] or wss://host:port[/path])");
    };
    Url u;
    std::string rest;
    if (text.rfind("ws://", 0) == 0) rest = text.substr(5);
    else if (text.rfind("wss://", 0) == 0) u.tls = true, rest = text.substr(6);
    else return fail("unknown scheme");
    const auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) u.path = rest.substr(slash);
    std::string port;
    if (!authority.empty() && authority.front() == '[') {  // [::1]:4100
        const auto close = authority.find(']');
        if (close == std::string::npos) return fail("unclosed [ in the host");
        u.host = authority.substr(1, close - 1);
        if (authority.size() <= close + 1 || authority[close + 1] != ':') return fail("no port");
        port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        if (colon == std::string::npos) return fail("no port");
        u.host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return fail("no host");
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return fail("bad port");
    const unsigned long p = std::stoul(port);
    if (p == 0 || p > 65535) return fail("port out of range");
    u.port = static_cast<std::uint16_t>(p);
    return u;
}

std::string Url::to_string() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls ? "wss://" : "ws://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + path;
}

}  // namespace actors::remote
