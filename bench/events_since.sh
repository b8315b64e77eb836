#!/bin/sh
# bench/events_since.sh — `kitetop events --since 1h` over a month of a
# two-host lab's events, in a temporary XDG_STATE_HOME: 30 days at ~300
# events a day, then a log at its rotation cap (30 days at 2,500 a day, the
# oldest rotated away), each with an audit log of four actions a day.
# Prints the log's size and the median (and worst) of KT_BENCH_RUNS runs
# (default 11), and kitetop's start-up alone (--version) for comparison.
# Judges nothing.  Run by `make bench-events`.
set -eu
cd "$(dirname "$0")/.."
KT=${KT:-./kitetop}
GEN=${GEN:-build/bench/events_gen}
RUNS=${KT_BENCH_RUNS:-11}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '[host here]\n' >"$tmp/kt.conf"

# timeit LABEL STATE_HOME ARGS...: median and max wall time of RUNS runs
timeit() {
	label=$1; state=$2; shift 2
	XDG_STATE_HOME=$state python3 - "$RUNS" "$label" "$@" <<'PY'
import subprocess, sys, time
runs, label, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times, lines = [], 0
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    times.append((time.perf_counter() - t) * 1000)
    lines = out.count(b"\n")
times.sort()
print(f"  {label}: median {times[len(times) // 2]:.1f} ms, max {times[-1]:.1f} ms ({lines} lines out)")
PY
}

echo "kitetop events --since 1h, $RUNS runs each, $(nproc) cores, $(uname -sr)"
for per_day in 300 2500; do
	state=$tmp/s$per_day
	"$GEN" "$state/kitetop/events.jsonl" "$state/kitetop/audit.log" 30 "$per_day"
	log=$(ls "$state"/kitetop/events.jsonl "$state"/kitetop/events.jsonl.[0-9] 2>/dev/null || true)
	bytes=$(cat $log | wc -c)
	lines=$(cat $log | wc -l)
	files=$(echo "$log" | wc -l)
	echo "30 days x $per_day events/day: log $(awk "BEGIN {printf \"%.2f\", $bytes / 1048576}") MiB in $files files, $lines events"
	timeit "events --since 1h" "$state" "$KT" -c "$tmp/kt.conf" events --since 1h
	timeit "events --since 1h --json" "$state" "$KT" -c "$tmp/kt.conf" events --since 1h --json
	timeit "events (all of them)" "$state" "$KT" -c "$tmp/kt.conf" events
done
timeit "start-up alone (kitetop --version)" "$tmp" "$KT" --version
