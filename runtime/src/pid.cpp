#include "actors/pid.hpp"

#include <ostream>

namespace actors {

std::string Pid::to_string() const {
    return "<" + std::to_string(node) + "." + std::to_string(id) + "." + std::to_string(generation) + ">";
}

std::ostream& operator<<(std::ostream& os, const Pid& pid) { return os << pid.to_string(); }

}  // namespace actors
