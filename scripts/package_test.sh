#!/usr/bin/env bash
# The package configuration: what a user installs, used the ways users use it.
#   1. actors built alone (nothing optional), `cmake --install` into a prefix: public headers
#      only, the library, the package files;
#   2. tests/package/find_package: find_package(actors) from that prefix, built and run;
#   3. tests/package/add_subdirectory: actors as a subproject, built and run;
#   4. the npm package (npm pack of the wasm build): a node project imports it, and a Vite app
#      (tests/package/vite-app) type-checks against it, builds with vite build and runs in Chromium.
# Prints "ok - <check>" / "not ok - <check>" per check and "package: N passed, M failed" last.
# Output goes to build/package/.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/package
mkdir -p "$out"
jobs=${ACTORS_JOBS:-$(nproc)}
passed=0
failed=0

check() {  # check <name> <log> <command...>: one check, its output kept in <log>
  local name=$1 log=$2
  shift 2
  if "$@" > "$log" 2>&1; then
    echo "ok - $name"
    passed=$((passed + 1))
  else
    echo "not ok - $name (see $log)"
    tail -n 20 "$log" | sed 's/^/    /'
    failed=$((failed + 1))
  fi
}

prefix=$out/prefix
rm -rf "$prefix"

build_and_install() {
  cmake -S "$root" -B "$out/actors" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DACTORS_BUILD_TESTS=OFF -DACTORS_BUILD_EXAMPLES=OFF -DACTORS_BUILD_DASHBOARD=OFF \
    -DACTORS_BUILD_BENCH=OFF -DACTORS_BUILD_CLUSTER=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" &&
  cmake --build "$out/actors" -j "$jobs" &&
  cmake --install "$out/actors"
}
check "actors builds alone and installs" "$out/install.log" build_and_install

installed_files() {
  local f
  for f in include/actors/actors.hpp include/actors/engine.hpp include/actors/detail \
           lib/libactors_runtime.a lib/cmake/actors/actors-config.cmake \
           lib/cmake/actors/actors-config-version.cmake lib/cmake/actors/actors-runtime-targets.cmake \
           include/actors/bridge/json.hpp lib/libactors_bridge.a lib/cmake/actors/actors-bridge-targets.cmake \
           include/remote/node.hpp lib/libactors_remote.a lib/libactors_remote_native.a \
           lib/cmake/actors/actors-remote-targets.cmake; do
    [ -e "$prefix/$f" ] || { echo "missing: $f"; return 1; }
  done
  # Internals (runtime/src) are not part of the package.
  local internal
  internal=$(find "$prefix/include" -name 'cell.hpp' -o -name 'engine_core.hpp' -o -name 'mpsc_queue.hpp' \
           -o -name 'ws_connection.hpp' -o -name 'tracker.hpp' -o -name 'wire.hpp' -o -name 'memory_transport.hpp' -o -name '*.cpp')
  [ -z "$internal" ] || { echo "internal headers installed: $internal"; return 1; }
}
check "the prefix holds the public headers and package files, no internal headers" "$out/files.log" installed_files

consumer() {  # consumer <dir> <cmake args...>: configure, build and run its `answer`
  local dir=$1
  shift
  rm -rf "$out/$dir"
  cmake -S "$root/tests/package/$dir" -B "$out/$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" &&
  cmake --build "$out/$dir" -j "$jobs" &&
  local program
  for program in answer bridge_answer remote_answer; do
    [ -x "$out/$dir/$program" ] || continue
    "$out/$dir/$program" | tee /dev/stderr | grep -qx "answer 42" || { echo "$program: wrong answer"; return 1; }
  done
}
check "find_package(actors COMPONENTS runtime bridge remote) consumer builds and its actors answer (remote: over a WebSocket on 127.0.0.1)" "$out/find_package.log" \
  consumer find_package -DCMAKE_PREFIX_PATH="$prefix"
check "add_subdirectory(actors) consumer builds only the runtime and its actor answers" \
  "$out/add_subdirectory.log" consumer add_subdirectory -DACTORS_SOURCE_DIR="$root"

