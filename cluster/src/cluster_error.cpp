#include "cluster/cluster_error.hpp"

namespace actors::cluster {

const char* to_string(ClusterErrorCode c) noexcept {
    switch (c) {
        case ClusterErrorCode::cluster_unavailable: return "cluster_unavailable";
        case ClusterErrorCode::bad_data: return "bad_data";
        case ClusterErrorCode::invalid_argument: return "invalid_argument";
        case ClusterErrorCode::not_joined: return "not_joined";
    }
    return "unknown";
}

}  // namespace actors::cluster
