#!/usr/bin/env bash
# Builds the WebAssembly module and serves web/embed.html (the minimal embedding example) on
# 127.0.0.1. Usage: scripts/embed.sh [port]   (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
cmake --preset wasm > /dev/null
cmake --build --preset wasm -j "$(nproc)" --target actors_js
exec node scripts/serve.mjs --port "${1:-8080}"
