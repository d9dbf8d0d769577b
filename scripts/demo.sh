#!/usr/bin/env bash
# The main job: installs what it needs, builds the release configuration and runs the examples,
# which show the engine working: lifecycle and dead letters, request/reply, children, supervision
# with restarts and backoff, a router pool, and ping-pong speed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset native-release > /dev/null
cmake --build build/native-release -j "$(nproc)" --target example_hello example_ping_pong example_request_reply example_children example_supervision_tree example_backoff example_pool

for ex in hello request_reply children supervision_tree backoff pool ping_pong; do
  echo
  echo "=================== example: ${ex} ==================="
  "./build/native-release/examples/example_${ex}"
done
