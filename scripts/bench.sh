#!/usr/bin/env bash
# The benchmark suite, ours next to CAF 0.17.6: sets up, builds native-release and the wasm
# preset, runs our side of every workload in WebAssembly under node, then everything natively
# (ours on the thread pool, CAF, ours on one thread), and prints the side-by-side table. The
# remote rows (remote_*) run two processes on 127.0.0.1 against CAF's io layer (libcaf_io, BASP):
# bench_suite starts its own peer process (itself, with --remote-peer) per run and stops it.
# Writes build/bench/results.csv, results.json and table.md, and for the JS API next to XState v5
# (bench/js/) js-node.{json,md}, js-node-cpu.{json,md} and js-chromium.{json,md}. A few minutes on a 2-core machine.
#   scripts/bench.sh            everything
#   scripts/bench.sh --no-wasm  skip the WebAssembly build and run
#   BENCH_ARGS="--runs 3" scripts/bench.sh   extra bench_suite options (see bench/suite.cpp)
#   BENCH_ARGS="--runs 7 --only remote_send,remote_send_1k,remote_round_trip,remote_cut" scripts/bench.sh --no-wasm
#                                            the remote rows alone (the README's figures)
#   JS_BENCH_ARGS="--runs 3" scripts/bench.sh  extra bench/js/{node,chromium}.mjs options (JS actors vs XState)
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=1
for a in "$@"; do
  case "$a" in
    --no-wasm) wasm=0 ;;
    *) echo "unknown option '$a' (use --no-wasm)" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs  # emscripten's tools need Debian's node modules (acorn)
jobs=$(nproc)
out=build/bench
mkdir -p "$out"
start=$(date +%s)
step() { echo; echo "=== [$(( $(date +%s) - start ))s] $* ==="; }

step "native-release: configure and build bench_suite"
cmake --preset native-release > /dev/null
cmake --build --preset native-release -j "$jobs" --target bench_suite

wasm_args=()
if [ "$wasm" -eq 1 ]; then
  step "wasm: configure and build bench_suite (emscripten; takes a few minutes the first time)"
  cmake --preset wasm > /dev/null
  cmake --build --preset wasm -j "$jobs" --target bench_suite
  step "wasm: our side of every workload under node (one thread, cooperative scheduler)"
  # Emscripten's JS errors quote minified source at length: keep them in a file, show the end.
  if node --no-experimental-fetch build/wasm/bench/bench_suite.js ${BENCH_ARGS:-} > "$out/wasm.txt" 2> "$out/wasm.err"; then
    grep '^\[' "$out/wasm.err" || true
    grep '^wasm,' "$out/wasm.txt" > "$out/wasm.csv"
    wasm_args=(--wasm-in "$out/wasm.csv")
  else
    echo "wasm run failed; the table has no wasm column. Last lines of $out/wasm.err:"
    tail -c 2000 "$out/wasm.err"
  fi
fi

if [ "$wasm" -eq 1 ]; then
  step "wasm: the JS API (our JS actors) next to XState v5 under node"
  cmake --build --preset wasm -j "$jobs" --target actors_js
  # XState, pinned in bench/js/package-lock.json, is the benchmark's peer only: installed here,
  # never by the tests.
  (cd bench/js && npm ci --no-audit --no-fund --loglevel=error)
  if ! node --no-experimental-fetch bench/js/node.mjs --out "$out" ${JS_BENCH_ARGS:-} > "$out/js-node.txt" 2> "$out/js-node.err"; then
    echo "the JS benchmark failed; last lines of $out/js-node.err:"
    tail -c 2000 "$out/js-node.err"
  fi
  cat "$out/js-node.txt"
  # The same timed with the process's CPU time: on a machine shared with other jobs the wall
  # clock measures them too.
  if ! node --no-experimental-fetch bench/js/node.mjs --clock cpu --out "$out" ${JS_BENCH_ARGS:-} > "$out/js-node-cpu.txt" 2> "$out/js-node-cpu.err"; then
    echo "the JS benchmark (CPU time) failed; last lines of $out/js-node-cpu.err:"
    tail -c 2000 "$out/js-node-cpu.err"
  fi
  cat "$out/js-node-cpu.txt"
  step "wasm: the same in Debian's Chromium (headless, through playwright-core)"
  if ! node bench/js/chromium.mjs --out "$out" ${JS_BENCH_ARGS:-} > "$out/js-chromium.txt" 2> "$out/js-chromium.err"; then
    echo "the JS benchmark in Chromium failed; last lines of $out/js-chromium.err:"
    tail -c 2000 "$out/js-chromium.err"
  fi
  cat "$out/js-chromium.txt"
fi

step "native: ours (thread pool and one thread) and CAF, side by side"
build/native-release/bench/bench_suite ${BENCH_ARGS:-} "${wasm_args[@]}" \
  --csv "$out/results.csv" --json "$out/results.json" --table "$out/table.md"

step "done: $out/results.csv, $out/results.json, $out/table.md"
