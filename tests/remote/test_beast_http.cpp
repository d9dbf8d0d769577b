// The Beast transport's other ways in, on real sockets on 127.0.0.1: WebSocket endpoints routed
// by request path on one port, and plain HTTP GETs of a served folder (how a node serves the
// dashboard page), which never leave that folder.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "remote/beast_transport.hpp"
#include "support/recording_handler.hpp"

using namespace actors::remote;
using namespace actors::remote::testing;
namespace fs = std::filesystem;

namespace {

struct Reply {
    int status = 0;
    std::string headers;
    std::string body;
};

// One HTTP/1.1 request over a fresh socket; the server closes after answering. Bounded by a
// receive timeout, so a server that never answers fails the test instead of hanging it.
Reply http(std::uint16_t port, const std::string& method, const std::string& target) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("connect failed");
    }
    const std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string raw;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        raw.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    Reply r;
    const auto end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return r;
    r.status = std::stoi(raw.substr(9, 3));
    r.headers = raw.substr(0, end);
    r.body = raw.substr(end + 4);
    return r;
}

struct Served {
    Served() {
        root = fs::path(ACTORS_TEST_OUTPUT_DIR) / ("served-" + std::to_string(::getpid()));
        fs::remove_all(root);
        fs::create_directories(root / "dist");
        std::ofstream(root / "index.html") << "<!doctype html><title>dashboard</title>";
        std::ofstream(root / "dist" / "actors.wasm") << "\0asm";
        std::ofstream(root.parent_path() / ("secret-" + std::to_string(::getpid()))) << "not for the web";
        fs::create_symlink(root.parent_path() / ("secret-" + std::to_string(::getpid())), root / "link-out");
    }
    ~Served() {
        server->shutdown();
        fs::remove(root.parent_path() / ("secret-" + std::to_string(::getpid())));
        fs::remove_all(root);
    }
    fs::path root;
    std::shared_ptr<Transport> server = make_beast_transport();
};

}  // namespace

TEST(BeastHttp, ServesTheFolderWithContentTypesAndNothingOutsideIt) {
    Served s;
    ListenOptions options;
    options.static_root = s.root.string();
    AcceptLog accepted(false);
    const auto port = s.server->listen(options, accepted.factory());

    Reply index = http(port, "GET", "/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, "<!doctype html><title>dashboard</title>");
    EXPECT_NE(index.headers.find("text/html"), std::string::npos) << index.headers;
    Reply wasm = http(port, "GET", "/dist/actors.wasm?v=3");
    EXPECT_EQ(wasm.status, 200);
    EXPECT_NE(wasm.headers.find("application/wasm"), std::string::npos) << wasm.headers;
    Reply head = http(port, "HEAD", "/index.html");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());

    EXPECT_EQ(http(port, "GET", "/missing.js").status, 404);
    EXPECT_EQ(http(port, "GET", "/../secret-" + std::to_string(::getpid())).status, 404);
    EXPECT_EQ(http(port, "GET", "/dist/..%2f..%2fsecret").status, 404);
    EXPECT_EQ(http(port, "GET", "/link-out").status, 404) << "a link inside the folder pointing out of it";
    EXPECT_EQ(http(port, "GET", "/dist").status, 404) << "a folder is not a file";
    EXPECT_EQ(http(port, "POST", "/index.html").status, 405);
    EXPECT_EQ(accepted.count(), 0u) << "plain HTTP never reaches a WebSocket handler";
}

TEST(BeastHttp, WithoutAServedFolderEveryPlainRequestIs404) {
    Served s;
    AcceptLog accepted(false);
    const auto port = s.server->listen(ListenOptions{}, accepted.factory());
    EXPECT_EQ(http(port, "GET", "/").status, 404);
    EXPECT_EQ(http(port, "GET", "/index.html").status, 404);
}

TEST(BeastHttp, DocumentsAnswerTheirExactPathBeforeTheFolder) {
    Served s;
    std::ofstream(s.root / "inspector.json") << R"({"inspector":null})";
    ListenOptions options;
    options.static_root = s.root.string();
    options.documents["/inspector.json"] = {"application/json", R"({"inspector":"/inspector"})"};
    AcceptLog accepted(false);
    const auto port = s.server->listen(options, accepted.factory());

    Reply doc = http(port, "GET", "/inspector.json?t=1");
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(doc.body, R"({"inspector":"/inspector"})") << "the node's document, not the folder's file";
    EXPECT_NE(doc.headers.find("application/json"), std::string::npos) << doc.headers;
    Reply head = http(port, "HEAD", "/inspector.json");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_NE(head.headers.find("Content-Length: 26"), std::string::npos) << head.headers;
    EXPECT_EQ(http(port, "POST", "/inspector.json").status, 405);
    EXPECT_EQ(http(port, "GET", "/inspector.json/x").status, 404) << "exact paths only";
    EXPECT_EQ(http(port, "GET", "/").status, 200) << "the folder is still served";
}

TEST(BeastHttp, WebSocketRequestsAreRoutedByPath) {
    Served s;
    auto client = make_beast_transport();
    AcceptLog links(/*echo=*/true), inspectors(/*echo=*/true);
    ListenOptions options;
    options.endpoints["/inspector"] = inspectors.factory();
    const auto port = s.server->listen(options, links.factory());

    auto to_inspector = std::make_shared<RecordingHandler>();
    to_inspector->send(bytes_of("for the inspector"));
    client->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port) + "/inspector"), {}, to_inspector);
    auto to_link = std::make_shared<RecordingHandler>();
    to_link->send(bytes_of("for the link"));
    client->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port) + "/"), {}, to_link);
    auto elsewhere = std::make_shared<RecordingHandler>();
    client->connect(Url::parse("ws://127.0.0.1:" + std::to_string(port) + "/any/other?x=1"), {}, elsewhere);

    ASSERT_TRUE(to_inspector->wait_frames(1));
    ASSERT_TRUE(to_link->wait_frames(1));
    ASSERT_TRUE(elsewhere->wait_open());
    EXPECT_EQ(inspectors.count(), 1u);
    EXPECT_EQ(links.count(), 2u);  // "/" and any path not listed
    EXPECT_EQ(to_inspector->frames().at(0), bytes_of("for the inspector"));
    client->shutdown();
}
