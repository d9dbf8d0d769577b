#include "cluster/etcd_store.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "base64.hpp"
#include "cluster/cluster_error.hpp"

namespace actors::cluster {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using detail::base64_decode;
using detail::base64_encode;

namespace {

[[noreturn]] void unavailable(const std::string& what) { throw ClusterError(ClusterErrorCode::cluster_unavailable, "etcd: " + what); }
[[noreturn]] void bad(const std::string& what) { throw ClusterError(ClusterErrorCode::bad_data, "etcd: " + what); }

std::string decoded(const json& j, const char* field) {
    if (!j.contains(field)) return {};
    if (!j[field].is_string()) bad(std::string("field '") + field + "' is not a string");
    auto d = base64_decode(j[field].get<std::string>());
    if (!d) bad(std::string("field '") + field + "' is not base64");
    return *d;
}

// The gateway writes 64-bit integers as JSON strings.
std::int64_t int_field(const json& j, const char* field) {
    if (!j.contains(field)) return 0;
    const json& v = j[field];
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (!v.is_string()) bad(std::string("field '") + field + "' is not a number");
    try {
        return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
        bad(std::string("field '") + field + "' is not a number");
    }
}

KeyValue kv_of(const json& j) {
    if (!j.is_object()) bad("a key-value is not an object");
    return KeyValue{decoded(j, "key"), decoded(j, "value"), int_field(j, "lease"), int_field(j, "mod_revision")};
}

// The end of etcd's range for "every key starting with prefix".
std::string prefix_end(std::string prefix) {
    while (!prefix.empty()) {
        auto& c = reinterpret_cast<unsigned char&>(prefix.back());
        if (c < 0xff) {
            ++c;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::string(1, '\0');  // every key
}

// One POST with a deadline: async operations on a private io_context, run for at most `timeout`.
json post(const EtcdOptions& o, const std::string& target, const json& body) {
    asio::io_context ioc;
    beast::tcp_stream stream(ioc);
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, o.host);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::connection, "close");
    req.body() = body.dump();
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(o.max_response);
    beast::error_code failure;
    bool done = false;
    tcp::resolver resolver(ioc);
    const auto deadline = std::chrono::duration_cast<std::chrono::steady_clock::duration>(o.request_timeout);
    stream.expires_after(deadline);
    resolver.async_resolve(o.host, std::to_string(o.port), [&](beast::error_code ec, tcp::resolver::results_type r) {
        if (ec) { failure = ec; return; }
        stream.async_connect(r, [&](beast::error_code ec2, const tcp::endpoint&) {
            if (ec2) { failure = ec2; return; }
            http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
                if (ec3) { failure = ec3; return; }
                http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
                    failure = ec4;
                    done = !ec4;
                });
            });
        });
    });
    ioc.run_for(deadline + std::chrono::milliseconds(100));
    if (!done) {
        if (failure == http::error::body_limit) bad(target + ": response over " + std::to_string(o.max_response) + " bytes");
        unavailable(target + ": " + (failure ? failure.message() : std::string("no answer in time")));
    }
    const auto& res = parser.get();
    json out = json::parse(res.body(), nullptr, false);
    if (out.is_discarded() || !out.is_object()) bad(target + ": answer is not a JSON object");
    if (res.result() != http::status::ok) {
        const std::string msg = out.value("message", out.value("error", std::string("HTTP ") + std::to_string(res.result_int())));
        // etcd answers "no leader" or "too many requests" while it (re)starts: retry later.
        if (res.result_int() >= 500) unavailable(target + ": " + msg);
        bad(target + ": " + msg);
    }
    return out;
}

std::int64_t header_revision(const json& j) { return j.contains("header") ? int_field(j["header"], "revision") : 0; }

