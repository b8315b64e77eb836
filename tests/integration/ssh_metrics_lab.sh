#!/bin/bash
# ssh_metrics_lab.sh — the two lab hosts as examples/kitestacks-lab.conf describes
# them, but without prom_selector, [prometheus] or [service] sections: each host's
# figures come from its /proc over its SSH session ("source": "ssh", never "proc"),
# and agree with this machine's /proc read here (the lab's hosts are this machine)
# within a tolerance; the containers of one name on both hosts are the services
# (implicit) of `status` and `status --json`; `check` counts the exited kavita
# (monk) and the unhealthy karakeep (kscloud1).  Then, with Prometheus, a wrong
# prom_selector's error names the instances Prometheus has.  Read-only use of the lab.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
. "$(cd "$(dirname "$0")/../lab" && pwd)/lib.sh"
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! lab_docker monk version >/dev/null 2>&1; then
	if [ "${KT_LAB_UP:-}" = 1 ]; then fail "the lab is not up (run: make lab)"; exit 1; fi
	echo "PASS: skipped (the lab is not up)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make)"; exit 1; }

# [kitetop] and the [host] sections of the lab's config, without prom_selector
CONF=$TMP/ssh-metrics.conf
awk '/^\[/ { keep = ($0 ~ /^\[(kitetop|host )/) }
     keep && !/^prom_selector/ && !/^audit_log/' examples/kitestacks-lab.conf >"$CONF"
# the lab's hosts are the machine that runs the tests, busy by design
printf '\n[alerts]\ncpu_warn = 99.9\ncpu_crit = 100\n' >>"$CONF"
if grep -q '^\[service\|^\[prometheus\|^prom_selector' "$CONF"; then
	fail "the test's config still has services or Prometheus"; cat "$CONF"
fi

# this machine's /proc and statfs of /, the same figures as kitetop's
local_view() {
	python3 - <<'PY'
import os, json
mem = {l.split(':')[0]: int(l.split()[1]) for l in open('/proc/meminfo')}
st = os.statvfs('/')
used = st.f_blocks - st.f_bfree
print(json.dumps({
    "mem_pct": 100.0 * (mem["MemTotal"] - mem["MemAvailable"]) / mem["MemTotal"],
    "disk_pct": 100.0 * used / (used + st.f_bavail),
    "load1": float(open('/proc/loadavg').read().split()[0]),
    "uptime_s": float(open('/proc/uptime').read().split()[0]),
}))
PY
}

local_view >"$TMP/before.json"
if ! $KT -c "$CONF" status --json >"$TMP/s.json" 2>"$TMP/err"; then
	: # a non-zero exit is the level (warn: kavita, karakeep); the JSON is what counts
fi
local_view >"$TMP/after.json"
if python3 - "$TMP/s.json" "$TMP/before.json" "$TMP/after.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
before, after = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
ok = True
def check(cond, what):
    global ok
    if not cond:
        ok = False
        print("  mismatch:", what)
# tolerances: memory moves with the other tests, load1 is a moving average
tol = {"mem_pct": 3.0, "disk_pct": 0.5, "load1": 2.0, "uptime_s": 5.0}
for h in d["hosts"]:
    m = h["metrics"]
    print("  %s: %s" % (h["name"], json.dumps(m)))
    check(m is not None and m["source"] == "ssh", "%s: source %s" % (h["name"], m and m["source"]))
    if m is None:
        continue
    check(m["error"] is None, "%s: error %s" % (h["name"], m["error"]))
    for k in ("cpu_pct", "mem_pct", "disk_pct", "net_rx_bps", "net_tx_bps", "load1", "uptime_s"):
        check(isinstance(m[k], (int, float)), "%s: %s is %r" % (h["name"], k, m[k]))
    if not all(isinstance(m[k], (int, float)) for k in tol):
        continue
    check(0 <= m["cpu_pct"] <= 100, "%s: cpu_pct %r" % (h["name"], m["cpu_pct"]))
    check(m["net_rx_bps"] >= 0 and m["net_tx_bps"] >= 0, "%s: net rates" % h["name"])
    for k, t in tol.items():
        lo, hi = min(before[k], after[k]) - t, max(before[k], after[k]) + t
        check(lo <= m[k] <= hi, "%s: %s %.2f not within [%.2f, %.2f] (this machine's /proc)" %
              (h["name"], k, m[k], lo, hi))
sys.exit(0 if ok and len(d["hosts"]) == 2 else 1)
PY
then
	pass "both hosts' figures come over ssh (source \"ssh\") and agree with this machine's /proc"
