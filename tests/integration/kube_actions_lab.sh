#!/bin/bash
# kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others
# kube_actions_lab.sh — the Kubernetes actions from the command line against the API
# stand-in (tests/lab/kube-standin.py), reached THROUGH the lab's SSH (monk: the
# kubeconfig read over its session, the API through a direct-tcpip of it): cordon and
# uncordon with kubectl's exact requests (requests.jsonl), a rollout restart verified
# done, a drain held by a PodDisruptionBudget (429 retried, shown, a truthful
# timeout; then done once the budget is gone), reconcile / suspend / resume (Flux) and
# sync (Argo CD) in their scenarios, --dry-run sending nothing, read-only refusing,
# and the audit log's two lines.
#
# Private stand-ins on 127.0.0.155 (axiomlayer) and 127.0.0.156 (flux), stopped by pid
# at exit.  Skipped when the lab is not up.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
STANDIN_LIB_SELF=tests/lab/kube-standin-lib
. tests/lab/kube-standin-lib
KT=${KT:-./kitetop}
passed=0 fails=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
finish() { echo "integration kube_actions_lab.sh: $passed passed, $fails failed"; [ "$fails" -eq 0 ]; }

if [ ! -S tests/lab/run/monk/docker.sock ] || [ ! -r /run/kitetop-lab/operator_ed25519 ]; then
	echo "SKIP: the lab is not up (make lab)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make kitetop)"; finish; exit 1; }
TMP=$(mktemp -d /tmp/kt-kact.XXXXXX)
A=$TMP/axiom F=$TMP/flux
cleanup() { standin_stop "$A"; standin_stop "$F"; [ -n "${KT_KEEP:-}" ] || rm -rf "$TMP"; }
trap cleanup EXIT

standin_start "$A" 127.0.0.155 6443 --scenario axiomlayer || { fail "stand-in starts (axiomlayer)"; finish; exit 1; }
standin_start "$F" 127.0.0.156 6443 --scenario flux || { fail "stand-in starts (flux)"; finish; exit 1; }
cat >"$TMP/kitetop.conf" <<EOF
[kitetop]
timeout = 5
audit_log = $TMP/audit.log

[host monk]
address = 127.0.0.2
ssh = root@127.0.0.2:22
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = /run/kitetop-lab/known_hosts
docker = none

[cluster c]
via = monk
api = https://127.0.0.155:6443
kubeconfig = remote:$A/k3s.yaml

[cluster f]
via = monk
api = https://127.0.0.156:6443
kubeconfig = remote:$F/k3s.yaml
EOF
C="$KT -c $TMP/kitetop.conf"

# kt OUT ARGS...: runs kitetop, stdout+stderr in $TMP/OUT, its exit status in $TMP/OUT.rc
kt() { local out=$1; shift; $C "$@" >"$TMP/$out" 2>&1; echo $? >"$TMP/$out.rc"; }
rc_is() { [ "$(cat "$TMP/$1.rc")" = "$2" ] || { echo "  exit $(cat "$TMP/$1.rc"), output:"; sed 's/^/  | /' "$TMP/$1"; return 1; }; }
has() { grep -qF -- "$2" "$TMP/$1" || { echo "  '$2' not in:"; sed 's/^/  | /' "$TMP/$1"; return 1; }; }
# req DIR PYTHON-EXPR: a request of DIR/requests.jsonl (as r) satisfies it; count with reqn
reqn() {
	python3 - "$1/requests.jsonl" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    if eval(sys.argv[2]):
        n += 1
print(n)
PY
}
mutations() { reqn "$1" 'r["method"] in ("PATCH", "POST", "PUT", "DELETE") and not r["path"].startswith("/_standin")'; }
# node DIR NAME PY-EXPR over the node (as n)
obj() {
	standin_curl "$1" "$2" -s >"$TMP/obj.json" &&
		python3 -c 'import json,sys; n=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$TMP/obj.json" "$3"
}
audit_n() { [ -f "$TMP/audit.log" ] || { echo 0; return; }; grep -c -- "$1" "$TMP/audit.log" || true; }

# ---- dry run: only GETs ----
kt dry cordon c panther --dry-run
check "cordon --dry-run: exit 0" rc_is dry 0
check "cordon --dry-run: prints the PATCH it would send" \
	has dry 'PATCH /api/v1/nodes/panther?fieldManager=kitetop  application/strategic-merge-patch+json  {"spec":{"unschedulable":true}}'
check "cordon --dry-run: sends no PATCH, POST, PUT or DELETE" [ "$(mutations "$A")" = 0 ]
check "cordon --dry-run: nothing in the audit log" [ "$(audit_n '"action":"cordon"')" = 0 ]

# ---- read-only refuses before anything is sent ----
kt ro --read-only cordon c panther --yes
check "read-only: exit 1" rc_is ro 1
check "read-only: says so" has ro "kitetop: refused: read-only"
check "read-only: sends nothing" [ "$(mutations "$A")" = 0 ]
check "read-only: one refused line" [ "$(audit_n '"result":"refused","error":"read-only"')" = 1 ]

