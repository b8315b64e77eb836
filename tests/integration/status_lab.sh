#!/bin/bash
# status_lab.sh — `kitetop status --json -c examples/kitestacks-lab.conf` against the
# real two-host lab, over SSH: both hosts' containers with states and health exactly
# as `docker ps` on each engine shows them, the missing container marked, and one
# host's dockerd hung, then stopped: that host's error within the timeout while the
# other stays fresh.  Restores the lab (tests/lab/up) at the end.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
. "$(cd "$(dirname "$0")/../lab" && pwd)/lib.sh"
cd "$(dirname "$0")/../.."
KT=./kitetop CONF=examples/kitestacks-lab.conf
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! lab_docker monk version >/dev/null 2>&1; then
	fail "the lab is not up (run: make lab)"; exit 1
fi

# docker ps's view: "name state health" (health none without a healthcheck)
docker_view() {
	lab_docker "$1" ps -a --format '{{.Names}} {{.State}} {{.Status}}' | awk '{
		h = "none"
		if ($0 ~ /\(healthy\)/) h = "healthy"
		else if ($0 ~ /\(unhealthy\)/) h = "unhealthy"
		else if ($0 ~ /health: starting/) h = "starting"
		print $1, $2, h }' | sort
}
kitetop_view() { # FILE HOST
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
h = [h for h in d["hosts"] if h["name"] == sys.argv[2]][0]
for c in h["containers"] or []:
    if c["state"] != "missing":
        print(c["name"], c["state"], c["health"])
PY
}

# States settle (health checks run every 10 s): compare until equal, at most 30 s.
for h in $LAB_HOSTS; do
	ok=0
	for _ in $(seq 1 15); do
		$KT -c $CONF status --json >"$TMP/s.json" 2>"$TMP/err" || break
		docker_view "$h" >"$TMP/docker.$h"
		kitetop_view "$TMP/s.json" "$h" | sort >"$TMP/kitetop.$h"
		if [ -s "$TMP/docker.$h" ] && cmp -s "$TMP/docker.$h" "$TMP/kitetop.$h"; then ok=1; break; fi
		sleep 2
	done
	if [ $ok = 1 ]; then
		pass "$h: status --json lists the $(wc -l <"$TMP/docker.$h") containers with the states and health docker ps shows"
	else
		fail "$h: status --json differs from docker ps"; diff "$TMP/docker.$h" "$TMP/kitetop.$h"; cat "$TMP/err"
	fi
done

python3 - "$TMP/s.json" <<'PY' && pass "reachable over ssh with a round trip; kite-litellm missing on kscloud1 only; overall warn" || fail "reachability, missing container or overall"
import json, sys
d = json.load(open(sys.argv[1]))
hs = {h["name"]: h for h in d["hosts"]}
for n in ("monk", "kscloud1"):
    assert hs[n]["reachable"] is True and hs[n]["error"] is None, hs[n]
    assert isinstance(hs[n]["ssh_rtt_ms"], (int, float)), hs[n]
miss = lambda n: [c["name"] for c in hs[n]["containers"] if c["state"] == "missing"]
assert miss("kscloud1") == ["kite-litellm"], miss("kscloud1")
assert miss("monk") == [], miss("monk")
assert d["overall"] == "warn", d["overall"]   # karakeep unhealthy, kavita exited, litellm missing
PY

python3 - "$TMP/s.json" <<'PY' && pass "both hosts' metrics from the lab's Prometheus (through monk's SSH), within bounds" || fail "metrics from Prometheus"
import json, sys
d = json.load(open(sys.argv[1]))
for h in d["hosts"]:
    m = h["metrics"]
    assert m["source"] == "prometheus" and m["error"] is None, m
    for k in ("cpu_pct", "mem_pct", "disk_pct"):
        assert 0 <= m[k] <= 100, (k, m)
    assert m["net_rx_bps"] >= 0 and m["load1"] >= 0 and m["uptime_s"] > 0, m
PY

