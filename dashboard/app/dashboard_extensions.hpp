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

#include "dashboard_app.hpp"

namespace actors::dashboard {

void register_dashboard_extensions(DashboardApp& app);

}  // namespace actors::dashboard
