#!/bin/sh
# The Kubernetes target: a cluster of 4 nodes x 150 pods (plus the
# axiomlayer scenario's own ~40 pods and its Argo CD, Longhorn and CNPG
# objects) on the API stand-in, reached through the lab's monk over SSH, every
# watch held.  Measures, with kitetop in view 7 (Cluster) of a 200x50 tmux pane
# and btop beside it in the same run:
#   - idle CPU over SECONDS (bench/idle.sh), and the ratio to btop's;
#   - resident memory at the end;
#   - a pod's state change to the screen: KT_BENCH_TRIALS (10) times, a
#     healthy bench pod is made CrashLoopBackOff through the stand-in's
#     /_standin/set, and the time from that request to the pane showing one
#     more "CrashLoopBackOff" is taken (capture-pane every 5 ms), then the pod
#     is put back and its leaving the screen awaited.
# Targets: CPU <= 1 % of a core with the watches held; a change on screen
# <= 1 s after the API sends it.
# usage: bench/kube.sh [SECONDS] — the stand-in on KT_BENCH_KUBE
# (127.0.0.166:6445).  Needs the lab up (tests/lab/up).
set -u
SECS=${1:-60}
ADDR=${KT_BENCH_KUBE:-127.0.0.166:6445}
KT=${KT:-./kitetop}
[ -r /run/kitetop-lab/operator_ed25519 ] || { echo "bench/kube.sh: the lab is not up (tests/lab/up)" >&2; exit 1; }
D=$(mktemp -d)
SOCK=kt-kube-bench-$$
STANDIN_LIB_SELF=tests/lab/kube-standin-lib . tests/lab/kube-standin-lib
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; standin_stop "$D/s"; rm -rf "$D"' EXIT
trap 'exit 1' INT TERM HUP
standin_start "$D/s" "${ADDR%:*}" "${ADDR#*:}" --scenario axiomlayer --pods-per-node 150 \
	--bookmark-ms 60000 || exit 1
cat >"$D/kube.conf" <<CONF
[kitetop]
refresh = 2
timeout = 5
[host monk]
address = 127.0.0.2
ssh = root@127.0.0.2:22
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = /run/kitetop-lab/known_hosts
docker = none
[cluster bench]
via = monk
api = https://$ADDR
kubeconfig = remote:$D/s/k3s.yaml
CONF
pods=$(standin_curl "$D/s" "/api/v1/namespaces/bench/pods" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
all=$(standin_curl "$D/s" "/api/v1/pods" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
echo "cluster: 4 nodes, $all pods ($pods of them the bench's), through monk's SSH"

echo "== idle, view 7, watches held"
KT_BENCH_KEYS=7 sh bench/idle.sh "$KT" "$D/kube.conf" "$SECS" 2>&1 | grep -E 'idle CPU|resident'

echo "== a pod's change to the screen"
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
tmux -L "$SOCK" -f /dev/null new-session -d -s kt -x 200 -y 50 "exec $KT -c $D/kube.conf"
python3 - "$D/s" "$SOCK" "${KT_BENCH_TRIALS:-10}" <<'PY'
import json, ssl, statistics, subprocess, sys, time, urllib.request
d, sock, trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = open(d + "/ready").read().split()[0].rsplit(":", 1)
ctx = ssl.create_default_context(cafile=d + "/ca.crt")
tok = open(d + "/token").read().strip()
def api(path, body=None):
    req = urllib.request.Request("https://%s:%s%s" % (host, port, path),
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"},
        method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        return json.loads(r.read() or b"null")
def screen():
    return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "kt"],
                          capture_output=True, text=True).stdout
def count():
    return screen().count("CrashLoopBackOff")
def wait(pred, limit):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.005)
    return False
subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "kt", "7"])
if not wait(lambda: "bench" in screen() and "Ready" in screen(), 30):
    print("the cluster never showed in view 7"); sys.exit(1)
time.sleep(3)                     # past the first lists and the first metrics
pods = [p for p in api("/api/v1/namespaces/bench/pods")["items"]][:trials]
took = []
for p in pods:
    base = count()
    bad = json.loads(json.dumps(p))
    bad.setdefault("apiVersion", "v1"); bad.setdefault("kind", "Pod")
    for c in bad["status"].get("containerStatuses", []):
        c["ready"] = False
        c["restartCount"] = 7
        c["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                                  "message": "back-off 5m0s restarting failed container"}}
    for c in bad["status"].get("conditions", []):
        if c["type"] in ("Ready", "ContainersReady"):
            c["status"] = "False"
    t0 = time.monotonic()
    api("/_standin/set", bad)
    if not wait(lambda: count() > base, 10):
        print("pod %s: not on screen after 10 s" % p["metadata"]["name"]); took.append(10000); continue
    took.append((time.monotonic() - t0) * 1000)
    good = json.loads(json.dumps(p)); good.setdefault("apiVersion", "v1"); good.setdefault("kind", "Pod")
    api("/_standin/set", good)
    wait(lambda: count() <= base, 10)
print("pod change to screen over %d trials: median %.0f ms, max %.0f ms (target <= 1000 ms)"
      % (len(took), statistics.median(took), max(took)))
PY