# ---- no --yes and no terminal to ask on: refused, nothing sent ----
$C cordon c panther </dev/null >"$TMP/noyes" 2>&1; echo $? >"$TMP/noyes.rc"
check "no --yes, no terminal: exit 1" rc_is noyes 1
check "no --yes, no terminal: the reason" has noyes '"Cordon panther in c?" needs a yes, and there is no terminal to ask on (give --yes)'
check "no --yes, no terminal: sends nothing" [ "$(mutations "$A")" = 0 ]
kt nocl cordon nowhere panther --yes
check "an unknown cluster: exit 1, the clusters named" rc_is nocl 1 && has nocl "kitetop: no cluster 'nowhere' in the configuration (clusters: c, f)"
kt badref rollout-restart c pod/default/x --yes
check "a kind it does not act on: exit 1, said" rc_is badref 1 && has badref "'pod' is not a kind kitetop acts on"

# ---- cordon / uncordon: kubectl's shapes, verified ----
kt cordon cordon c panther --yes
check "cordon: exit 0" rc_is cordon 0
check "cordon: says it" has cordon "panther cordoned (spec.unschedulable true)"
check "cordon: the node is unschedulable" obj "$A" /api/v1/nodes/panther 'n["spec"].get("unschedulable") is True'
check "cordon: kubectl's request, with ?fieldManager=kitetop" [ "$(reqn "$A" 'r["method"] == "PATCH" and r["path"] == "/api/v1/nodes/panther" and "fieldManager=kitetop" in r["query"] and r["content_type"] == "application/strategic-merge-patch+json" and r["body"] == "{\"spec\":{\"unschedulable\":true}}"')" = 1 ]
check "cordon: two audit lines (started, ok)" \
	[ "$(audit_n '"host":"c","target":"node/panther","action":"cordon","forced":false,"result":"started"')" = 1 ] &&
	[ "$(audit_n '"host":"c","target":"node/panther","action":"cordon","forced":false,"result":"ok"')" = 1 ]
kt again cordon c panther --yes
check "cordon again: nothing to do, nothing sent" has again "nothing to do: panther is already cordoned"
check "cordon again: still one PATCH" [ "$(reqn "$A" 'r["method"] == "PATCH"')" = 1 ]
kt uncordon uncordon c panther --yes
check "uncordon: exit 0" rc_is uncordon 0
check "uncordon: kubectl's null" [ "$(reqn "$A" 'r["method"] == "PATCH" and r["path"] == "/api/v1/nodes/panther" and r["body"] == "{\"spec\":{\"unschedulable\":null}}" and r["content_type"] == "application/strategic-merge-patch+json"')" = 1 ]
check "uncordon: the node is schedulable" obj "$A" /api/v1/nodes/panther 'not n["spec"].get("unschedulable")'
kt nonode cordon c cheetah --yes
check "an unknown node: exit 1, said" rc_is nonode 1 && has nonode "no node cheetah in cluster c"

# ---- rollout restart, verified done ----
kt restart rollout-restart c deploy/monitoring/grafana --yes --timeout 60s
check "rollout-restart: exit 0" rc_is restart 0
check "rollout-restart: verified done" has restart "Deployment/monitoring/grafana restarted (restartedAt 20"
check "rollout-restart: kubectl's body, strategic merge" [ "$(reqn "$A" 'r["method"] == "PATCH" and r["path"] == "/apis/apps/v1/namespaces/monitoring/deployments/grafana" and "fieldManager=kitetop" in r["query"] and r["content_type"] == "application/strategic-merge-patch+json" and r["body"].startswith("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"20")')" = 1 ]
check "rollout-restart: the template carries it" obj "$A" /apis/apps/v1/namespaces/monitoring/deployments/grafana \
	'"kubectl.kubernetes.io/restartedAt" in n["spec"]["template"]["metadata"]["annotations"]'

# ---- drain: the PDB's 429 retried and shown, a truthful timeout ----
tty_run() {   # OUT ARGS...: under a pty (progress is printed on a terminal only)
	local out=$1; shift
	script -qefc "$C $*" /dev/null </dev/null >"$TMP/$out" 2>&1; echo $? >"$TMP/$out.rc"
}
kt ddry drain-node c panther --dry-run
check "drain --dry-run: the plan" has ddry "Drain panther: cordon it, then evict 6 pods (4 DaemonSet and 0 static pods stay)."
check "drain --dry-run: the evictions it would send" \
	has ddry 'POST /api/v1/namespaces/default/pods/postgres-1/eviction  application/json  {"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"postgres-1","namespace":"default","creationTimestamp":null},"deleteOptions":{}}'
check "drain --dry-run: the CNPG primary named" has ddry "CNPG primary default/postgres-1 of postgres is on panther"
check "drain --dry-run: sends nothing" [ "$(reqn "$A" 'r["method"] == "POST" and r["path"].endswith("/eviction")')" = 0 ]
if command -v script >/dev/null; then
	tty_run drain drain-node c panther --yes --timeout 14s
else
	kt drain drain-node c panther --yes --timeout 14s
fi
check "drain held by the PDB: exit 1" rc_is drain 1
check "drain held by the PDB: the truthful end" \
	has drain "timed out: 1 pod not evicted (a disruption budget holds it): default/postgres-1 (5 evicted; panther stays cordoned)"
if command -v script >/dev/null; then
	check "drain: the retries shown" has drain "kitetop: waiting: default/postgres-1: "
	check "drain: retry 2 reached" has drain "(retry 2)"
fi
n429=$(reqn "$A" 'r["path"] == "/api/v1/namespaces/default/pods/postgres-1/eviction" and r.get("status") == 429')
check "drain: postgres-1 asked again every 5 s (3 answers 429 in 14 s, got $n429)" [ "$n429" -ge 3 ] && [ "$n429" -le 4 ]
check "drain: kubectl's eviction body" [ "$(reqn "$A" 'r["method"] == "POST" and r["path"].startswith("/api/v1/namespaces/n8n/pods/n8n-") and r["path"].endswith("/eviction") and r["content_type"] == "application/json" and r["body"] == "{\"kind\":\"Eviction\",\"apiVersion\":\"policy/v1\",\"metadata\":{\"name\":\"" + r["path"].split("/")[6] + "\",\"namespace\":\"n8n\",\"creationTimestamp\":null},\"deleteOptions\":{}}"')" = 1 ]
check "drain: DaemonSet pods left alone" [ "$(reqn "$A" 'r["path"].endswith("/eviction") and ("longhorn-manager" in r["path"] or "svclb" in r["path"] or "alloy" in r["path"])')" = 0 ]
check "drain: the node left cordoned" obj "$A" /api/v1/nodes/panther 'n["spec"].get("unschedulable") is True'
check "drain: audited failed with the words" [ "$(audit_n '"action":"drain-node","forced":false,"result":"failed","error":"timed out: 1 pod not evicted')" = 1 ]
# the budget gone: the same drain ends
standin_curl "$A" /_standin/delete -s -f -o /dev/null -X POST \
	--data '{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","namespace":"default","name":"postgres-primary"}'
kt drain2 drain-node c panther --yes --timeout 60s
check "drain without the budget: exit 0" rc_is drain2 0
check "drain without the budget: drained" has drain2 "panther drained: 1 evicted, 4 DaemonSet pods left"
check "drain: postgres-1 gone" [ "$(standin_curl "$A" /api/v1/namespaces/default/pods/postgres-1 -s -o /dev/null -w '%{http_code}')" = 404 ]
kt unc2 uncordon c panther --yes
check "uncordon after the drain" rc_is unc2 0

# ---- Argo CD sync ----
kt sync sync c plane --yes --timeout 60s
check "sync: exit 0" rc_is sync 0
check "sync: verified" has sync "Application/argocd/plane synced: operation Succeeded"
user=$(id -un)
check "sync: the operation as the UI sends it" [ "$(reqn "$A" 'r["method"] == "PATCH" and r["path"] == "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/plane" and r["content_type"] == "application/merge-patch+json" and r["body"] == "{\"operation\":{\"initiatedBy\":{\"username\":\"kitetop@'"$user"'\"},\"sync\":{\"syncStrategy\":{\"hook\":{}}}}}"')" = 1 ]

# ---- Flux ----
kt rec reconcile f ks/flux-system/infrastructure --yes --timeout 60s
check "reconcile: exit 0" rc_is rec 0
check "reconcile: handled and Ready" has rec "Kustomization/flux-system/infrastructure reconciled (requestedAt 20"
check "reconcile: flux's annotation, RFC3339Nano, merge patch" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/infrastructure" and r["content_type"] == "application/merge-patch+json" and r["body"].startswith("{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"20") and "." in r["body"]')" = 1 ]
kt recsus reconcile f hr/flux-system/external-dns --yes
check "reconcile of a suspended HelmRelease: refused" rc_is recsus 1 && has recsus "is suspended: resume it first"
kt sus suspend f hr/flux-system/loki --yes
check "suspend: exit 0, verified" rc_is sus 0 && has sus "HelmRelease/flux-system/loki suspended"
check "suspend: the merge patch" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/loki" and r["body"] == "{\"spec\":{\"suspend\":true}}"')" = 1 ]
kt res resume f hr/flux-system/loki --yes
check "resume: exit 0, verified" rc_is res 0 && has res "HelmRelease/flux-system/loki resumed"
check "resume: suspend false and a reconcile asked for, in one merge patch" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/loki" and r["content_type"] == "application/merge-patch+json" and r["body"].startswith("{\"spec\":{\"suspend\":false},\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"20")')" = 1 ]

# ---- the audit log: two lines for each action that ran ----
audit_pairs() {
	python3 - "$TMP/audit.log" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
started = {l["id"] for l in lines if l["result"] == "started"}
ended = {l["id"] for l in lines if l["result"] in ("ok", "failed", "unknown") and l["id"] in started}
print(len(started), len(ended))
sys.exit(0 if started == ended and len(started) >= 10 else 1)
PY
}
check "audit: every started line has its outcome with the same id" audit_pairs
finish