# The npm package, from the wasm build (built here if scripts/test.sh wasm has not yet).
npm_out=$out/npm
wasm_module() {
  NODE_PATH=/usr/share/nodejs cmake --preset wasm > /dev/null &&
  NODE_PATH=/usr/share/nodejs cmake --build "$root/build/wasm" -j "$jobs" --target actors_js
}
check "the wasm module builds" "$out/wasm.log" wasm_module

npm_pack() {
  rm -rf "$npm_out" && mkdir -p "$npm_out/app" &&
  (cd "$npm_out" && npm pack --silent "$root/build/wasm/dist" > pack.txt) &&
  local tarball version
  tarball=$npm_out/$(tail -1 "$npm_out/pack.txt")
  version=$(sed -nE 's/^project\(actors VERSION ([0-9.]+).*/\1/p' "$root/CMakeLists.txt")
  tar -xOf "$tarball" package/package.json | node -e '
    const p = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const want = { name: "@actors/runtime", version: process.argv[1] };
    for (const k in want) if (p[k] !== want[k]) throw new Error(`${k}: ${p[k]}, want ${want[k]}`);
    if (p.exports["."].types !== "./actors.d.ts" || p.exports["."].import !== "./actors.mjs") throw new Error("exports");' "$version" &&
  tar -tzf "$tarball" | sort | tee /dev/stderr |
    diff - <(printf 'package/%s\n' README.md actors.d.ts actors.mjs actors_wasm.mjs actors_wasm.wasm package.json | sort) &&
  echo "$tarball" > "$npm_out/tarball.txt"
}
check "npm pack makes @actors/runtime (version from CMake) with exactly its files" "$out/npm_pack.log" npm_pack

npm_consumer() (  # a subshell: it changes directory
  local tarball
  tarball=$(cat "$npm_out/tarball.txt") &&
  cd "$npm_out/app" &&
  echo '{ "name": "consumer", "private": true, "type": "module" }' > package.json &&
  npm install --offline --no-audit --no-fund --ignore-scripts "$tarball" &&
  node --no-experimental-fetch --input-type=module -e "
    import { createRuntime } from '@actors/runtime';
    const engine = (await createRuntime()).createEngine();
    const greeter = engine.spawn('greeter', (ctx, msg) => 'hello ' + msg.name);
    console.log('answer', await engine.request(greeter, { name: 'npm' }));
    engine.shutdown();" | tee /dev/stderr | grep -qx "answer hello npm"
)
check "a node project installs the tarball and an actor answers through import '@actors/runtime'" \
  "$out/npm_consumer.log" npm_consumer

# A fresh Vite app (tests/package/vite-app, its lock file committed) installs the tarball as a web
# developer would, type-checks against actors.d.ts and builds; the build then runs in Chromium.
vite_app=$out/vite-app
vite_build() (  # a subshell: it changes directory
  local tarball f
  tarball=$(cat "$npm_out/tarball.txt") || return 1
  rm -rf "$vite_app" && mkdir -p "$vite_app" || return 1
  for f in package.json package-lock.json index.html tsconfig.json src; do  # not node_modules, dist
    cp -R "$root/tests/package/vite-app/$f" "$vite_app/" || return 1
  done
  # The lock file names registry packages only: no paths of the machine that made it.
  if grep -nE 'file:|"link": *true|"(/|[A-Za-z]:)' "$vite_app/package-lock.json"; then
    echo "package-lock.json names a local path"
    return 1
  fi
  cd "$vite_app" &&
  npm ci --no-audit --no-fund --prefer-offline &&
  npm install --no-save --no-audit --no-fund --offline --ignore-scripts "$tarball" &&
  cmp package-lock.json "$root/tests/package/vite-app/package-lock.json" &&
  node_modules/.bin/tsc --noEmit &&
  node_modules/.bin/vite build &&
  ls dist/assets/*.wasm
)
check "a Vite app installs the tarball, type-checks with tsc --noEmit and builds with vite build" \
  "$out/vite_build.log" vite_build

vite_page() {
  [ -f "$vite_app/dist/index.html" ] || { echo "no vite build in $vite_app/dist"; return 1; }
  timeout 90 node "$root/tests/package/vite-app/check.mjs" "$vite_app/dist" "hello vite"
}
check "the Vite build served on 127.0.0.1 answers a request in Chromium" "$out/vite_page.log" vite_page

echo "package: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
