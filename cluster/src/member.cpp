#include "cluster/member.hpp"

#include "cluster/cluster_error.hpp"

namespace actors::cluster {

namespace {
constexpr std::string_view kMagic = "actors-member/1";

// Names, kinds and addresses go into a line-based value: no control characters, no separators.
bool plain(std::string_view s, bool allow_slash) {
    for (unsigned char c : s)
        if (c < 0x20 || c == 0x7f || c == ',' || (!allow_slash && c == '/')) return false;
    return true;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t from = 0;
    while (true) {
        const std::size_t at = s.find(sep, from);
        out.push_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) return out;
        from = at + 1;
    }
}

std::string shown(std::string_view s) {
    return s.size() <= 40 ? std::string(s) : std::string(s.substr(0, 40)) + "... (" + std::to_string(s.size()) + " bytes)";
}
}  // namespace

void check_member_name(std::string_view name) {
    if (name.empty() || name.size() > max_member_name || !plain(name, false))
        throw ClusterError(ClusterErrorCode::invalid_argument,
                           "a member name must be 1 to " + std::to_string(max_member_name) +
                               " bytes without '/', ',' or control characters, got '" + shown(name) + "'");
}

void check_identity(std::string_view identity) {
    if (identity.empty() || identity.size() > max_identity)
        throw ClusterError(ClusterErrorCode::invalid_argument, "an identity must be 1 to " + std::to_string(max_identity) +
                                                                   " bytes, got " + std::to_string(identity.size()));
}

void check_member(const Member& m) {
    check_member_name(m.name);
    if (m.address.empty() || m.address.size() > 1024 || !plain(m.address, true))
        throw ClusterError(ClusterErrorCode::invalid_argument, "member '" + m.name + "': bad address '" + shown(m.address) + "'");
    for (const std::string& k : m.kinds)
        if (k.empty() || k.size() > max_member_name || !plain(k, false))
            throw ClusterError(ClusterErrorCode::invalid_argument, "member '" + m.name + "': bad kind '" + shown(k) + "'");
}

std::string encode_member(const Member& m, bool leaving) {
    std::string kinds;
    for (const std::string& k : m.kinds) kinds += (kinds.empty() ? "" : ",") + k;
    return std::string(kMagic) + "\n" + m.address + "\n" + kinds + "\n" + (leaving ? "leaving" : "up");
}

MemberRecord decode_member(std::string_view name, std::string_view value) {
    auto bad = [&](const std::string& why) {
        return ClusterError(ClusterErrorCode::bad_data, "member '" + shown(name) + "': " + why);
    };
    if (value.size() > max_member_value) throw bad("value of " + std::to_string(value.size()) + " bytes");
    const auto lines = split(value, '\n');
    if (lines.size() != 4 || lines[0] != kMagic) throw bad("not a member record: '" + shown(value) + "'");
    MemberRecord r;
    r.member.name = std::string(name);
    r.member.address = std::string(lines[1]);
    if (!lines[2].empty())
        for (std::string_view k : split(lines[2], ',')) r.member.kinds.emplace_back(k);
    if (lines[3] == "leaving") r.leaving = true;
    else if (lines[3] != "up") throw bad("unknown state '" + shown(lines[3]) + "'");
    try {
        check_member(r.member);
    } catch (const ClusterError& e) {
        throw bad(e.what());
    }
    return r;
}

}  // namespace actors::cluster
