#!/usr/bin/env bash
# Builds the libFuzzer targets (the 'fuzz' preset: clang, ASan+UBSan) and runs each for a bounded
# time, starting from its seed corpus in fuzz/corpus/<target>/.
#   scripts/fuzz.sh              30 s per fuzzer (what CI runs)
#   scripts/fuzz.sh 600          10 minutes each: a longer hunt
#   scripts/fuzz.sh 60 event_stream_fuzzer   one fuzzer
# New inputs libFuzzer finds go to build/fuzz/corpus/<target>/ (not the repo); a crashing input is
# saved as build/fuzz/artifacts/<target>-crash-*, and can be replayed with
#   build/fuzz/fuzz/<target> build/fuzz/artifacts/<target>-crash-...
# Prints, per fuzzer, the executions, executions per second and "no crash"; exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(json_message_fuzzer event_stream_fuzzer mailbox_overflow_fuzzer remote_session_fuzzer remote_codec_fuzzer)
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [seconds] [target...]" >&2; exit 2 ;; esac

cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "${ACTORS_JOBS:-$(nproc)}" --target "${targets[@]}"

work=build/fuzz
mkdir -p "$work/artifacts"
failed=()
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t"
  mkdir -p "$corpus"
  log="$work/$t.log"
  echo "=== fuzz: $t (${seconds} s, seeds fuzz/corpus/$t) ==="
  set +e
  # Leaks are checked too (LeakSanitizer is part of ASan); one input at a time, bounded memory.
  "$work/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t-" "$corpus" "fuzz/corpus/$t" > "$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  secs=$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/p' "$log" | tail -1)
  runs=${runs:-0}
  rate=$(( runs / ( ${secs:-$seconds} > 0 ? ${secs:-$seconds} : 1 ) ))
  inputs=$(find "$corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ] && [ "$runs" -gt 0 ]; then
    echo "$t: ${runs} executions in ${secs:-?} s (${rate} exec/s), corpus ${inputs} inputs: no crash"
  else
    echo "$t: CRASH or error (exit $rc) after ${runs} executions; log $log:"
    grep -E "ERROR|SUMMARY|invariant|Test unit written|==[0-9]+==" "$log" | head -20 || tail -c 2000 "$log"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} fuzzers, no crash"
