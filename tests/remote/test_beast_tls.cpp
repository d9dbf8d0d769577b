// wss:// over real sockets: certificates made at test time with the openssl command, a client
// that trusts them, and clients that do not.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "remote/beast_transport.hpp"
#include "support/certificate.hpp"
#include "support/recording_handler.hpp"

using namespace actors::remote;
using namespace actors::remote::testing;

namespace {

namespace fs = std::filesystem;

class BeastTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::path(ACTORS_TEST_OUTPUT_DIR) / ("tls-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        server_ = make_certificate(dir_, "server");
        stranger_ = make_certificate(dir_, "stranger");
    }
    static void TearDownTestSuite() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    void SetUp() override {
        ListenOptions listen;
        listen.certificate_chain_file = server_.cert.string();
        listen.private_key_file = server_.key.string();
        port_ = server_transport_->listen(listen, accepted_.factory());
    }
    void TearDown() override {
        client_transport_->shutdown();
        server_transport_->shutdown();
    }

    Url url(const std::string& host = "127.0.0.1") const { return Url::parse("wss://" + host + ":" + std::to_string(port_)); }
    static ConnectOptions trusting(const Certificate& ca) {
        ConnectOptions options;
        options.ca_file = ca.cert.string();
        return options;
    }

    static inline fs::path dir_;
    static inline Certificate server_;
    static inline Certificate stranger_;
    std::shared_ptr<Transport> server_transport_ = make_beast_transport();
    std::shared_ptr<Transport> client_transport_ = make_beast_transport();
    AcceptLog accepted_{/*echo=*/true};
    std::uint16_t port_ = 0;
};

}  // namespace

TEST_F(BeastTls, AClientThatTrustsTheCertificateExchangesFrames) {
    auto client = std::make_shared<RecordingHandler>();
    const Bytes big(300000, 7);
    client->send(bytes_of("over tls"));
    client->send(big);
    client_transport_->connect(url(), trusting(server_), client);
    ASSERT_TRUE(client->wait_frames(2)) << client->reason();
    EXPECT_EQ(client->frames()[0], bytes_of("over tls"));
    EXPECT_EQ(client->frames()[1], big);
    client->close("tls done");
    ASSERT_TRUE(client->wait_closed());
    auto server = accepted_.wait_handler(0);
    ASSERT_TRUE(server->wait_closed());
    EXPECT_EQ(server->reason(), "closed by peer: tls done");
}

TEST_F(BeastTls, AClientThatDoesNotTrustTheCertificateIsRefused) {
    // Trusting only the system's authorities, then only a different self-signed certificate.
    for (const ConnectOptions& options : {ConnectOptions{}, trusting(stranger_)}) {
        auto client = std::make_shared<RecordingHandler>();
        client->send(bytes_of("must not arrive"));
        client_transport_->connect(url(), options, client);
        ASSERT_TRUE(client->wait_closed());
        EXPECT_FALSE(client->opened());
        EXPECT_NE(client->reason().find("TLS handshake failed"), std::string::npos) << client->reason();
        EXPECT_NE(client->reason().find("certificate verify failed"), std::string::npos) << client->reason();
    }
    // Neither reached a handler on the server: one is made once a WebSocket request is routed
    // by its path, after the TLS handshake (the transport logs the failed handshakes).
    EXPECT_EQ(accepted_.count(), 0u);
}

TEST_F(BeastTls, TheCertificateMustNameTheHostConnectedTo) {
    // The certificate names 127.0.0.1; "localhost" reaches the same socket but is not named.
    auto client = std::make_shared<RecordingHandler>();
    client_transport_->connect(url("localhost"), trusting(server_), client);
    ASSERT_TRUE(client->wait_closed());
    EXPECT_FALSE(client->opened());
    EXPECT_NE(client->reason().find("certificate verify failed"), std::string::npos) << client->reason();
}

TEST_F(BeastTls, VerificationOffConnectsToAnyCertificate) {
    ConnectOptions options;
    options.verify_peer = false;
    auto client = std::make_shared<RecordingHandler>();
    client->send(bytes_of("unverified"));
    client_transport_->connect(url(), options, client);
    ASSERT_TRUE(client->wait_frames(1)) << client->reason();
}

TEST_F(BeastTls, APlainClientCannotTalkToATlsListener) {
    auto client = std::make_shared<RecordingHandler>();
    client_transport_->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port_)), ConnectOptions{}, client);
    ASSERT_TRUE(client->wait_closed());
    EXPECT_FALSE(client->opened());
    EXPECT_EQ(accepted_.count(), 0u);  // refused in the TLS handshake, before any routing
}

TEST_F(BeastTls, AMissingTrustFileIsReportedThroughOnClose) {
    ConnectOptions options;
    options.ca_file = (dir_ / "no-such-file.pem").string();
    auto client = std::make_shared<RecordingHandler>();
    client_transport_->connect(url(), options, client);
    ASSERT_TRUE(client->wait_closed());
    EXPECT_NE(client->reason().find("no-such-file.pem"), std::string::npos) << client->reason();
}
