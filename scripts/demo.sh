#!/usr/bin/env bash
# The main job, the interactive demo: installs what it needs, builds the dashboard for the web
# (WebAssembly + WebGL2) and natively (GLFW + OpenGL3), then serves the demo page on
# http://127.0.0.1:${PORT:-8080}/ and, when a display is present, opens the native dashboard too.
#   scripts/demo.sh                         serve the web demo (and open the native window)
#   PORT=9000 scripts/demo.sh               another port
#   scripts/demo.sh --scenario chat-room    the native window's scenario (worker-pool by default)
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scenario=worker-pool
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) scenario=${2:?--scenario needs a name}; shift 2 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
port=${PORT:-8080}

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # emscripten's tools need Debian's node modules (acorn)
jobs=$(nproc)

echo "=== demo: building the web dashboard (WebAssembly; the first build takes a few minutes) ==="
cmake --preset wasm > /dev/null
cmake --build --preset wasm -j "$jobs" --target actors_web actors_js

echo "=== demo: building the native dashboard ==="
cmake --preset native-release > /dev/null
cmake --build --preset native-release -j "$jobs" --target actors_dashboard scenario_runner

native_pid=""
cleanup() { [ -n "$native_pid" ] && kill "$native_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "=== demo: opening the native dashboard (scenario ${scenario}) ==="
  ./build/native-release/dashboard/actors_dashboard --scenario "$scenario" &
  native_pid=$!
else
  echo "=== demo: no display here, so no native window; the same dashboard is on the web page."
  echo "    (headless: build/native-release/dashboard/actors_dashboard --frames 120 --screenshot shot.png under xvfb-run)"
fi

echo "=== demo: open http://127.0.0.1:${port}/ : pick a scenario, spawn, crash, send a storm (Ctrl-C stops) ==="
node scripts/serve.mjs --port "$port"
