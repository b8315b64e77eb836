#!/bin/sh
# View 7, Cluster, through tmux on a recording of a K3s cluster shaped like
# axiomlayer (tests/fixtures/frames/axiomlayer.json: nodes neko, neko2,
# panther, bobcat NotReady with its host unreachable; n8n in CrashLoopBackOff
# after OOMKilled; Argo CD apps, n8n Degraded; a degraded Longhorn volume;
# CloudNativePG postgres 3/3, primary on neko), written here as `kitetop
# record` writes its files (docs/history.md) and drawn by `kitetop replay`:
# at 200x50 the nodes side by side with their states, the worst pod first and
# the cluster strip; at 80x24 one node with the node tabs (Tab moves); 50x20;
# at 40x15 the problems worst first; Enter on a node lists its pods with the
# selected one's detail, Esc goes back; the header's level counts the
# cluster.  Then a configuration without [cluster]: view 7 says how to add
# one.  Contacts nothing (a replay needs no host).
. tests/e2e/e2e-lib
rec=$E2E_TMP/axiomlayer.rec
python3 - tests/fixtures/frames/axiomlayer.conf tests/fixtures/frames/axiomlayer.json "$rec" <<'PY'
import calendar, gzip, json, sys, time
conf, doc, out = sys.argv[1:4]
text, d = open(conf).read(), open(doc).read()
when = json.loads(d)["generated_at"]
t = calendar.timegm(time.strptime(when, "%Y-%m-%dT%H:%M:%SZ")) * 1000
with gzip.open(out, "wt") as g:
    g.write(json.dumps({"kitetop_recording": 1, "version": "0.1.0", "config_path": conf,
                        "config": text, "started_at": when}) + "\n")
    g.write(json.dumps({"t": t, "key": d}) + "\n")
    # a second frame, ten minutes later (the replay, at its pace, stays on
    # the first until G): the API down, the cluster's last value kept (stale)
    d2 = json.loads(d)
    d2["generated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t // 1000 + 600))
    d2["clusters"][0]["error"] = "dial tcp 127.0.0.1:6443: connect: connection refused"
    g.write(json.dumps({"t": t + 600000, "key": json.dumps(d2, indent="\t")}) + "\n")
PY
check "the recording is written" test -s "$rec"

e2e_start cl 200 50 "$KT replay $rec"
check "200x50: the replay draws" wait_for cl "REPLAY" 10
tm send-keys -t cl g 7
check "200x50: view 7, the cluster and its API" wait_re cl "^axiomlayer  k3s v1\\.33\\.6\\+k3s1  api ● via neko  etcd 2/2 ▲" 5
check "200x50: the header's level: crit" wait_re cl "^ kitetop .*7 Cluster .* crit: " 3
check "200x50: the four nodes side by side with their states" wait_re cl \
	"neko · ctrl·etcd .*● Ready .*neko2 · ctrl·etcd .*● Ready .*panther .*● Ready .*bobcat .*✖ NotReady  ssh ✖" 3
check "200x50: bobcat's host unreachable, in its column" wait_for cl "host unreachable: ssh: connect to 127.0.0.173:22" 3
check "200x50: the pod tables" wait_re cl "^┃  POD .*STATE.*RST┃" 3
screen cl >"$E2E_TMP/200x50.txt"
check "200x50: the first row under neko's POD header is the crash" sh -c \
	"grep -A1 '^┃  POD' '$E2E_TMP/200x50.txt' | sed -n 2p | grep -q '^┃✖ n8n/n8n-7c9d8f-q8zx  *CrashLoopBackOff  *14┃'"
check "200x50: requests and pods n/max" grep -q "REQ cpu 62%  mem 48%   pods 34/110" "$E2E_TMP/200x50.txt"
check "200x50: a DaemonSet's pod missing on bobcat is ≠" grep -q "✖ ≠longhorn-system/" "$E2E_TMP/200x50.txt"
check "200x50: the strip: Argo CD" grep -q "│ Argo CD 7 apps  5 ● Synced·Healthy   ▲ n8n Degraded" "$E2E_TMP/200x50.txt"
check "200x50: the strip: Longhorn degraded" grep -q "│ Longhorn 3 vol  2 ● healthy   ▲ pvc-n8n-data degraded 2/3 (neko)" "$E2E_TMP/200x50.txt"
check "200x50: the strip: CNPG primary and node" grep -q "│ CNPG 1 cluster   postgres 3/3 ● primary postgres-1@neko" "$E2E_TMP/200x50.txt"
check "200x50: the strip: workloads, DaemonSets ≠" grep -q "│ Workloads  ✖ n8n 0/1 failed  ▲ plane-api 0/1  ds ≠longhorn-manager 3/4" "$E2E_TMP/200x50.txt"
check "200x50: the strip: Warning events" grep -q "│ Events  ▲ 1m Pod/n8n/n8n-7c9d8f-q8zx BackOff" "$E2E_TMP/200x50.txt"
cp "$E2E_TMP/200x50.txt" "${KT_E2E_CAPTURES:-$E2E_TMP}/cluster-200x50.txt" 2>/dev/null

# Enter: bobcat in full (Tab three times), its pods and the selected one's detail
tm send-keys -t cl Tab Tab Tab
check "Tab: the focus moves to bobcat's column" wait_re cl "^.*┏━ bobcat ━" 3
tm send-keys -t cl Enter
check "Enter: bobcat in full" wait_for cl "bobcat  (Esc: back)" 3
check "Enter: the selected pod's detail" wait_re cl "on bobcat: Unknown, ready 0/1, 0 restarts, age 1d" 3
tm send-keys -t cl j
check "j: the next pod's detail" wait_re cl "longhorn-system/longhorn-manager-x7k2p on bobcat: Unknown" 3
tm send-keys -t cl Escape
check "Esc: the columns again" wait_gone cl "(Esc: back)" 3

tm resize-window -t cl -x 80 -y 24
check "80x24: one node at a time, with the node tabs" wait_re cl "^ neko ●   neko2 ●   panther ●  \\[bobcat ✖\\]" 5
tm send-keys -t cl Tab
check "80x24: Tab wraps to neko" wait_re cl "^\\[neko ●\\]  neko2 ●   panther ●   bobcat ✖" 3
check "80x24: neko's crash with its last reason" wait_re cl "✖ n8n/n8n-7c9d8f-q8zx +CrashLoopBackOff +14 OOMKilled" 3
check "80x24: the strip in one-line rows" wait_re cl "^Longhorn 3 vol  2 ● healthy   ▲ pvc-n8n-data degraded" 3
check "80x24: the header keeps the level" wait_re cl "^ kitetop .* crit: " 3
screen cl >"${KT_E2E_CAPTURES:-$E2E_TMP}/cluster-80x24.txt"

tm resize-window -t cl -x 50 -y 20
check "50x20: neko's column and the tabs" wait_re cl "^\\[neko ●\\]  neko2 ●" 5
check "50x20: the crash listed" wait_re cl "✖ n8n/n8n-7c9d8f-q8zx +CrashLoopBackOff" 3

tm resize-window -t cl -x 40 -y 15
check "40x15: the problems worst first: the failed rollout" wait_re cl "^✖ Deployment n8n/n8n rollout failed" 5
check "40x15: bobcat NotReady among them" wait_re cl "^▲ bobcat NotReady" 3

# the second frame: the API down; the nodes as last seen, marked stale
tm resize-window -t cl -x 200 -y 50
tm send-keys -t cl G
check "API down: said in words on the API line" wait_re cl "^axiomlayer  k3s v1\.33\.6\+k3s1  api ✖ down: dial tcp 127\.0\.0\.1:6443: connect: connection refused \(nodes as last seen\)" 5
check "API down: each node's column marked stale" wait_for cl "(stale: the API is down; as last seen)" 3
check "API down: the nodes still shown" wait_re cl "neko · ctrl·etcd .*bobcat .*✖ NotReady" 3
check "API down: the header is crit" wait_re cl "^ kitetop .* crit: " 3
tm kill-session -t cl

# no [cluster] and none recorded: view 7 says how to configure one
printf '[kitetop]\nrefresh = 1\n[host here]\ndocker = none\n' >"$E2E_TMP/none.conf"
e2e_start nc 120 30 "$KT -c $E2E_TMP/none.conf"
check "no cluster: the dashboard starts" wait_for nc "1 Overview" 10
tm send-keys -t nc 7
check "no cluster: view 7 says how to configure one" wait_for nc "No Kubernetes cluster is configured." 5
check "no cluster: with a [cluster] example" wait_for nc "[cluster axiomlayer]" 3
tm send-keys -t nc q
e2e_finish
