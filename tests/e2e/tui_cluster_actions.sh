#!/bin/sh
# The Cluster view's action keys through tmux, against a private API stand-in
# (tests/lab/kube-standin.py, axiomlayer) reached through the lab's SSH
# (monk): 7, Tab to panther, c asks "Cordon panther in c?", y cordons it (the
# toast, the stand-in's node unschedulable, kubectl's PATCH); D shows the
# drain's plan in the dialog (the pods evicted, the DaemonSet pods that stay,
# the CNPG primary), n cancels and nothing is sent; D y drains until the
# PodDisruptionBudget of the CNPG primary holds it ("waiting: ... (retry 1)"
# in the progress box) and Esc cancels it, the node left cordoned; U uncordons; in
# read-only mode c only says "read-only".  Stand-in on 127.0.0.157, stopped by
# pid.  Skipped when the lab is not up.
. tests/e2e/e2e-lib
STANDIN_LIB_SELF=tests/lab/kube-standin-lib
. tests/lab/kube-standin-lib
if [ ! -S tests/lab/run/monk/docker.sock ] || [ ! -r /run/kitetop-lab/operator_ed25519 ]; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
# the stand-in's folder outside E2E_TMP (e2e_finish removes that, pid file and all)
SD=$(mktemp -d /tmp/kt-kui.XXXXXX)
S=$SD/standin
trap 'standin_stop "$S"; rm -rf "$SD"' EXIT
standin_start "$S" 127.0.0.157 6443 --scenario axiomlayer || { fail "stand-in starts"; e2e_finish; exit 1; }
conf=$E2E_TMP/kitetop.conf
{
	printf '[kitetop]\nrefresh = 1\ntimeout = 5\naudit_log = %s/audit.log\n\n' "$E2E_TMP"
	lab_host monk 127.0.0.2 none
	printf '\n[cluster c]\nvia = monk\napi = https://127.0.0.157:6443\nkubeconfig = remote:%s/k3s.yaml\n' "$S"
} >"$conf"
node_unsched() {   # panther's spec.unschedulable is $1 (true / false)
	standin_curl "$S" /api/v1/nodes/panther -s |
		python3 -c 'import json,sys; n=json.load(sys.stdin); sys.exit(0 if bool(n["spec"].get("unschedulable")) == (sys.argv[1] == "true") else 1)' "$1"
}
patches() { grep -c '"method": *"PATCH"' "$S/requests.jsonl" || true; }
posts() { grep -c '/eviction' "$S/requests.jsonl" || true; }

e2e_start k 200 50 "$KT -c $conf"
check "the dashboard starts" wait_for k "1 Overview" 10
tm send-keys -t k 7
check "7: the cluster's nodes" wait_re k "panther" 15
# Tab to panther (bobcat, neko, neko2, panther: the fourth)
tm send-keys -t k Tab Tab Tab
check "Tab Tab Tab: panther focused" wait_re k "┏━ panther" 5
tm send-keys -t k c
check "c: asks 'Cordon panther in c?'" wait_for k "Cordon panther in c?" 5
tm send-keys -t k y
check "y: the toast says it is cordoned" wait_for k "panther cordoned (spec.unschedulable true)" 20
check "the stand-in's panther is unschedulable" node_unsched true
check "kubectl's PATCH, once" [ "$(patches)" = 1 ]
check "the PATCH's body" grep -q '"body": *"{\\"spec\\":{\\"unschedulable\\":true}}"' "$S/requests.jsonl"
tm send-keys -t k D
check "D: asks 'Drain panther in c?'" wait_for k "Drain panther in c?" 5
check "D: the plan in the dialog" wait_for k "Drain panther: already cordoned, then evict" 3
check "D: the DaemonSet pods that stay" wait_for k "stay (DaemonSet) (4)" 3
tm send-keys -t k n
check "n: cancelled, nothing done" wait_for k "cancelled: nothing done" 3
check "n: no eviction sent" [ "$(posts)" = 0 ]
# y: the drain runs; postgres-1's disruption budget holds it, shown; Esc cancels
tm send-keys -t k D
check "D again: the dialog" wait_for k "Drain panther in c?" 5
tm send-keys -t k y
check "y: the progress says what holds it" wait_for k "The disruption budget postgres-primary" 20
check "y: the retry counted" wait_for k "(retry 1)" 10
check "the box says Esc cancels" wait_for k "Esc cancels it (what is done stays done)" 2
t0=$(date +%s%N)
tm send-keys -t k Escape
check "Esc: cancelled, how far it got, in a toast" \
	wait_for k "drain-node node/panther failed: cancelled: 1 pod not evicted (a disruption budget holds it)" 5
t1=$(date +%s%N)
echo "  (Esc to the cancelled toast: $(( (t1 - t0) / 1000000 )) ms)"
check "evictions were sent (the other pods)" [ "$(posts)" -ge 2 ]
check "the drain's cancel audited" grep -q '"action":"drain-node","forced":false,"result":"failed","error":"cancelled: ' "$E2E_TMP/audit.log"
check "panther stays cordoned" node_unsched true
tm send-keys -t k U
check "U: asks 'Uncordon panther in c?'" wait_for k "Uncordon panther in c?" 5
tm send-keys -t k y
check "y: uncordoned" wait_for k "panther uncordoned (schedulable again)" 20
check "the stand-in's panther is schedulable" node_unsched false
check "the audit log: two lines each (cordon, drain, uncordon)" [ "$(grep -c '"target":"node/panther"' "$E2E_TMP/audit.log")" = 6 ]
tm send-keys -t k q
wait_gone k "1 Overview" 5

e2e_start ro 200 50 "$KT -c $conf --read-only"
check "read-only: starts" wait_for ro "1 Overview" 10
tm send-keys -t ro 7
check "read-only: the nodes" wait_re ro "panther" 15
tm send-keys -t ro c
check "read-only: c only says read-only" wait_for ro "read-only" 5
check "read-only: nothing sent" [ "$(patches)" = 2 ]
tm send-keys -t ro q
standin_stop "$S"
e2e_finish
