#!/usr/bin/env bash
# The main job, the interactive demo: installs what it needs, builds the dashboard for the web
# (WebAssembly + WebGL2) and natively (GLFW + OpenGL3), then starts a native node that hosts the
# demo scenarios with its inspector and serves the dashboard page on
# http://127.0.0.1:${PORT:-8080}/; the page shows that node's actors live, and, when a display is
# present, the native dashboard window watches the same node.
#   scripts/demo.sh                               all five scenarios in the node
#   scripts/demo.sh --scenario worker-pool        only some (a comma-separated list)
#   PORT=9000 scripts/demo.sh                     another port
# The page's engine picker also offers "this tab's engine" (the scenarios run in the browser).
# Loopback only; the page is handed the node's control token. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=all
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario=${2:?--scenario needs a name}; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
port=${PORT:-8080}

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # emscripten's tools need Debian's node modules (acorn)
jobs=$(nproc)

echo "=== demo: building the web dashboard (WebAssembly; the first build takes a few minutes) ==="
cmake --preset wasm > /dev/null
cmake --build --preset wasm -j "$jobs" --target actors_site

echo "=== demo: building the native node and dashboard ==="
cmake --preset native-release > /dev/null
cmake --build --preset native-release -j "$jobs" --target example_inspected_node actors_dashboard

token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
inspector="ws://127.0.0.1:${port}/inspector"
# The node ends when its stdin closes (so a test cannot leave it behind): give it one that stays
# open while this script runs, whoever started it (a terminal, nohup, CI).
coproc KEEP_OPEN { exec sleep infinity; }
keep_pid=$KEEP_OPEN_PID
native_pid=""
cleanup() {
  [ -n "$native_pid" ] && kill "$native_pid" 2>/dev/null
  kill "$keep_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "=== demo: opening the native dashboard, attached to the node (${inspector}) ==="
  # It dials until the node below is up.
  ./build/native-release/dashboard/actors_dashboard --connect "$inspector" --token "$token" &
  native_pid=$!
else
  echo "=== demo: no display here, so no native window; the same dashboard is on the web page."
  echo "    (another terminal: build/native-release/dashboard/actors_dashboard --connect ${inspector} --token ${token})"
fi

echo "=== demo: open http://127.0.0.1:${port}/ : the node's actors live; select one to stop it, crash it, send to it (Ctrl-C stops) ==="
echo "    and http://127.0.0.1:${port}/chat.html in two tabs: each tab's user is a JS actor in the node's chat room"
./build/native-release/examples/example_inspected_node --listen "127.0.0.1:${port}" --token "$token" \
  --scenario "$scenario" --serve-folder build/wasm/site --page-token --chat-room <&"${KEEP_OPEN[0]}"
