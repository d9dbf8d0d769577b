#!/usr/bin/env bash
# The whole test suite: installs what it needs, then builds and runs the GoogleTest suite under
# AddressSanitizer+UndefinedBehaviorSanitizer and under ThreadSanitizer (plus, without a sanitizer,
# the tests those builds leave out), the libFuzzer targets
# for a bounded time each (scripts/fuzz.sh), and in WebAssembly under node (plus the JavaScript
# API's node tests and the headless-Chromium page tests, one of them against a native node
# process), and the package as users consume it (scripts/package_test.sh: cmake --install +
# find_package, add_subdirectory, the npm tarball in node and in a Vite app run in Chromium).
#   scripts/test.sh                   all six configurations
#   scripts/test.sh native asan       only those (any of: native asan tsan fuzz wasm package)
#   ACTORS_FUZZ_SECONDS=120 scripts/test.sh fuzz    fuzz longer than CI's 30 s per fuzzer
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(native asan tsan fuzz wasm package)
export NODE_PATH=/usr/share/nodejs  # emscripten's tools need Debian's node modules (acorn)
# ccache (cmake/ActorsCcache.cmake) keyed on paths relative to this checkout, so a fresh clone in
# another folder on the same machine reuses what an earlier run compiled.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true

jobs=$(nproc)
total_passed=0
total_failed=0
failed_configs=()

# run_config NAME PRESET [TEST_REGEX TARGET...]: build (all, or only those targets) and run the
# tests (all, or those matching the regex).
run_config() {
  local name=$1 preset=$2 regex=${3:-}
  local targets=("${@:4}")
  echo
  echo "=== ${name}: configure and build (${preset}${regex:+, only ${targets[*]}}) ==="
  cmake --preset "$preset" > /dev/null
  if [ ${#targets[@]} -eq 0 ]; then
    cmake --build --preset "$preset" -j "$jobs"
  else
    cmake --build --preset "$preset" -j "$jobs" --target "${targets[@]}"
  fi
  echo "=== ${name}: test ==="
  local log="build/${preset}/ctest.log"
  local filter=()
  [ -n "$regex" ] && filter=(-R "$regex")
  set +e
  ctest --preset "$preset" -j "$jobs" "${filter[@]}" 2>&1 | tee "$log" | grep -E "tests passed|Failed|\*\*\*|Timeout|Exception" 
  local rc=${PIPESTATUS[0]}
  set -e
  local line passed failed
  line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log" | tail -1 || true)
  failed=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/p' <<<"$line")
  local out_of
  out_of=$(sed -nE 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/p' <<<"$line")
  failed=${failed:-1}
  out_of=${out_of:-0}
  passed=$((out_of - failed))
  echo "${name}: ${passed} passed, ${failed} failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$out_of" -eq 0 ]; then failed_configs+=("$name"); fi
}

# tally NAME PASSED FAILED: print the configuration's closing line and add it to the totals; a
# configuration that failed anything, or ran nothing, is a failed configuration.
tally() {
  local name=$1 passed=$2 failed=$3
  echo "${name}: ${passed} passed, ${failed} failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then failed_configs+=("$name"); fi
}

# node --test suites: count "# pass N" / "# fail N".
run_node_tests() {
  local name=$1 dir=$2
  echo "=== ${name}: node --test ${dir} ==="
  local log="build/wasm/${name}.log"
  set +e
  node --test "$dir" > "$log" 2>&1
  local rc=$?
  set -e
  grep -E "^not ok|^# (tests|pass|fail)" "$log" || true
  local passed failed
  passed=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -1)
  failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -1)
  passed=${passed:-0}
  failed=${failed:-1}
  [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  tally "$name" "$passed" "$failed"
}

# Each fuzzer that ran its time without a crash is one pass; a crash (or no run) is one failure.
run_fuzz() {
  echo
  echo "=== fuzz: build and run each fuzzer ${ACTORS_FUZZ_SECONDS:-30} s ==="
  mkdir -p build
  local log="build/fuzz.log"
  set +e
  ACTORS_JOBS="$jobs" bash scripts/fuzz.sh "${ACTORS_FUZZ_SECONDS:-30}" > "$log" 2>&1
  local rc=$?
  set -e
  grep -E "^[a-z_]+_fuzzer: |^fuzz: |invariant violated|ERROR" "$log" || tail -c 2000 "$log"
  local passed failed
  passed=$(grep -cE "^[a-z_]+_fuzzer: .*no crash$" "$log" || true)
  failed=$(grep -cE "^[a-z_]+_fuzzer: CRASH" "$log" || true)
  [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  tally fuzz "$passed" "$failed"
}

# The package checks print "package: N passed, M failed" themselves.
run_package() {
  echo
  echo "=== package: install + find_package, add_subdirectory, npm (node, Vite in Chromium) ==="
  mkdir -p build
  local log="build/package.log"
  set +e
  ACTORS_JOBS="$jobs" bash scripts/package_test.sh > "$log" 2>&1
  local rc=$?
  set -e
  grep -vE "^package: " "$log" || true
  local passed failed
  passed=$(sed -nE 's/^package: ([0-9]+) passed, ([0-9]+) failed$/\1/p' "$log" | tail -1)
  failed=$(sed -nE 's/^package: ([0-9]+) passed, ([0-9]+) failed$/\2/p' "$log" | tail -1)
  passed=${passed:-0}
  failed=${failed:-1}
  [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  tally package "$passed" "$failed"
}

for c in "${configs[@]}"; do
  case "$c" in
    # Every test runs under ASan+UBSan (a Debug build: asserts on) and TSan. Without a sanitizer
    # only what the sanitizer builds leave out: the real window under Xvfb (Mesa is not built
    # with ASan) and the fault test at its full million messages (a tenth under sanitizers).
    native) run_config native native-debug '^(DashboardCapture|RemoteFaults)\.' test_dashboard_capture test_remote_faults ;;
    asan) run_config asan native-asan ;;
    tsan) run_config tsan native-tsan ;;
    fuzz) run_fuzz ;;
    wasm)
      run_config wasm wasm
      # tests/js/link.test.mjs links JS actors to a native server process (the chat room).
      echo "=== js-api: the native chat server the link tests start ==="
      cmake --preset native-debug > /dev/null
      cmake --build --preset native-debug -j "$jobs" --target example_chat_server
      run_node_tests js-api tests/js/
      # The browser tests also watch a real native node (tests/browser/remote_dashboard.test.mjs).
      echo "=== browser: building the native node the page watches ==="
      cmake --preset native-debug > /dev/null
      cmake --build --preset native-debug -j "$jobs" --target example_inspected_node
      run_node_tests browser tests/browser/
      ;;
    package) run_package ;;
    *) echo "unknown configuration '$c' (use native, asan, tsan, fuzz, wasm, package)" >&2; exit 2 ;;
  esac
done

echo
if [ ${#failed_configs[@]} -ne 0 ]; then
  echo "FAILED configurations: ${failed_configs[*]}"
fi
echo "all configurations: ${total_passed} passed, ${total_failed} failed"
[ ${#failed_configs[@]} -eq 0 ]
