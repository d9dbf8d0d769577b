#include "dashboard/type_name.hpp"

namespace actors::dashboard {

namespace {
bool identifier_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
}  // namespace

std::string short_type_name(std::string_view full) {
    constexpr std::string_view anonymous = "(anonymous namespace)::";
    std::string out;
    out.reserve(full.size());
    // Where the qualified name being copied began in `out`: a "::" drops everything since then,
    // so each name keeps only its last component, template arguments included.
    std::size_t name_start = 0;
    for (std::size_t i = 0; i < full.size();) {
        if (full.substr(i).starts_with(anonymous)) {
            out.resize(name_start);
            i += anonymous.size();
            continue;
        }
        if (full.substr(i).starts_with("::")) {
            out.resize(name_start);
            i += 2;
            continue;
        }
        const char c = full[i++];
        out.push_back(c);
        if (!identifier_char(c)) name_start = out.size();
    }
    return out.empty() ? std::string(full) : out;
}

}  // namespace actors::dashboard
