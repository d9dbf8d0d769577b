#include "js_link.hpp"

#include <utility>

#include "remote/browser_transport.hpp"
#include "remote/js_messages.hpp"

namespace actors::js {

namespace {

// Forwards every socket event to the Node's handler, then asks the page for a turn.
class WakingHandler final : public remote::ConnectionHandler {
public:
    WakingHandler(std::shared_ptr<remote::ConnectionHandler> inner, std::function<void()> wake)
        : inner_(std::move(inner)), wake_(std::move(wake)) {}
    void on_open(std::shared_ptr<remote::Connection> connection) override {
        inner_->on_open(std::move(connection));
        wake_();
    }
    void on_frame(remote::ByteView frame) override {
        inner_->on_frame(frame);
        wake_();
    }
    std::optional<remote::Bytes> next_frame() override { return inner_->next_frame(); }
    void on_close(std::string reason) override {
        inner_->on_close(std::move(reason));
        wake_();
    }

private:
    std::shared_ptr<remote::ConnectionHandler> inner_;
    std::function<void()> wake_;
};

class WakingTransport final : public remote::Transport {
public:
    WakingTransport(std::shared_ptr<remote::Transport> inner, std::function<void()> wake)
        : inner_(std::move(inner)), wake_(std::move(wake)) {}
    std::uint16_t listen(const remote::ListenOptions& options,
                         std::function<std::shared_ptr<remote::ConnectionHandler>()> accept) override {
        return inner_->listen(options, std::move(accept));  // a page cannot listen: the inner one says so
    }
    void connect(const remote::Url& url, const remote::ConnectOptions& options,
                 std::shared_ptr<remote::ConnectionHandler> handler) override {
        inner_->connect(url, options, std::make_shared<WakingHandler>(std::move(handler), wake_));
    }
    void shutdown() override { inner_->shutdown(); }

private:
    std::shared_ptr<remote::Transport> inner_;
    std::function<void()> wake_;
};

}  // namespace

JsLink::JsLink(Engine& engine, std::string name, std::string token, std::function<void()> wake) : token_(token) {
    remote::register_js_messages();
    remote::NodeOptions o;
    o.name = std::move(name);
    o.token = std::move(token);
    node_ = std::make_unique<remote::Node>(engine, std::move(o),
                                           std::make_shared<WakingTransport>(remote::make_browser_transport(), std::move(wake)));
}

JsLink::~JsLink() {
    if (node_) node_->shutdown();
}

}  // namespace actors::js
