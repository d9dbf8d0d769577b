#pragma once
// Errors of the cluster layer. Each says what failed so a caller can decide: retry later
// (cluster_unavailable), fix its call (invalid_argument, not_joined) or distrust a peer (bad_data).

#include <stdexcept>
#include <string>

namespace actors::cluster {

enum class ClusterErrorCode {
    cluster_unavailable,  // the store does not answer (or this member knows it is cut off): fail fast
    bad_data,             // the store returned something that is not what a member writes
    invalid_argument,     // a name, identity or option the cluster refuses
    not_joined,           // the call needs a joined member
};
[[nodiscard]] const char* to_string(ClusterErrorCode c) noexcept;

class ClusterError : public std::runtime_error {
public:
    ClusterError(ClusterErrorCode code, const std::string& detail)
        : std::runtime_error(std::string(to_string(code)) + ": " + detail), code_(code) {}
    [[nodiscard]] ClusterErrorCode code() const noexcept { return code_; }

private:
    ClusterErrorCode code_;
};

}  // namespace actors::cluster
