#pragma once
// Short human numbers and times for panels where space is tight.

#include <cstdint>
#include <string>

#include "actors/clock.hpp"

namespace actors::dashboard {

std::string compact(double value);             // 950, 12.3k, 4.50M
std::string duration_text(Duration d);         // 850 us, 12.5 ms, 3.2 s, 4m 05s
std::string clock_text(TimePoint t);           // engine time as mm:ss.mmm
std::string age_text(TimePoint then, TimePoint now);  // "3.2 s ago"

}  // namespace actors::dashboard
