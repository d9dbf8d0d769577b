#!/usr/bin/env bash
# The whole test suite: installs what it needs, then builds and runs the GoogleTest suite natively,
# under AddressSanitizer+UndefinedBehaviorSanitizer, and under ThreadSanitizer.
#   scripts/test.sh              all three configurations
#   scripts/test.sh native asan  only those (any of: native asan tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

configs=("$@")
[ ${#configs[@]} -eq 0 ] && configs=(native asan tsan)

jobs=$(nproc)
total_passed=0
total_failed=0
failed_configs=()

run_config() {
  local name=$1 preset=$2
  echo
  echo "=== ${name}: configure and build (${preset}) ==="
  cmake --preset "$preset" > /dev/null
  cmake --build "build/${preset}" -j "$jobs"
  echo "=== ${name}: test ==="
  local log="build/${preset}/ctest.log"
  set +e
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$log" | grep -E "tests passed|Failed|\*\*\*|Timeout|Exception" 
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

for c in "${configs[@]}"; do
  case "$c" in
    native) run_config native native-debug ;;
    asan) run_config asan native-asan ;;
    tsan) run_config tsan native-tsan ;;
    *) echo "unknown configuration '$c' (use native, asan, tsan)" >&2; exit 2 ;;
  esac
done

echo
if [ ${#failed_configs[@]} -ne 0 ]; then
  echo "FAILED configurations: ${failed_configs[*]}"
fi
echo "all configurations: ${total_passed} passed, ${total_failed} failed"
[ ${#failed_configs[@]} -eq 0 ]
