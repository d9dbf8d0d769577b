#include "format.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace actors::dashboard {

std::string compact(double v) {
    char buf[32];
    const double a = std::fabs(v);
    if (a < 1000) std::snprintf(buf, sizeof buf, a == std::floor(a) ? "%.0f" : "%.1f", v);
    else if (a < 1e6) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else if (a < 1e9) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else std::snprintf(buf, sizeof buf, "%.2fG", v / 1e9);
    return buf;
}

std::string duration_text(Duration d) {
    using namespace std::chrono;
    char buf[32];
    const double ns = static_cast<double>(d.count());
    if (ns < 1e6) std::snprintf(buf, sizeof buf, "%.0f us", ns / 1e3);
    else if (ns < 1e9) std::snprintf(buf, sizeof buf, "%.1f ms", ns / 1e6);
    else if (ns < 60e9) std::snprintf(buf, sizeof buf, "%.1f s", ns / 1e9);
    else {
        const auto s = duration_cast<seconds>(d).count();
        std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
    }
    return buf;
}

std::string clock_text(TimePoint t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld.%03lld", static_cast<long long>(ms / 60000 % 100),
                  static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
    return buf;
}

std::string age_text(TimePoint then, TimePoint now) {
    if (now < then) return "just now";
    return duration_text(now - then) + " ago";
}

}  // namespace actors::dashboard