python3 - "$TMP/s.json" <<'PY' && pass "postgres and redis of kscloud1 through its SSH: versions, connections, databases" || fail "postgres/redis sections"
import json, sys
d = json.load(open(sys.argv[1]))
pg, r = d["postgres"], d["redis"]
assert pg["ok"] is True and pg["error"] is None, pg
assert pg["version"].startswith("15."), pg
assert pg["max_connections"] > 0 and pg["connections"] >= 0
assert {"authentik", "forgejo"} <= {x["name"] for x in pg["databases"]}, pg["databases"]
assert r["ok"] is True and r["version"].startswith("7."), r
assert r["used_memory_bytes"] > 0 and r["connected_clients"] >= 1, r
PY

python3 - "$TMP/s.json" <<'PY' && pass "cloudflare: tunnel healthy, one connector per host matched by its connectorId, 4 connections each" || fail "cloudflare section"
import json, sys
d = json.load(open(sys.argv[1]))
cf = d["cloudflare"]
assert cf["error"] is None and cf["status"] == "healthy", cf
hosts = sorted(c["host"] for c in cf["connectors"])
assert hosts == ["kscloud1", "monk"], cf["connectors"]
for c in cf["connectors"]:
    assert c["connections"] == 4 and len(c["colos"]) == 2 and c["origin_ip"].startswith("127.0.0."), c
PY

out=$($KT -c $CONF check); rc=$?
first=$(echo "$out" | head -n 1)
if [ "$rc" = 1 ] && echo "$first" | grep -q '^KITETOP WARNING - 2 hosts: ' && [ ${#first} -lt 200 ] &&
   echo "$out" | grep -q 'kscloud1: kite-litellm missing'; then
	pass "check: WARNING (exit 1), a first line under 200 characters, naming the missing container"
else
	fail "check: rc=$rc $out"
fi

# One host's engine hangs (SIGSTOP): its snapshot is an error within the timeout
# (5 s, plus the SSH connection), the other host's containers stay.
pid=$(pid_of "$LAB_RUN/kscloud1/dockerd.pid")
kill -STOP "$pid"
t0=$(lab_ms)
$KT -c $CONF status --json >"$TMP/hung.json" 2>/dev/null
t1=$(lab_ms)
kill -CONT "$pid"
python3 - "$TMP/hung.json" <<'PY' && pass "kscloud1 dockerd hung: its error says timeout, monk's containers are there ($((t1 - t0)) ms)" || fail "kscloud1 dockerd hung"
import json, sys
d = json.load(open(sys.argv[1]))
hs = {h["name"]: h for h in d["hosts"]}
assert hs["kscloud1"]["containers"] is None, hs["kscloud1"]
assert "docker:" in hs["kscloud1"]["error"] and "timeout" in hs["kscloud1"]["error"], hs["kscloud1"]["error"]
assert len(hs["monk"]["containers"]) >= 12 and hs["monk"]["error"] is None, hs["monk"]
assert d["overall"] == "crit"
PY
[ $((t1 - t0)) -lt 9000 ] && pass "status with a hung engine returned in $((t1 - t0)) ms (timeout 5 s)" || fail "status with a hung engine took $((t1 - t0)) ms"

# The engine stopped: the error names it, the other host is unaffected.
stop_pid "kscloud1 dockerd" "$LAB_RUN/kscloud1/dockerd.pid" dockerd 20 >/dev/null
$KT -c $CONF status --json >"$TMP/down.json" 2>/dev/null
python3 - "$TMP/down.json" <<'PY' && pass "kscloud1 dockerd stopped: an error in words on kscloud1, monk fresh" || fail "kscloud1 dockerd stopped"
import json, sys
d = json.load(open(sys.argv[1]))
hs = {h["name"]: h for h in d["hosts"]}
assert hs["kscloud1"]["reachable"] is True      # ssh still answers
assert hs["kscloud1"]["containers"] is None and hs["kscloud1"]["error"].startswith("docker:"), hs["kscloud1"]
print(hs["kscloud1"]["error"])
assert len(hs["monk"]["containers"]) >= 12, hs["monk"]
PY
if bash tests/lab/up >"$TMP/up.log" 2>&1; then pass "the lab is restored (tests/lab/up)"; else fail "tests/lab/up after the test"; tail "$TMP/up.log"; fi

echo "status_lab: $fails failed"
[ "$fails" -eq 0 ]
