#pragma once
// A cluster member as the store holds it: its name (the key), where it listens and what it hosts.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace actors::cluster {

struct Member {
    std::string name;
    std::string address;
    std::vector<std::string> kinds;
    friend bool operator==(const Member&, const Member&) = default;
};

// Limits that keep one bad peer from making everyone allocate without bound.
inline constexpr std::size_t max_member_name = 255;
inline constexpr std::size_t max_identity = 4096;
inline constexpr std::size_t max_member_value = 64 * 1024;

// Throw ClusterError(invalid_argument) saying what is wrong with the name, kind or identity.
void check_member_name(std::string_view name);
void check_identity(std::string_view identity);
void check_member(const Member& m);

// The value stored under a member's key. `leaving` marks a member that is saying goodbye, so the
// others can tell a graceful leave from a lapsed lease when its key goes.
struct MemberRecord {
    Member member;
    bool leaving = false;
};
[[nodiscard]] std::string encode_member(const Member& m, bool leaving);
// Throws ClusterError(bad_data) naming what is wrong.
[[nodiscard]] MemberRecord decode_member(std::string_view name, std::string_view value);

}  // namespace actors::cluster
