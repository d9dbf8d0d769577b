// Url::parse and to_string: what a node accepts as a peer address, and the errors it gives.
#include <gtest/gtest.h>

#include <stdexcept>

#include "remote/transport.hpp"

using actors::remote::Url;

namespace {

std::string refusal(const std::string& text) {
    try {
        Url::parse(text);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(Url, PlainAndTlsWithHostPortAndPath) {
    const Url plain = Url::parse("ws://127.0.0.1:4000");
    EXPECT_FALSE(plain.tls);
    EXPECT_EQ(plain.host, "127.0.0.1");
    EXPECT_EQ(plain.port, 4000);
    EXPECT_EQ(plain.path, "/");
    EXPECT_EQ(plain.to_string(), "ws://127.0.0.1:4000/");

    const Url secure = Url::parse("WSS://node-b.example:65535/actors/v1?x=1");
    EXPECT_TRUE(secure.tls);
    EXPECT_EQ(secure.host, "node-b.example");
    EXPECT_EQ(secure.port, 65535);
    EXPECT_EQ(secure.path, "/actors/v1?x=1");
    EXPECT_EQ(secure.to_string(), "wss://node-b.example:65535/actors/v1?x=1");
}

TEST(Url, Ipv6LiteralsKeepTheirBrackets) {
    const Url url = Url::parse("ws://[::1]:9000/p");
    EXPECT_EQ(url.host, "::1");
    EXPECT_EQ(url.port, 9000);
    EXPECT_EQ(url.to_string(), "ws://[::1]:9000/p");
    EXPECT_EQ(Url::parse(url.to_string()).host, "::1");
}

TEST(Url, RefusalsSayWhatIsWrong) {
    EXPECT_NE(refusal("127.0.0.1:80").find("no scheme"), std::string::npos);
    EXPECT_NE(refusal("http://a:80").find("scheme 'http' is not ws or wss"), std::string::npos);
    EXPECT_NE(refusal("ws://:80").find("no host"), std::string::npos);
    EXPECT_NE(refusal("ws://").find("no host"), std::string::npos);
    EXPECT_NE(refusal("ws://host").find("no port"), std::string::npos);
    EXPECT_NE(refusal("ws://host:").find("no port"), std::string::npos);
    EXPECT_NE(refusal("ws://host:0").find("port '0'"), std::string::npos);
    EXPECT_NE(refusal("ws://host:65536").find("port '65536'"), std::string::npos);
    EXPECT_NE(refusal("ws://host:12ab").find("port '12ab'"), std::string::npos);
    EXPECT_NE(refusal("ws://host:-1").find("port '-1'"), std::string::npos);
    EXPECT_NE(refusal("ws://::1:80").find("needs brackets"), std::string::npos);
    EXPECT_NE(refusal("ws://[::1:80").find("without ']'"), std::string::npos);
    EXPECT_NE(refusal("ws://[::1]").find("no port"), std::string::npos);
    EXPECT_NE(refusal("ws://[::1]x:80").find("unexpected"), std::string::npos);
    EXPECT_NE(refusal("ws://[]:80").find("empty IPv6"), std::string::npos);
    EXPECT_NE(refusal("ws://user@host:80").find("user information"), std::string::npos);
    EXPECT_NE(refusal("ws://host:80/a#frag").find("fragment"), std::string::npos);
    EXPECT_NE(refusal("ws://ho st:80").find("not a host name"), std::string::npos);
    // Every refusal names the expected form.
    EXPECT_NE(refusal("ftp://x:1").find("expected ws://host:port[/path]"), std::string::npos);
}
