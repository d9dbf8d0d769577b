#pragma once
// What the dashboard calls a message type. The runtime names a type by its full demangled name
// (exact, good for logs); a panel column needs the name a person wrote:
// "actors::scenarios::detail::(anonymous namespace)::CrashNow" is shown as "CrashNow", and
// "std::vector<app::Job>" as "vector<Job>".

#include <string>
#include <string_view>

namespace actors::dashboard {

[[nodiscard]] std::string short_type_name(std::string_view full);

}  // namespace actors::dashboard
