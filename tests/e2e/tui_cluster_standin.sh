#!/bin/sh
# View 7 live, against the Kubernetes API stand-in (tests/lab/kube-standin.py,
# scenario axiomlayer) reached through the lab's monk over SSH, as a K3s
# server's 127.0.0.1:6443 is (the kubeconfig read over that session): the four
# nodes side by side, the worst pods first, the strip; `status --json`'s
# "clusters" matches docs/status.schema.json; a node cordoned through the
# stand-in shows as such within seconds; the stand-in stopped: the API down in
# words, the nodes as last seen, marked stale, the header crit.  The stand-in
# is the test's own (127.0.0.170, stopped by its pid); monk is only read.
# Skips itself when the lab is not up.
. tests/e2e/e2e-lib
. tests/lab/kube-standin-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
sd=$E2E_TMP/standin
trap 'standin_stop "$sd"' EXIT
if ! standin_start "$sd" 127.0.0.170 6443 --scenario axiomlayer; then
	fail "the stand-in starts on 127.0.0.170:6443"; e2e_finish; exit 1
fi
conf=$E2E_TMP/cluster.conf
{
	printf '[kitetop]\nrefresh = 1\ntimeout = 3\n'
	lab_host monk 127.0.0.2 none
	printf '[cluster axiomlayer]\nvia = monk\napi = https://127.0.0.170:6443\nkubeconfig = remote:%s/k3s.yaml\n' "$sd"
} >"$conf"

# status --json: the clusters, checked against the schema
$KT -c "$conf" status --json >"$E2E_TMP/status.json"
check "status --json: the cluster's four nodes, a CrashLoopBackOff pod with OOMKilled" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/status.json'))
c = d['clusters'][0]
assert c['name'] == 'axiomlayer' and c['error'] is None, c['error']
assert sorted(n['name'] for n in c['nodes']) == ['bobcat', 'neko', 'neko2', 'panther']
assert any(p['status'] == 'CrashLoopBackOff' and p['last_reason'] == 'OOMKilled' for p in c['pods'])
assert c['api']['ok'] and c['api']['via'] == 'monk' and c['api']['etcd_members'] == 2
"
$KT -c "$conf" status --json --all >"$E2E_TMP/status-all.json"
check "status --json --all: every pod, those in trouble first" python3 -c "
import json
some = json.load(open('$E2E_TMP/status.json'))['clusters'][0]['pods']
every = json.load(open('$E2E_TMP/status-all.json'))['clusters'][0]['pods']
nodes = json.load(open('$E2E_TMP/status-all.json'))['clusters'][0]['nodes']
assert len(every) > len(some) and all(p['status'] == 'Running' for p in every[len(some):]), (len(some), len(every))
assert len(every) >= sum(n['pods'] for n in nodes), (len(every), sum(n['pods'] for n in nodes))
"
if python3 -c 'import jsonschema' 2>/dev/null; then
	check "status --json with a live cluster matches the schema" python3 -c "
import json
from jsonschema import Draft202012Validator
errs = list(Draft202012Validator(json.load(open('docs/status.schema.json'))).iter_errors(json.load(open('$E2E_TMP/status.json'))))
for e in errs[:5]: print('/'.join(map(str, e.path)), e.message[:200])
assert not errs
"
fi

e2e_start live 200 50 "$KT --read-only -c $conf"
check "the dashboard starts" wait_for live "1 Overview" 10
tm send-keys -t live 7
check "view 7: the API through monk, etcd's two members flagged" wait_re live "^axiomlayer  k3s v1\\.33\\.6\\+k3s1  api ● via monk  etcd 2/2 ▲" 15
check "the four nodes side by side" wait_re live "┏━ bobcat .*● Ready.*neko · ctrl·etcd .*neko2 · ctrl·etcd .*panther .*● Ready" 10
check "panther's worst pod first: the OOMKilled crash loop" wait_re live "│✖ outline/outline-[^ ]* +CrashLoopBackOff +14│$" 5
check "the strip: Argo CD, outline Degraded" wait_re live "│ Argo CD [0-9]+ apps .*▲ outline Degraded" 5
check "the strip: CNPG primary and its node" wait_re live "postgres 3/3 ● primary postgres-1@panther" 5
screen live >"$E2E_TMP/live-200x50.txt"

# cordon panther through the stand-in: the column says so
standin_curl "$sd" /api/v1/nodes/panther -s | python3 -c "
import json, sys
n = json.load(sys.stdin); n['spec']['unschedulable'] = True; print(json.dumps(n))" >"$E2E_TMP/panther.json"
standin_curl "$sd" /_standin/set -sf -o /dev/null -X POST --data-binary @"$E2E_TMP/panther.json"
check "a node cordoned shows within 3 s" wait_re live "┌─ panther .*▲ Ready, cordoned ─┐" 3

# the API gone: said in words, the nodes as last seen
standin_stop "$sd"
check "the API down: said in words" wait_re live "^axiomlayer  k3s v1\\.33\\.6\\+k3s1  api ✖ down: .* \\(nodes as last seen\\)" 20
check "the API down: the columns marked stale" wait_for live "(stale: the API is down; as last seen)" 5
check "the API down: the header is crit and names it" wait_re live "^ kitetop .* crit: axiomlayer: API down: " 5
tm send-keys -t live q
e2e_finish
