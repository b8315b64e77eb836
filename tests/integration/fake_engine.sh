#!/bin/sh
# fake_engine.sh — bench/scale/fake_dockerd.py answers what kitetop reads:
# `kitetop status --json` against 2 fake engines x 20 containers lists
# every container of each, with the states, health and restarts the fake
# gives them, and the engines counted the requests (per endpoint) that
# kitetop made; a write (POST) is refused.  Private engines on unix sockets
# in a temporary folder, stopped by their pid.
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
TMP=$(mktemp -d)
trap '[ -s "$TMP/pid" ] && kill "$(cat "$TMP/pid")" 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP
passes=0; fails=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() { echo "integration fake_engine.sh: $passes passed, $fails failed"; [ "$fails" -eq 0 ]; exit $?; }
unset KITETOP_CONFIG
export XDG_STATE_HOME="$TMP/state"

python3 bench/scale/fake_dockerd.py --dir "$TMP" --hosts 2 --containers 20 --pidfile "$TMP/pid" \
	>"$TMP/log" 2>&1 &
n=100
while [ "$n" -gt 0 ] && ! { [ -S "$TMP/engine-1.sock" ] && [ -s "$TMP/pid" ]; }; do sleep 0.05; n=$((n - 1)); done
check "the fake engines listen" test -S "$TMP/engine-1.sock"
printf '[kitetop]\nrefresh = 2\ntimeout = 5\n\n[host fake0]\ndocker = unix://%s/engine-0.sock\n\n[host fake1]\ndocker = unix://%s/engine-1.sock\n' \
	"$TMP" "$TMP" >"$TMP/kt.conf"
"$KT" -c "$TMP/kt.conf" status --json >"$TMP/status.json" 2>"$TMP/status.err"
rc=$?
check "status --json ran (exit $rc: 0 ok, 1 warn, 2 crit; the fake has unhealthy and exited containers)" \
	test "$rc" -le 2
check "status --json: both hosts, 20 containers each, states as the fake made them" python3 - "$TMP/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
hosts = {h["name"]: h for h in d["hosts"]}
assert set(hosts) == {"fake0", "fake1"}, hosts.keys()
for name, h in hosts.items():
    assert h["reachable"], (name, h["error"])
    cs = {c["name"]: c for c in h["containers"]}
    assert len(cs) == 20, (name, len(cs))
    assert cs["svc-001"]["state"] == "running" and cs["svc-001"]["health"] == "healthy", cs["svc-001"]
    assert cs["job-007"]["health"] == "unhealthy", cs["job-007"]
    assert cs["svc-013"]["state"] == "exited", cs["svc-013"]
    assert cs["job-000"]["health"] == "none", cs["job-000"]
    assert cs["svc-011"]["restarts"] == (77 + int(name[-1])) % 5, cs["svc-011"]
    assert cs["svc-002"]["started_at"].endswith("Z"), cs["svc-002"]
PY
counters() { curl -s --max-time 5 --unix-socket "$TMP/engine-$1.sock" http://fake/_counters; }
check "the engine counted kitetop's requests per endpoint (the list once, an inspect a container)" \
	sh -c "curl -s --max-time 5 --unix-socket '$TMP/engine-0.sock' http://fake/_counters | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert c.get(\"containers/json\") == 1, c
assert c.get(\"containers/ID/json\", 0) >= 20, c
print(\"counters:\", c)'"
check "a write is refused (403)" test "$(curl -s -o /dev/null -w '%{http_code}' -X POST --max-time 5 \
	--unix-socket "$TMP/engine-0.sock" http://fake/v1.41/containers/svc-001/restart)" = 403
finish