class EtcdWatch final : public Watch {
public:
    EtcdWatch(const EtcdOptions& o, const std::string& prefix, std::int64_t after) : socket_(ioc_) {
        // HTTP/1.0: the gateway then streams the body unchunked until it closes, one JSON object
        // per line; nothing to de-chunk.
        json create = {{"create_request", {{"key", base64_encode(prefix)}, {"range_end", base64_encode(prefix_end(prefix))},
                                            {"start_revision", std::to_string(after + 1)}}}};
        const std::string body = create.dump();
        request_ = "POST /v3/watch HTTP/1.0\r\nHost: " + o.host + "\r\nContent-Type: application/json\r\nContent-Length: " +
                   std::to_string(body.size()) + "\r\n\r\n" + body;
        max_ = o.max_response;
        tcp::resolver resolver(ioc_);
        beast::error_code ec;
        auto endpoints = resolver.resolve(o.host, std::to_string(o.port), ec);
        if (!ec) asio::connect(socket_, endpoints, ec);
        if (ec) unavailable("watch: " + ec.message());
        asio::write(socket_, asio::buffer(request_), ec);
        if (ec) unavailable("watch: " + ec.message());
        read_more();
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~EtcdWatch() override {
        ioc_.stop();
        thread_.join();
    }
    std::vector<WatchEvent> poll() override {
        std::lock_guard lock(mutex_);
        return std::exchange(pending_, {});
    }
    bool broken() const override { return broken_.load(); }

private:
    void read_more() {
        socket_.async_read_some(asio::buffer(chunk_), [this](beast::error_code ec, std::size_t n) {
            if (ec) {
                broken_ = true;
                return;
            }
            data_.append(chunk_.data(), n);
            if (!consume()) {
                broken_ = true;
                return;
            }
            read_more();
        });
    }
    // Takes the complete lines out of data_; false when the stream says something unusable.
    bool consume() {
        if (!header_done_) {
            const auto end = data_.find("\r\n\r\n");
            if (end == std::string::npos) return data_.size() < 64 * 1024;
            if (data_.compare(0, 12, "HTTP/1.0 200") != 0 && data_.compare(0, 12, "HTTP/1.1 200") != 0) return false;
            data_.erase(0, end + 4);
            header_done_ = true;
        }
        std::size_t nl;
        while ((nl = data_.find('\n')) != std::string::npos) {
            json j = json::parse(data_.substr(0, nl), nullptr, false);
            data_.erase(0, nl + 1);
            if (j.is_discarded() || !j.contains("result")) return false;
            const json& r = j["result"];
            if (r.value("canceled", false) || int_field(r, "compact_revision") != 0) return false;
            if (!r.contains("events")) continue;
            std::vector<WatchEvent> got;
            try {
                for (const json& e : r["events"]) {
                    WatchEvent w;
                    w.type = e.value("type", std::string("PUT")) == "DELETE" ? WatchEvent::Type::erase : WatchEvent::Type::put;
                    w.kv = kv_of(e.value("kv", json::object()));
                    got.push_back(std::move(w));
                }
            } catch (const ClusterError&) {
                return false;
            }
            std::lock_guard lock(mutex_);
            for (auto& w : got) pending_.push_back(std::move(w));
        }
        return data_.size() <= max_;
    }

    asio::io_context ioc_;
    tcp::socket socket_;
    std::string request_;
    std::array<char, 16 * 1024> chunk_{};
    std::string data_;
    std::size_t max_ = 0;
    bool header_done_ = false;
    std::atomic<bool> broken_{false};
    std::mutex mutex_;
    std::vector<WatchEvent> pending_;
    std::thread thread_;
};

}  // namespace

EtcdStore::EtcdStore(EtcdOptions options) : options_(std::move(options)) {
    if (options_.host.empty() || options_.port == 0) throw ClusterError(ClusterErrorCode::invalid_argument, "EtcdOptions needs a host and a port");
    if (options_.request_timeout <= Duration::zero())
        throw ClusterError(ClusterErrorCode::invalid_argument, "EtcdOptions::request_timeout must be positive");
}