else
	fail "metrics over ssh"; cat "$TMP/err"
fi

# the containers' states as docker ps shows them
kavita=$(lab_docker monk ps -a --filter name=^kavita$ --format '{{.Status}}')
karakeep=$(lab_docker kscloud1 ps -a --filter name=^karakeep$ --format '{{.Status}}')
case "$kavita/$karakeep" in
Exited\ \(1\)*/*\(unhealthy\)*) ;;
*) fail "the lab is not in its designed state (kavita on monk: $kavita; karakeep on kscloud1: $karakeep)" ;;
esac

if python3 - "$TMP/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in d["services"] or []}
assert s, "no services"
assert all(x.get("implicit") is True for x in s.values()), "not all implicit"
assert "kite-litellm" not in s, "kite-litellm is on monk only"
assert s["kavita"]["hosts"]["monk"]["state"] == "exited", s["kavita"]
assert s["kavita"]["hosts"]["kscloud1"]["state"] == "running", s["kavita"]
assert s["karakeep"]["hosts"]["kscloud1"]["health"] == "unhealthy", s["karakeep"]
assert s["karakeep"]["hosts"]["monk"]["health"] == "healthy", s["karakeep"]
assert d["overall"] in ("warn", "crit"), d["overall"]
print("  %d implicit services, overall %s" % (len(s), d["overall"]))
PY
then
	pass "status --json: the implicit services, kavita exited on monk, karakeep unhealthy on kscloud1, overall not ok"
else
	fail "status --json services"
fi

$KT -c "$CONF" status >"$TMP/status.txt" 2>&1
if grep -q '^  kavita (implicit: on more than one host)$' "$TMP/status.txt" &&
   grep -A2 '^  kavita (implicit' "$TMP/status.txt" | grep -Eq '^    monk +exited$' &&
   grep -A2 '^  karakeep (implicit' "$TMP/status.txt" | grep -Eq '^    kscloud1 +running +unhealthy$'; then
	pass "status lists the implicit services with their states"
else
	fail "status text"; sed -n '/^services/,$p' "$TMP/status.txt"
fi

$KT -c "$CONF" check >"$TMP/check.txt" 2>&1; rc=$?
echo "  $(head -c 300 "$TMP/check.txt")"
if { [ $rc = 1 ] || [ $rc = 2 ]; } && grep -Eq '^KITETOP (WARNING|CRITICAL) ' "$TMP/check.txt" &&
   grep -q 'kscloud1: karakeep unhealthy' "$TMP/check.txt" && grep -q 'monk: kavita exited (1)' "$TMP/check.txt" &&
   grep -q 'containers_bad=2;' "$TMP/check.txt" && grep -q 'monk_cpu=[0-9.]*%' "$TMP/check.txt" &&
   grep -q 'kscloud1_mem=[0-9.]*%' "$TMP/check.txt"; then
	pass "check: exit $rc, kavita exited and karakeep unhealthy counted, figures in the perfdata"
else
	fail "check (exit $rc)"; cat "$TMP/check.txt"
fi

# A wrong prom_selector (monk's port) with Prometheus: monk's error names the
# instances Prometheus does scrape; kscloud1, right, has its figures from it.
awk '/^\[service/ { skip = 1 } /^\[/ && !/^\[service/ { skip = 0 } !skip' examples/kitestacks-lab.conf |
	sed 's/^prom_selector = instance="127.0.0.2:9100"/prom_selector = instance="127.0.0.2:9999"/' >"$TMP/wrong.conf"
$KT -c "$TMP/wrong.conf" status --json >"$TMP/wrong.json" 2>"$TMP/err"
if python3 - "$TMP/wrong.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
h = {x["name"]: x["metrics"] for x in d["hosts"]}
print("  monk:", h["monk"]["error"][:200])
assert h["monk"]["source"] == "prometheus" and h["monk"]["cpu_pct"] is None
assert 'no scrape target: up{instance="127.0.0.2:9999"} has no series; Prometheus has ' in h["monk"]["error"]
assert 'instance="127.0.0.2:9100" (node), instance="127.0.0.3:9100" (node)' in h["monk"]["error"]
assert h["kscloud1"]["source"] == "prometheus" and h["kscloud1"]["error"] is None
assert isinstance(h["kscloud1"]["mem_pct"], (int, float))
PY
then
	pass "a wrong prom_selector: the error lists the instances Prometheus has"
else
	fail "wrong prom_selector"; cat "$TMP/err"
fi

echo "ssh_metrics_lab: $fails failed"
[ $fails = 0 ]
