// The fault proxy on its own, with the Beast transport on both sides of it: it forwards, cuts,
// stalls, delays, draws its random cuts from a seed, refuses beyond its bound, and stops.
#include <gtest/gtest.h>

#include <cstring>
#include <chrono>
#include <thread>

#include "remote/beast_transport.hpp"
#include "support/fault_proxy.hpp"
#include "support/recording_handler.hpp"

using namespace actors::remote;
using namespace actors::remote::testing;
using namespace std::chrono_literals;

namespace {

Url local(std::uint16_t port) { return Url::parse("ws://127.0.0.1:" + std::to_string(port)); }

Bytes numbered(std::uint32_t n) {
    Bytes frame(100, static_cast<std::uint8_t>(n));
    std::memcpy(frame.data(), &n, sizeof n);
    return frame;
}

struct Rig {
    explicit Rig(bool echo) : accepted(echo) { server_port = server->listen(ListenOptions{}, accepted.factory()); }
    ~Rig() {
        client->shutdown();
        server->shutdown();
    }
    std::shared_ptr<RecordingHandler> connect(std::uint16_t port) {
        auto handler = std::make_shared<RecordingHandler>();
        client->connect(local(port), ConnectOptions{}, handler);
        return handler;
    }
    std::shared_ptr<Transport> server = make_beast_transport();
    std::shared_ptr<Transport> client = make_beast_transport();
    AcceptLog accepted;
    std::uint16_t server_port = 0;
};

}  // namespace

TEST(FaultProxy, ForwardsBothWaysAndCounts) {
    Rig rig(/*echo=*/true);
    FaultProxy proxy(rig.server_port);
    auto client = rig.connect(proxy.port());
    for (std::uint32_t i = 0; i < 100; ++i) client->send(numbered(i));
    ASSERT_TRUE(client->wait_frames(100)) << client->reason();
    for (std::uint32_t i = 0; i < 100; ++i) ASSERT_EQ(client->frames()[i], numbered(i));
    // The proxy counts a chunk when its write completes, which may come after the echo already
    // reached the client: wait (bounded) for the count instead of reading it once.
    auto stats = proxy.stats();
    for (int i = 0; i < 500 && stats.bytes_forwarded <= 2u * 100u * 100u; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        stats = proxy.stats();
    }
    EXPECT_EQ(stats.accepted, 1u);
    EXPECT_EQ(stats.open, 1u);
    EXPECT_EQ(stats.cuts, 0u);
    EXPECT_GT(stats.bytes_forwarded, 2u * 100u * 100u);  // every payload both ways, plus headers
}

TEST(FaultProxy, CutAllResetsEveryConnectionAndNewOnesStillWork) {
    Rig rig(/*echo=*/true);
    FaultProxy proxy(rig.server_port);
    auto a = rig.connect(proxy.port());
    auto b = rig.connect(proxy.port());
    ASSERT_TRUE(a->wait_open());
    ASSERT_TRUE(b->wait_open());
    proxy.cut_all();
    ASSERT_TRUE(a->wait_closed());
    ASSERT_TRUE(b->wait_closed());
    EXPECT_NE(a->reason().find("connection lost"), std::string::npos) << a->reason();
    for (std::size_t i = 0; i < 2; ++i) ASSERT_TRUE(rig.accepted.wait_handler(i)->wait_closed());
    EXPECT_EQ(proxy.stats().cuts, 2u);

    auto c = rig.connect(proxy.port());
    c->send(bytes_of("after the cut"));
    ASSERT_TRUE(c->wait_frames(1)) << c->reason();
    EXPECT_EQ(proxy.stats().open, 1u);
}

