#include "app_report.hpp"

#include <algorithm>

namespace actors::dashboard {

namespace {
json::Value summary(std::vector<float> v) {
    json::Value o;
    if (v.empty()) return o;
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (float x : v) sum += x;
    o.set("median", static_cast<double>(v[v.size() / 2]))
        .set("p95", static_cast<double>(v[std::min(v.size() - 1, v.size() * 95 / 100)]))
        .set("max", static_cast<double>(v.back()))
        .set("mean", sum / static_cast<double>(v.size()));
    return o;
}
}  // namespace

json::Value app_report_json(const DashboardApp& app, const FrameTimes* times) {
    const FrameReport& r = app.report();
    const Overview& o = app.model().overview();
    json::Array panels, rows;
    for (const auto& p : r.panels) panels.push_back(p);
    json::Array pids;
    for (const auto& n : r.actor_rows) rows.push_back(n);
    for (const auto& p : r.actor_pids) pids.push_back(p);
    json::Value out;
    out.set("scenario", app.scenario());
    out.set("watching", app.watching());
    if (times) {
        out.set("frames", static_cast<double>(times->frame_ms.size()))
            .set("frameMs", summary(times->frame_ms))
            .set("foldMs", summary(times->fold_ms))
            .set("buildMs", summary(times->build_ms));
    }
    out.set("panels", json::Value{std::move(panels)})
        .set("actorRows", json::Value{std::move(rows)})
        .set("actorPids", json::Value{std::move(pids)})
        .set("treeNodes", static_cast<double>(r.tree_nodes))
        .set("logRows", static_cast<double>(r.log_rows))
        .set("tableRows", static_cast<double>(app.model().actors().rows().size()))
        .set("liveActors", static_cast<double>(o.live_actors))
        .set("eventsFolded", static_cast<double>(o.events_folded))
        .set("lastSeq", static_cast<double>(o.last_seq))
        .set("missedEvents", static_cast<double>(o.missed_events))
        .set("restarts", static_cast<double>(o.restarts))
        .set("failures", static_cast<double>(o.failures))
        .set("deadLetters", static_cast<double>(o.dead_letters));
    json::Array links;
    for (const LinkRow& l : app.model().links().rows()) {
        json::Value v;
        v.set("node", l.node)
            .set("state", std::string(to_string(l.state)))
            .set("sent", static_cast<double>(l.stats.sent))
            .set("acknowledged", static_cast<double>(l.stats.acknowledged))
            .set("delivered", static_cast<double>(l.stats.delivered))
            .set("inFlight", static_cast<double>(l.stats.in_flight));
        links.push_back(std::move(v));
    }
    out.set("links", json::Value{std::move(links)}).set("linkRows", static_cast<double>(r.link_rows))
        .set("memberRows", static_cast<double>(r.member_rows))
        .set("placementRows", static_cast<double>(r.placement_rows));
    return out;
}

}  // namespace actors::dashboard
