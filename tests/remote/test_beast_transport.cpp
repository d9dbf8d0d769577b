// The Beast transport over real sockets on 127.0.0.1: frames both ways, order, the read limit,
// close reasons, connect failures and shutdown.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "remote/beast_transport.hpp"
#include "support/recording_handler.hpp"

using namespace actors::remote;
using namespace actors::remote::testing;

namespace {

Url local(std::uint16_t port) { return Url::parse("ws://127.0.0.1:" + std::to_string(port)); }

Bytes numbered(std::uint32_t n, std::size_t size = 8) {
    Bytes frame(size, static_cast<std::uint8_t>(n * 31u));
    std::memcpy(frame.data(), &n, sizeof n);
    return frame;
}

std::uint32_t number_of(const Bytes& frame) {
    std::uint32_t n = 0;
    std::memcpy(&n, frame.data(), sizeof n);
    return n;
}

// A socket bound to a loopback port but not listening: a connect to it is refused, and no
// other process can take the port while the test runs.
class BoundNotListening {
public:
    BoundNotListening() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        if (fd_ < 0) throw std::runtime_error("socket failed");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) throw std::runtime_error("bind failed");
        socklen_t length = sizeof address;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
    }
    ~BoundNotListening() { ::close(fd_); }
    BoundNotListening(const BoundNotListening&) = delete;
    BoundNotListening& operator=(const BoundNotListening&) = delete;
    std::uint16_t port() const { return port_; }

private:
    int fd_;
    std::uint16_t port_ = 0;
};

struct Pair {
    std::shared_ptr<Transport> server = make_beast_transport();
    std::shared_ptr<Transport> client = make_beast_transport();
    ~Pair() {
        client->shutdown();
        server->shutdown();
    }
};

}  // namespace

TEST(BeastTransport, FramesTravelBothWaysAndEchoBack) {
    Pair pair;
    AcceptLog accepted(/*echo=*/true);
    const auto port = pair.server->listen(ListenOptions{}, accepted.factory());
    ASSERT_NE(port, 0);

    auto client = std::make_shared<RecordingHandler>();
    const Bytes big(1u << 20, 0xAB);
    client->send(bytes_of("hello"));
    client->send(Bytes{});  // an empty frame is a frame
    client->send(big);
    pair.client->connect(local(port), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_open()) << client->reason();
    ASSERT_TRUE(client->wait_frames(3)) << client->reason();

    auto server = accepted.wait_handler(0);
    ASSERT_TRUE(server);
    const auto echoed = client->frames();
    EXPECT_EQ(echoed[0], bytes_of("hello"));
    EXPECT_TRUE(echoed[1].empty());
    EXPECT_EQ(echoed[2], big);
    EXPECT_EQ(server->frames(), echoed);
    EXPECT_EQ(server->remote_address().rfind("127.0.0.1:", 0), 0u) << server->remote_address();
    EXPECT_EQ(client->remote_address(), "127.0.0.1:" + std::to_string(port));

    // The server side starts a frame of its own, not an echo.
    server->send(bytes_of("from the server"));
    ASSERT_TRUE(client->wait_frames(4));
    EXPECT_EQ(client->frames()[3], bytes_of("from the server"));
    EXPECT_EQ(client->closes(), 0);
}

TEST(BeastTransport, ManySmallFramesArriveAllAndInOrder) {
    Pair pair;
    AcceptLog accepted(/*echo=*/true);
    const auto port = pair.server->listen(ListenOptions{}, accepted.factory());
    auto client = std::make_shared<RecordingHandler>();
    pair.client->connect(local(port), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_open()) << client->reason();

    constexpr std::uint32_t count = 20000;
    for (std::uint32_t i = 0; i < count; ++i) client->send(numbered(i));
    ASSERT_TRUE(client->wait_frames(count)) << client->frame_count() << " of " << count << "; " << client->reason();

    const auto server_frames = accepted.wait_handler(0)->frames();
    ASSERT_EQ(server_frames.size(), count);
    const auto echoed = client->frames();
    for (std::uint32_t i = 0; i < count; ++i) {
        ASSERT_EQ(number_of(server_frames[i]), i);
        ASSERT_EQ(echoed[i], numbered(i));
    }
}

