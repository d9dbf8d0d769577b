#pragma once
// One factory per scenario, each in the file named after it; catalog.cpp lists them.

#include <memory>

#include "scenarios/scenario.hpp"

namespace actors::scenarios::detail {

std::unique_ptr<Scenario> make_worker_pool(const ScenarioInfo& info);
std::unique_ptr<Scenario> make_ping_pong(const ScenarioInfo& info);
std::unique_ptr<Scenario> make_dead_letters(const ScenarioInfo& info);
std::unique_ptr<Scenario> make_slow_consumer(const ScenarioInfo& info);
std::unique_ptr<Scenario> make_chat_room(const ScenarioInfo& info);

}  // namespace actors::scenarios::detail