TEST(FaultProxy, AStallHoldsBytesUntilReleasedThenDeliversThemInOrder) {
    Rig rig(/*echo=*/false);
    FaultProxy proxy(rig.server_port);
    auto client = rig.connect(proxy.port());
    ASSERT_TRUE(client->wait_open());
    auto server = rig.accepted.wait_handler(0);
    ASSERT_TRUE(server->wait_open());

    proxy.stall(true);
    const auto before = proxy.stats().bytes_forwarded;
    for (std::uint32_t i = 0; i < 10; ++i) client->send(numbered(i));
    // Held: nothing may arrive while stalled (a wait that can only pass for the right reason).
    EXPECT_FALSE(server->wait([](const RecordingHandler& h) { return !h.frames_.empty(); }, 300ms));
    EXPECT_EQ(proxy.stats().bytes_forwarded, before);
    EXPECT_TRUE(client->opened());
    EXPECT_EQ(client->closes(), 0);

    proxy.stall(false);
    ASSERT_TRUE(server->wait_frames(10)) << server->reason();
    for (std::uint32_t i = 0; i < 10; ++i) ASSERT_EQ(server->frames()[i], numbered(i));
}

TEST(FaultProxy, DelayedChunksKeepTheirOrder) {
    Rig rig(/*echo=*/true);
    FaultProxy proxy(rig.server_port);
    proxy.set_delay(2ms);
    auto client = rig.connect(proxy.port());
    for (std::uint32_t i = 0; i < 50; ++i) client->send(numbered(i));
    ASSERT_TRUE(client->wait_frames(50)) << client->reason();
    for (std::uint32_t i = 0; i < 50; ++i) ASSERT_EQ(client->frames()[i], numbered(i));
    EXPECT_GT(proxy.stats().chunks_delayed, 0u);
    EXPECT_THROW(proxy.set_delay(-1ms), std::invalid_argument);
}

TEST(FaultProxy, RandomCutsComeFromTheSeedSoARunRepeats) {
    // Only the client writes after the handshake and every size on the wire is fixed, so the
    // bytes forwarded before each cut are exactly the drawn budgets: two proxies with one seed
    // forward the same number of bytes, connection by connection.
    auto run = [](std::uint64_t seed) {
        Rig rig(/*echo=*/false);
        FaultProxy proxy(rig.server_port);
        proxy.cut_randomly(seed, 400, 3000);
        std::vector<std::uint64_t> forwarded;
        for (int connection = 0; connection < 4; ++connection) {
            const auto before = proxy.stats().bytes_forwarded;
            auto client = rig.connect(proxy.port());
            for (std::uint32_t i = 0; i < 60; ++i) client->send(numbered(i));  // 6 KB: more than any budget
            EXPECT_TRUE(client->wait_closed());
            // The proxy counts its cut after the last byte went out; wait until it has.
            for (int i = 0; i < 200 && proxy.stats().cuts < static_cast<std::uint64_t>(connection + 1); ++i)
                std::this_thread::sleep_for(10ms);
            forwarded.push_back(proxy.stats().bytes_forwarded - before);
        }
        EXPECT_EQ(proxy.stats().cuts, 4u);
        return forwarded;
    };
    const auto first = run(42);
    const auto again = run(42);
    EXPECT_EQ(first, again);
    for (auto bytes : first) {
        EXPECT_GE(bytes, 400u);
        EXPECT_LE(bytes, 3000u);
    }
    EXPECT_NE(run(7), first);
}

TEST(FaultProxy, RefusesBeyondItsBoundAndStopClosesEverything) {
    Rig rig(/*echo=*/true);
    FaultProxy proxy(rig.server_port, /*max_connections=*/1);
    auto first = rig.connect(proxy.port());
    ASSERT_TRUE(first->wait_open());
    auto second = rig.connect(proxy.port());
    ASSERT_TRUE(second->wait_closed());
    EXPECT_FALSE(second->opened());
    EXPECT_EQ(proxy.stats().refused, 1u);

    proxy.stop();
    proxy.stop();
    ASSERT_TRUE(first->wait_closed());
    EXPECT_EQ(proxy.stats().open, 0u);
    EXPECT_EQ(proxy.stats().cuts, 0u);  // stopping is not a fault
    auto late = rig.connect(proxy.port());
    ASSERT_TRUE(late->wait_closed());
    EXPECT_NE(late->reason().find("refused"), std::string::npos) << late->reason();
}