TEST(BeastTransport, AFrameOverTheReadLimitClosesWithAReasonOnBothSides) {
    Pair pair;
    AcceptLog accepted(/*echo=*/false);
    ListenOptions listen;
    listen.max_frame_bytes = 1024;
    const auto port = pair.server->listen(listen, accepted.factory());
    auto client = std::make_shared<RecordingHandler>();
    pair.client->connect(local(port), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_open()) << client->reason();
    auto server = accepted.wait_handler(0);

    client->send(Bytes(1024, 1));  // exactly the limit passes
    ASSERT_TRUE(server->wait_frames(1)) << server->reason();
    client->send(Bytes(1025, 2));
    ASSERT_TRUE(server->wait_closed());
    ASSERT_TRUE(client->wait_closed());
    EXPECT_NE(server->reason().find("over the read limit of 1024 bytes"), std::string::npos) << server->reason();
    EXPECT_NE(client->reason().find("1009"), std::string::npos) << client->reason();
    EXPECT_EQ(server->frame_count(), 1u);
    EXPECT_EQ(server->closes(), 1);
    EXPECT_EQ(client->closes(), 1);
}

TEST(BeastTransport, TheClosingSidesReasonReachesThePeer) {
    Pair pair;
    AcceptLog accepted(/*echo=*/false);
    const auto port = pair.server->listen(ListenOptions{}, accepted.factory());

    auto first = std::make_shared<RecordingHandler>();
    pair.client->connect(local(port), ConnectOptions{}, first);
    ASSERT_TRUE(first->wait_open());
    first->close("bye: work done");
    first->close("a second close changes nothing");
    ASSERT_TRUE(first->wait_closed());
    auto first_server = accepted.wait_handler(0);
    ASSERT_TRUE(first_server->wait_closed());
    EXPECT_EQ(first->reason(), "bye: work done");
    EXPECT_EQ(first_server->reason(), "closed by peer: bye: work done");

    // The other direction, with a reason longer than a close frame holds: cut, still UTF-8.
    auto second = std::make_shared<RecordingHandler>();
    pair.client->connect(local(port), ConnectOptions{}, second);
    ASSERT_TRUE(second->wait_open());
    auto second_server = accepted.wait_handler(1);
    ASSERT_TRUE(second_server->wait_open());
    std::string long_reason;
    while (long_reason.size() < 200) long_reason += "\xC3\xA9";  // 'é', two bytes each
    second_server->close(long_reason);
    ASSERT_TRUE(second->wait_closed());
    ASSERT_TRUE(second_server->wait_closed());
    EXPECT_EQ(second_server->reason(), long_reason);
    EXPECT_EQ(second->reason(), "closed by peer: " + long_reason.substr(0, 122));
    EXPECT_EQ(second->closes(), 1);
    EXPECT_EQ(second_server->closes(), 1);
}

TEST(BeastTransport, ARefusedConnectReachesOnCloseWithTheOsReason) {
    auto transport = make_beast_transport();
    BoundNotListening nobody;
    auto client = std::make_shared<RecordingHandler>();
    transport->connect(local(nobody.port()), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_closed());
    EXPECT_FALSE(client->opened());
    EXPECT_NE(client->reason().find("refused"), std::string::npos) << client->reason();
    EXPECT_NE(client->reason().find("ws://127.0.0.1:" + std::to_string(nobody.port())), std::string::npos) << client->reason();
    transport->shutdown();
}

