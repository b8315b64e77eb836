#!/bin/bash
# kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others
# docker_requests.sh — how many requests kitetop makes of a Docker engine per refresh.
# A private dockerd (started and stopped here, by its pid) with N idle containers, behind
# a proxy that logs every request (tests/support/docker_count_proxy.py); kitetop sees it
# as a host without SSH whose engine's socket is on this machine, so the containers'
# CPU and memory come from one read of their cgroup files a refresh, not from a stats
# request per container.  `kitetop record` polls it for 16 s at a 1 s refresh; after the
# first 6 s (first sight: one inspect per container) the engine must get at most 5
# requests a refresh, no stats request and no inspect (nothing changed: no periodic
# inspect).  Then `status --json` has cpu_pct and mem_bytes for the running ones.
# KT_BEFORE=path/to/an/older/kitetop: the same run with that binary, its figures printed
# (not asserted), for the before/after comparison.
# N: KT_DOCKER_REQ_N (60: at the old rate of a stats request per idle container every 30 s,
# more than 5 a refresh).  Needs dockerd and the lab image (from the lab's monk engine,
# read only: `docker save`); skipped without them.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
N=${KT_DOCKER_REQ_N:-60}
LAB_SOCK=${KT_LAB_DOCKER_SOCK:-tests/lab/run/monk/docker.sock}
IMAGE=kitestacks/busybox:lab
TMP=$(mktemp -d /tmp/kt-dkreq.XXXXXX)
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

if ! [ -x /usr/sbin/dockerd ] || ! command -v docker >/dev/null || ! [ -S "$LAB_SOCK" ]; then
	echo "PASS: skipped (needs dockerd, the docker CLI and the lab's image at $LAB_SOCK)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make)"; exit 1; }

S=$TMP/docker.sock
dk() { docker -H "unix://$S" "$@"; }
stop_all() {
	local pid
	pid=$(cat "$TMP/proxy.pid" 2>/dev/null) && [ -n "$pid" ] && kill "$pid" 2>/dev/null
	if pid=$(cat "$TMP/dockerd.pid" 2>/dev/null) && [ -n "$pid" ]; then
		dk ps -aq 2>/dev/null | xargs -r docker -H "unix://$S" rm -f >/dev/null 2>&1
		kill "$pid" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	umount "$TMP/exec/netns/default" 2>/dev/null
	rm -rf "$TMP"
}
trap stop_all EXIT
/usr/sbin/dockerd --host "unix://$S" --data-root "$TMP/data" --exec-root "$TMP/exec" \
	--pidfile "$TMP/dockerd.pid" --iptables=false --bridge=none \
	--cgroup-parent "/kt-dkreq-$$" --log-level warn >"$TMP/dockerd.log" 2>&1 &
for _ in $(seq 1 200); do dk info >/dev/null 2>&1 && break; sleep 0.1; done
check "private dockerd answers" dk info --format '{{.CgroupDriver}} v{{.CgroupVersion}}'
docker -H "unix://$LAB_SOCK" save "$IMAGE" | dk load -q >/dev/null
for i in $(seq 1 "$N"); do
	dk run -d --name "idle-$i" --network host "$IMAGE" sh -c 'while :; do sleep 1; done' >/dev/null ||
		{ fail "docker run idle-$i"; exit 1; }
done
check "$N containers run" [ "$(dk ps -q | wc -l)" = "$N" ]

# one run of binary $1 behind the proxy: its log in $TMP/req-$2.log
run_counted() {
	local bin=$1 tag=$2
	python3 tests/support/docker_count_proxy.py "$TMP/proxy.sock" "$S" "$TMP/req-$tag.log" &
	echo $! >"$TMP/proxy.pid"
	for _ in $(seq 1 50); do [ -S "$TMP/proxy.sock" ] && break; sleep 0.1; done
	cat >"$TMP/x.conf" <<EOC
[kitetop]
timeout = 5

[host eng]
address = 127.0.0.131
docker = unix://$TMP/proxy.sock
EOC
	touch "$TMP/req-$tag.log"
	"$bin" -c "$TMP/x.conf" --refresh 1 record "$TMP/rec-$tag" --for 16s >"$TMP/rec-$tag.out" 2>&1
	kill "$(cat "$TMP/proxy.pid")" 2>/dev/null; rm -f "$TMP/proxy.pid" "$TMP/proxy.sock"
	sed "s|unix://.*|unix://$S|" "$TMP/x.conf" >"$TMP/direct.conf"
	"$bin" -c "$TMP/direct.conf" status --json >"$TMP/status-$tag.json" 2>/dev/null
}

# "TOTAL STATS INSPECTS LISTS PER_REFRESH" over the steady part of a log: from 6 s after
# the first request to 16 s after it (the record's end), at a 1 s refresh
figures() {
	python3 - "$1" <<'PY'
import re, sys
rows = [l.split(" ", 2) for l in open(sys.argv[1]).read().splitlines() if l]
t0 = float(rows[0][0])
win = [r for r in rows if t0 + 6 <= float(r[0]) < t0 + 16]
stats = sum(1 for r in win if re.search(r"/containers/[^/]+/stats", r[2]))
insp = sum(1 for r in win if re.search(r"/containers/[^/]+/json", r[2]))
lists = sum(1 for r in win if "/containers/json" in r[2])
print(len(win), stats, insp, lists, "%.1f" % (len(win) / 10.0))
PY
}

if [ -n "${KT_BEFORE:-}" ]; then
	run_counted "$KT_BEFORE" before
	read -r tot st ins li per <<<"$(figures "$TMP/req-before.log")"
	echo "  before ($KT_BEFORE): $tot requests in 10 s with $N containers: $per a refresh" \
	     "($st stats, $ins inspects, $li lists)"
fi
run_counted "$KT" after
read -r tot st ins li per <<<"$(figures "$TMP/req-after.log")"
echo "  after: $tot requests in 10 s with $N containers: $per a refresh ($st stats, $ins inspects, $li lists)"
first=$(grep -c '/containers/[0-9a-f]*/json' "$TMP/req-after.log")
echo "  inspects over the whole run: $first (first sight: $N)"
# once at first sight, again only when an event names it (the last containers'
# start events can arrive after the first list): far from one a refresh (16 x N)
check "containers inspected at first sight and on their events only ($first: $N..$((N + N / 2)))" \
	[ "$first" -ge "$N" -a "$first" -le $((N + N / 2)) ]
check "at most 5 requests a refresh ($per)" python3 -c "import sys; sys.exit(0 if $per <= 5 else 1)"
check "no stats request: the figures come from the cgroups ($st)" [ "$st" = 0 ]
check "no inspect once every container was seen ($ins)" [ "$ins" = 0 ]
if python3 - "$TMP/status-after.json" "$N" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["hosts"][0]
cs = [c for c in h["containers"] if c["state"] == "running"]
assert len(cs) == int(sys.argv[2]), (len(cs), h.get("containers_error"))
bad = [c["name"] for c in cs if c["cpu_pct"] is None or c["mem_bytes"] is None or c["mem_bytes"] <= 0]
assert not bad, bad
print("  status --json: %d running, e.g. %s cpu %s%% mem %s" % (len(cs), cs[0]["name"], cs[0]["cpu_pct"], cs[0]["mem_bytes"]))
PY
then
	pass "status --json: cpu_pct and mem_bytes of every running container"
else
	fail "status --json lacks figures"; cat "$TMP/rec-after.out"
fi

echo "docker_requests: $fails failed"
[ $fails = 0 ]
