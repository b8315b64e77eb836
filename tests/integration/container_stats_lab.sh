#!/bin/bash
# container_stats_lab.sh — a container's CPU % and memory as kitetop shows them (read
# from its cgroup files over monk's SSH session, one command a refresh) agree with
# `docker stats --no-stream`.  Against the running lab (read only but for one container
# of its own on monk's engine, i20-busy-PID: a busy loop held to half a core with
# --cpus 0.5, removed at the end); skipped when the lab is down.
# The two are measured one after the other (together, kitetop's start would take CPU
# from the loop during docker's window), five times: on a loaded machine the loop gets less than its half core and
# its share moves from second to second, so the CPU figures' means are compared.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
CONF=examples/kitestacks-lab.conf
SOCK=tests/lab/run/monk/docker.sock
IMAGE=kitestacks/busybox:lab
NAME=i20-busy-$$
TMP=$(mktemp -d)
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

dk() { docker -H "unix://$SOCK" "$@"; }
if ! command -v docker >/dev/null || ! dk info >/dev/null 2>&1; then
	echo "PASS: skipped (the lab is down: tests/lab/up)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make)"; exit 1; }
trap 'dk rm -f "$NAME" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
dk run -d --name "$NAME" --network host --cpus 0.5 "$IMAGE" sh -c 'while :; do :; done' >/dev/null ||
	{ fail "docker run $NAME"; exit 1; }
for _ in $(seq 1 50); do [ "$(dk inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] && break; sleep 0.1; done
check "$NAME runs on monk's engine" [ "$(dk inspect -f '{{.State.Running}}' "$NAME")" = true ]

for try in 1 2 3 4 5; do
	dk stats --no-stream --format '{{.CPUPerc}} {{.MemUsage}}' "$NAME" >"$TMP/ds-$try.txt"
	"$KT" -c "$CONF" status --json >"$TMP/st-$try.json" 2>/dev/null
done
if python3 - "$TMP" "$NAME" <<'PY'
import json, re, sys
tmp, name = sys.argv[1:3]
kc, km, dc, dm = [], [], [], []
for t in range(1, 6):
    doc = json.load(open("%s/st-%d.json" % (tmp, t)))
    c = [c for h in doc["hosts"] if h["name"] == "monk" for c in h["containers"] if c["name"] == name]
    assert c, "no %s in status --json" % name
    c = c[0]
    assert c["cpu_pct"] is not None and c["mem_bytes"] is not None, c
    ds = open("%s/ds-%d.txt" % (tmp, t)).read().split()
    m = re.match(r"([0-9.]+)([KMG]?i?B)", ds[1])
    kc.append(c["cpu_pct"]); km.append(c["mem_bytes"])
    dc.append(float(ds[0].rstrip("%")))
    dm.append(float(m.group(1)) * {"B": 1, "KiB": 1024, "MiB": 1 << 20, "GiB": 1 << 30}[m.group(2)])
    print("  kitetop: cpu %5.2f%% mem %d B; docker stats: cpu %5.2f%% mem %s" % (kc[-1], km[-1], dc[-1], ds[1]))
k, d = sum(kc) / 5, sum(dc) / 5
print("  mean of 5: kitetop %.2f%%, docker stats %.2f%%" % (k, d))
# each at most the quota (50 %, a little over for the window's edges), never 0
assert all(0 < v <= 55 for v in kc), kc
# CPU: the means within 5 points (each figure is a ~1 s window of its own)
assert abs(k - d) <= 5, "cpu"
# memory: docker stats rounds to 3 digits; within 5 % or 16 KiB, in at least 4
# of the 5 pairs (the two are read a moment apart: a first sample while the new
# container still settles read 468 KiB against kitetop's 224 KiB once, then
# 224 and 224 four times)
agree = sum(1 for a, b in zip(km, dm) if abs(a - b) <= max(0.05 * b, 16384))
assert agree >= 4, "mem: %d of 5 pairs agree" % agree
PY
then
	pass "kitetop's CPU % and memory of $NAME agree with docker stats"
else
	fail "kitetop's CPU % and memory of $NAME disagree with docker stats"
fi

echo "container_stats_lab: $fails failed"
[ $fails = 0 ]