EtcdStore::~EtcdStore() = default;

LeaseId EtcdStore::grant(Duration ttl) {
    const auto seconds = std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(ttl).count());
    json r = post(options_, "/v3/lease/grant", {{"TTL", seconds}});
    const LeaseId id = int_field(r, "ID");
    if (id == 0) bad("lease grant without an ID");
    return id;
}

bool EtcdStore::keep_alive(LeaseId lease) {
    json r = post(options_, "/v3/lease/keepalive", {{"ID", std::to_string(lease)}});
    // An expired or revoked lease is answered without a TTL (TTL 0).
    return r.contains("result") && int_field(r["result"], "TTL") > 0;
}

void EtcdStore::revoke(LeaseId lease) {
    try {
        post(options_, "/v3/lease/revoke", {{"ID", std::to_string(lease)}});
    } catch (const ClusterError& e) {
        if (e.code() != ClusterErrorCode::bad_data) throw;  // already gone: what revoke wanted
    }
}

void EtcdStore::put(const std::string& key, const std::string& value, LeaseId lease) {
    json body = {{"key", base64_encode(key)}, {"value", base64_encode(value)}};
    if (lease != 0) body["lease"] = std::to_string(lease);
    post(options_, "/v3/kv/put", body);
}

std::optional<KeyValue> EtcdStore::put_if_absent(const std::string& key, const std::string& value, LeaseId lease) {
    json put = {{"key", base64_encode(key)}, {"value", base64_encode(value)}};
    if (lease != 0) put["lease"] = std::to_string(lease);
    json body = {{"compare", json::array({{{"target", "CREATE"}, {"key", base64_encode(key)}, {"create_revision", "0"}}})},
                 {"success", json::array({{{"request_put", put}}})},
                 {"failure", json::array({{{"request_range", {{"key", base64_encode(key)}}}}})}};
    json r = post(options_, "/v3/kv/txn", body);
    if (r.value("succeeded", false)) return std::nullopt;
    if (!r.contains("responses") || !r["responses"].is_array() || r["responses"].empty()) bad("txn without responses");
    const json& range = r["responses"][0].value("response_range", json::object());
    if (!range.contains("kvs") || !range["kvs"].is_array() || range["kvs"].empty()) {
        // Deleted between the compare and the range? The txn is atomic, so this is not etcd.
        bad("txn failed but the key is absent");
    }
    return kv_of(range["kvs"][0]);
}

std::optional<KeyValue> EtcdStore::get(const std::string& key) {
    json r = post(options_, "/v3/kv/range", {{"key", base64_encode(key)}});
    if (!r.contains("kvs") || !r["kvs"].is_array() || r["kvs"].empty()) return std::nullopt;
    return kv_of(r["kvs"][0]);
}

RangeResult EtcdStore::range(const std::string& prefix) {
    json r = post(options_, "/v3/kv/range", {{"key", base64_encode(prefix)}, {"range_end", base64_encode(prefix_end(prefix))}});
    RangeResult out;
    out.revision = header_revision(r);
    if (r.contains("kvs") && r["kvs"].is_array())
        for (const json& kv : r["kvs"]) out.kvs.push_back(kv_of(kv));
    return out;
}

bool EtcdStore::erase_if(const std::string& key, const std::string& expected) {
    json body = {{"compare", json::array({{{"target", "VALUE"}, {"key", base64_encode(key)}, {"value", base64_encode(expected)}}})},
                 {"success", json::array({{{"request_delete_range", {{"key", base64_encode(key)}}}}})}};
    json r = post(options_, "/v3/kv/txn", body);
    return r.value("succeeded", false);
}

std::unique_ptr<Watch> EtcdStore::watch(const std::string& prefix, std::int64_t after_revision) {
    return std::make_unique<EtcdWatch>(options_, prefix, after_revision);
}

}  // namespace actors::cluster
