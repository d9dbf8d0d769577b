#pragma once
// The dashboard's extensions of the JS API (engine.extension(name, args)), registered by the web
// build: attach the dashboard to a page's engine, and drive the demo scenarios in it. Portable
// C++, so they are tested natively too.
//
//   dashboard.attach                   watch this engine (its options should enable stats)
//   dashboard.scenarios                [{name, title, description}]
//   dashboard.start   {name}           stop the running scenario, start this one
//   dashboard.spawn                    one more actor of the scenario's kind
//   dashboard.crash   {pid?}           crash that actor, or a random one of the scenario's
//   dashboard.storm   {messages}       send a storm; answers how many were sent
//   dashboard.report                   what the dashboard shows: counts, panels drawn, rows
//   dashboard.connect {url, token}     watch another process's engine through its inspector
//                                      endpoint instead (ws://host:port/inspector)
//   dashboard.status                   {mode: local | remote | none, and for remote: where,
//                                      state, engine, role, reason, lastResult, lagMs}
//
// While the dashboard watches another process, report and crash {pid} work from any of the
// page's engines (crash goes to the watched process as an inspector command); start, spawn and
// storm belong to the watched process's own scenarios and are refused.

#include <functional>
#include <memory>
#include <string>

#include "dashboard_app.hpp"

namespace actors::dashboard {

// Makes the source for dashboard.connect (a RemoteSource on the platform's transport); throws
// std::invalid_argument for a bad URL. Empty: dashboard.connect is refused.
using SourceConnector = std::function<std::unique_ptr<DashboardSource>(const std::string& url, const std::string& token)>;

void register_dashboard_extensions(DashboardApp& app, SourceConnector connect = {});

}  // namespace actors::dashboard
