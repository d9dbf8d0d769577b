#include "remote/transport.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace actors::remote {
namespace {

[[noreturn]] void refuse(const std::string& text, const std::string& why) {
    throw std::invalid_argument("url '" + text + "': " + why + " (expected ws://host:port[/path] or wss://host:port[/path])");
}

std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

Url Url::parse(const std::string& text) {
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string::npos) refuse(text, "no scheme");
    const std::string scheme = lowered(text.substr(0, scheme_end));
    if (scheme == "ws") {
        url.tls = false;
    } else if (scheme == "wss") {
        url.tls = true;
    } else {
        refuse(text, "scheme '" + scheme + "' is not ws or wss");
    }

    const std::string rest = text.substr(scheme_end + 3);
    const auto path_begin = rest.find('/');
    const std::string authority = rest.substr(0, path_begin);
    if (path_begin != std::string::npos) url.path = rest.substr(path_begin);
    if (url.path.find('#') != std::string::npos) refuse(text, "a fragment (#) means nothing to a WebSocket");
    if (authority.find('@') != std::string::npos) refuse(text, "user information (user@) is not supported");
    if (authority.empty()) refuse(text, "no host");

    std::string port_text;
    if (authority.front() == '[') {
        // An IPv6 literal keeps its colons inside brackets, so the port is what follows "]:".
        const auto close = authority.find(']');
        if (close == std::string::npos) refuse(text, "'[' without ']' around an IPv6 address");
        url.host = authority.substr(1, close - 1);
        if (url.host.empty()) refuse(text, "empty IPv6 address in []");
        if (url.host.find_first_not_of("0123456789abcdefABCDEF:.%") != std::string::npos)
            refuse(text, "'" + url.host + "' is not an IPv6 address");
        const std::string after = authority.substr(close + 1);
        if (after.empty()) refuse(text, "no port");
        if (after.front() != ':') refuse(text, "unexpected '" + after + "' after the IPv6 address");
        port_text = after.substr(1);
    } else {
        const auto colon = authority.rfind(':');
        if (colon == std::string::npos) refuse(text, "no port");
        url.host = authority.substr(0, colon);
        port_text = authority.substr(colon + 1);
        if (url.host.empty()) refuse(text, "no host");
        if (url.host.find(':') != std::string::npos) refuse(text, "an IPv6 address needs brackets, as in [::1]:port");
        for (unsigned char c : url.host) {
            if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_')) refuse(text, "'" + url.host + "' is not a host name");
        }
    }

    if (port_text.empty()) refuse(text, "no port");
    if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos)
        refuse(text, "port '" + port_text + "' is not a number from 1 to 65535");
    const unsigned long port = std::stoul(port_text);
    if (port == 0 || port > 65535) refuse(text, "port '" + port_text + "' is not a number from 1 to 65535");
    url.port = static_cast<std::uint16_t>(port);
    return url;
}

std::string Url::to_string() const {
    std::string out = tls ? "wss://" : "ws://";
    if (host.find(':') != std::string::npos) {
        out += "[" + host + "]";
    } else {
        out += host;
    }
    out += ":" + std::to_string(port);
    out += path.empty() ? "/" : path;
    return out;
}

}  // namespace actors::remote
