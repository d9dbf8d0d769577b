#include "dashboard_app.hpp"

#include <imgui.h>

#include <chrono>
#include <stdexcept>

#include "actors/log.hpp"
#include "scenarios/inspector.hpp"

namespace actors::dashboard {

namespace {
// At most this many events folded per frame: a burst larger than the ring is reported as a gap
// by read_since anyway, and a frame must stay short.
constexpr std::size_t kMaxEventsPerFrame = 200'000;
}  // namespace

DashboardApp::DashboardApp(ModelOptions options) : model_(options) {}

DashboardApp::~DashboardApp() {
    // Scenario actors run on the engine, which outlives nothing here: stop them while it exists.
    if (engine_ && scenario_ && engine_->running()) scenario_->stop(*engine_);
}

EngineConfig DashboardApp::watched_config(EngineConfig base) {
    base.stats.enabled = true;
    base.stats.interval = std::chrono::milliseconds(250);
    base.health.enabled = true;
    base.health.mailbox_lag = std::chrono::milliseconds(500);
    base.event_ring_capacity = std::max<std::size_t>(base.event_ring_capacity, 1 << 17);
    return base;
}

void DashboardApp::own(std::unique_ptr<Engine> engine) {
    detach();
    owned_ = std::move(engine);
    engine_ = owned_.get();
    resync();
}

void DashboardApp::attach(Engine& engine) {
    detach();
    engine_ = &engine;
    resync();
}

void DashboardApp::detach() noexcept {
    scenario_.reset();  // its actors belong to the engine; they stop with it
    engine_ = nullptr;
    owned_.reset();
    source_.reset();
}

void DashboardApp::watch(std::unique_ptr<DashboardSource> source) {
    detach();
    model_.clear();
    source_ = std::move(source);
}

void DashboardApp::resync() {
    // Snapshot once, then events after it: the model's only two inputs.
    const Snapshot s = engine_->snapshot();
    model_.load(s);
    cursor_ = s.last_seq;
}

Engine& DashboardApp::require_engine() const {
    if (!engine_) throw std::logic_error("the dashboard is not watching an engine");
    return *engine_;
}

std::size_t DashboardApp::update() {
    if (source_) {
        const auto t0 = std::chrono::steady_clock::now();
        stats_.folded = source_->update(model_);
        stats_.fold_ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - t0).count();
        return stats_.folded;
    }
    if (!engine_) return 0;
    const auto t0 = std::chrono::steady_clock::now();
    EventBatch batch = engine_->events().read_since(cursor_, kMaxEventsPerFrame);
    // A gap (batch.missed) needs no event of its own: the next events' sequence numbers jump,
    // and the model shows the jump as a gap.
    model_.fold(std::span<const Event>(batch.events));
    cursor_ = batch.next;
    model_.advance_to(engine_->now());
    stats_.folded = batch.events.size();
    stats_.fold_ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return batch.events.size();
}

void DashboardApp::frame(float frame_ms) {
    stats_.frame_ms = frame_ms;
    update();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    constexpr ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("dashboard", nullptr, flags);
    if (engine_ || source_) {
        draw_dashboard(model_, *this, state_, stats_, report_);
    } else {
        ImGui::TextUnformatted("Waiting for an engine: call engine.extension('dashboard.attach') from the page.");
    }
    ImGui::End();
}

std::string DashboardApp::watching() const { return source_ ? source_->describe() : std::string(); }

std::vector<std::string> DashboardApp::scenario_names() const {
    std::vector<std::string> out;
    if (source_) return out;  // the watched process runs its own
    for (const auto& s : scenarios::list()) out.push_back(s.name);
    return out;
}

std::string DashboardApp::scenario() const { return scenario_ ? scenario_->info().name : std::string(); }

std::string DashboardApp::scenario_description() const { return scenario_ ? scenario_->info().description : std::string(); }

void DashboardApp::start_scenario(const std::string& name) {
    Engine& e = require_engine();
    auto next = scenarios::make(name);  // throws for an unknown name before anything stops
    if (scenario_) scenario_->stop(e);
    scenario_ = std::move(next);
    scenario_->start(e);
}

void DashboardApp::spawn() {
    if (scenario_) (void)scenario_->spawn(require_engine());
}

void DashboardApp::crash_random() { (void)crash_random_pid(); }

void DashboardApp::storm(std::size_t messages) { (void)storm_count(messages); }

std::optional<Pid> DashboardApp::crash_random_pid() {
    Engine& e = require_engine();
    return scenario_ ? scenario_->crash(e) : std::nullopt;
}

std::size_t DashboardApp::storm_count(std::size_t messages) {
    Engine& e = require_engine();
    return scenario_ ? scenario_->storm(e, messages) : 0;
}

void DashboardApp::stop(Pid pid) {
    if (source_) return source_->stop(pid);
    scenarios::stop_actor(require_engine(), pid);
}

void DashboardApp::inject_failure(Pid pid) {
    if (source_) return source_->inject_failure(pid);
    (void)scenarios::inject_failure(require_engine(), pid);
}

void DashboardApp::send_message(Pid pid, const std::string& text) {
    if (source_) return source_->send_message(pid, text);
    (void)scenarios::poke(require_engine(), pid, text);
}

void DashboardApp::spawn_child(Pid parent) {
    if (source_) return source_->spawn_child(parent);
    (void)scenarios::spawn_child(require_engine(), parent);
}

void DashboardApp::spawn_idle(std::size_t count) {
    Engine& e = require_engine();
    for (std::size_t i = 0; i < count; ++i)
        e.spawn_fn("idle-" + std::to_string(++idle_spawned_), [](Context&, Message&) {});
}

}  // namespace actors::dashboard