TEST(BeastTransport, ListeningOnABusyPortThrowsWithTheOsReason) {
    auto transport = make_beast_transport();
    AcceptLog accepted(false);
    ListenOptions options;
    options.port = transport->listen(ListenOptions{}, accepted.factory());
    try {
        transport->listen(options, accepted.factory());
        FAIL() << "a second listen on the same port succeeded";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
    ListenOptions half_tls;
    half_tls.certificate_chain_file = "cert.pem";
    EXPECT_THROW(transport->listen(half_tls, accepted.factory()), std::invalid_argument);
    EXPECT_THROW(make_beast_transport(BeastTransportOptions{0}), std::invalid_argument);
    transport->shutdown();
}

TEST(BeastTransport, ShutdownClosesEveryConnectionAndRefusesNewOnes) {
    Pair pair;
    AcceptLog accepted(/*echo=*/true);
    const auto port = pair.server->listen(ListenOptions{}, accepted.factory());
    std::vector<std::shared_ptr<RecordingHandler>> clients;
    for (int i = 0; i < 4; ++i) {
        clients.push_back(std::make_shared<RecordingHandler>());
        pair.client->connect(local(port), ConnectOptions{}, clients.back());
    }
    for (auto& client : clients) ASSERT_TRUE(client->wait_open()) << client->reason();
    // A client sees its connection open as soon as the server's handshake answer arrives, which
    // can be before the server side has finished its accept; a shutdown in that window cuts the
    // socket instead of closing the WebSocket (there is nothing open to close yet), and the client
    // would read "connection lost". Wait until both ends are open, to test the close itself.
    for (std::size_t i = 0; i < clients.size(); ++i) ASSERT_TRUE(accepted.wait_handler(i)->wait_open());

    pair.server->shutdown();  // returns only after every handler got its on_close
    for (std::size_t i = 0; i < clients.size(); ++i) {
        auto server = accepted.wait_handler(i);
        EXPECT_EQ(server->closes(), 1);
        EXPECT_EQ(server->reason(), "transport shutting down");
        ASSERT_TRUE(clients[i]->wait_closed());
        EXPECT_EQ(clients[i]->reason(), "closed by peer: transport shutting down");
    }

    auto late = std::make_shared<RecordingHandler>();
    pair.server->connect(local(port), ConnectOptions{}, late);
    EXPECT_EQ(late->closes(), 1);
    EXPECT_NE(late->reason().find("shut down"), std::string::npos) << late->reason();
    pair.server->shutdown();  // idempotent
}

TEST(BeastTransport, SeveralIoThreadsCarryManyConnectionsAtOnce) {
    auto server = make_beast_transport(BeastTransportOptions{3});
    auto client_side = make_beast_transport(BeastTransportOptions{2});
    AcceptLog accepted(/*echo=*/true);
    const auto port = server->listen(ListenOptions{}, accepted.factory());
    std::vector<std::shared_ptr<RecordingHandler>> clients;
    for (int i = 0; i < 8; ++i) {
        auto client = std::make_shared<RecordingHandler>();
        for (std::uint32_t n = 0; n < 500; ++n) client->send(numbered(n + 1000u * static_cast<std::uint32_t>(i)));
        client_side->connect(local(port), ConnectOptions{}, client);
        clients.push_back(client);
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
        ASSERT_TRUE(clients[i]->wait_frames(500)) << clients[i]->reason();
        const auto frames = clients[i]->frames();
        for (std::uint32_t n = 0; n < 500; ++n) ASSERT_EQ(number_of(frames[n]), n + 1000u * i);
    }
    client_side->shutdown();
    server->shutdown();
    for (auto& client : clients) EXPECT_EQ(client->closes(), 1);
}

TEST(BeastTransport, ListensAndConnectsOnIpv6Loopback) {
    Pair pair;
    AcceptLog accepted(/*echo=*/true);
    ListenOptions listen;
    listen.host = "::1";
    const auto port = pair.server->listen(listen, accepted.factory());
    auto client = std::make_shared<RecordingHandler>();
    client->send(bytes_of("over ::1"));
    pair.client->connect(Url::parse("ws://[::1]:" + std::to_string(port) + "/v1"), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_frames(1)) << client->reason();
    EXPECT_EQ(client->frames()[0], bytes_of("over ::1"));
    EXPECT_EQ(client->remote_address(), "[::1]:" + std::to_string(port));
}
