#pragma once
// CAF 0.17.6's side of every workload: the same shapes and parameters as ours (../workloads/),
// written against CAF's API. Compiled as C++17 into bench_caf, only when CAF is found.

#include <cstdint>

#include "../params.hpp"

namespace bench::caf_side {

Sample send_one_to_one(const Params& p);
Sample send_storm(const Params& p);
Sample ping_pong(const Params& p);
Sample thread_ring(const Params& p);
Sample fork_join_throughput(const Params& p);
Sample fork_join_create(const Params& p);
Sample counting(const Params& p);
Sample big(const Params& p);
Sample request_reply(const Params& p);
Sample idle_memory(const Params& p);

// Remote (remote.cpp, libcaf_io): the peer process's main, and the bench side against it.
int remote_peer(const Params& p);
Sample remote_send(const Params& p, std::uint16_t port, bool blob);
Sample remote_round_trip(const Params& p, std::uint16_t port);

}  // namespace bench::caf_side
