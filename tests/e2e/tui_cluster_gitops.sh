#!/bin/sh
# The Cluster view's GitOps keys through tmux, against private API stand-ins
# (tests/lab/kube-standin.py) reached through the lab's SSH (monk).
# axiomlayer (Argo CD): s opens the pick list (the OutOfSync and Degraded
# applications first), Esc cancels with nothing sent, s again, j to
# Application/argocd/plane, Enter asks "Sync Application argocd/plane in c?",
# y sends argocd's merge patch (?fieldManager=kitetop) and the toast says the
# sync succeeded; in read-only mode the chosen sync is refused, nothing sent.
# flux: S lists the Flux objects only (suspend or resume by their state), loki
# is suspended then resumed (the list says resume for it in between), s
# reconciles Kustomization/flux-system/infrastructure: each the exact merge
# patch and its verified result on screen.  Stand-ins on 127.0.0.150 and
# 127.0.0.151, stopped by pid.  With the lab up the API is reached through
# monk's SSH (its remote kubeconfig); without it, from here (the
# stand-in's kubeconfig as a local file): the keys are the same.
. tests/e2e/e2e-lib
STANDIN_LIB_SELF=tests/lab/kube-standin-lib
. tests/lab/kube-standin-lib
lab=no
# the lab's monk answering SSH (its operator key and known_hosts in /run/kitetop-lab)
[ -S /run/kitetop-lab/monk/docker.sock ] && [ -r /run/kitetop-lab/operator_ed25519 ] && lab=yes
echo "  (the API reached $([ $lab = yes ] && echo "through monk's SSH" || echo "from here: the lab is not up"))"
SD=$(mktemp -d /tmp/kt-kgo.XXXXXX)
A=$SD/argo
F=$SD/flux
trap 'standin_stop "$A"; standin_stop "$F"; rm -rf "$SD"' EXIT
standin_start "$A" 127.0.0.150 6443 --scenario axiomlayer || { fail "stand-in (axiomlayer) starts"; e2e_finish; exit 1; }
conf() {   # conf NAME STANDIN-DIR ADDR
	printf '[kitetop]\nrefresh = 1\ntimeout = 5\naudit_log = %s/audit.log\n\n' "$E2E_TMP"
	if [ $lab = yes ]; then
		lab_host monk 127.0.0.2 none
		printf '\n[cluster %s]\nvia = monk\napi = https://%s:6443\nkubeconfig = remote:%s/k3s.yaml\n' "$1" "$3" "$2"
	else
		printf '[cluster %s]\napi = https://%s:6443\nkubeconfig = %s/k3s.yaml\n' "$1" "$3" "$2"
	fi
}
conf c "$A" 127.0.0.150 >"$E2E_TMP/argo.conf"
user=$(id -un)
# reqn DIR PYTHON-EXPR: how many requests of the stand-in match (r: one request)
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
wait_audit() {   # wait_audit EXTENDED-REGEX: until a line of the audit log matches (5 s)
	n=100
	while [ "$n" -gt 0 ]; do
		grep -Eq -- "$1" "$E2E_TMP/audit.log" 2>/dev/null && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}
patches() { grep -c '"method": *"PATCH"' "$1/requests.jsonl" || true; }
# pick SESSION REF: j down the open pick list to REF (its place in the list
# as drawn), then Enter
pick() {
	i=$(screen "$1" | python3 -c '
import re, sys
items = re.findall(r"(?:suspend |resume  )?((?:Kustomization|HelmRelease|GitRepository|Application)/[a-z0-9.-]+/[a-z0-9.-]+)", sys.stdin.read())
print(items.index(sys.argv[1]) if sys.argv[1] in items else -1)' "$2")
	[ "$i" -ge 0 ] || return 1
	while [ "$i" -gt 0 ]; do tm send-keys -t "$1" j; i=$((i - 1)); done
	tm send-keys -t "$1" Enter
}
# first_items SESSION N: the first N objects of the open list, one a line
first_items() {
	screen "$1" | python3 -c '
import re, sys
items = re.findall(r"(?:Kustomization|HelmRelease|GitRepository|Application)/[a-z0-9.-]+/[a-z0-9.-]+", sys.stdin.read())
print("\n".join(items[:int(sys.argv[1])]))' "$2"
}

e2e_start k 200 50 "$KT -c $E2E_TMP/argo.conf"
check "the dashboard starts" wait_for k "1 Overview" 10
tm send-keys -t k 7
check "7: the cluster's nodes" wait_re k "panther" 15
tm send-keys -t k s
check "s: the pick list opens" wait_for k "Reconcile or sync in c" 5
check "s: the Argo CD applications listed" wait_for k "Application/argocd/pocketbase" 3
check "s: OutOfSync and Degraded first" [ "$(first_items k 2 | sort | tr '\n' ' ')" = "Application/argocd/outline Application/argocd/plane " ]
check "s: the hint" wait_for k "j k move   Enter chooses   Esc cancels" 2
tm send-keys -t k Escape
check "Esc: cancelled" wait_for k "cancelled: nothing chosen" 3
check "Esc: the list is gone" wait_gone k "Reconcile or sync in c" 3
tm send-keys -t k s
check "s again: the list" wait_for k "Reconcile or sync in c" 5
check "j to plane, Enter" pick k Application/argocd/plane
check "Enter: asks 'Sync Application argocd/plane in c?'" wait_for k "Sync Application argocd/plane in c?" 5
check "nothing sent before y" [ "$(patches "$A")" = 0 ]
tm send-keys -t k y
check "y: the verified result on screen" wait_for k "Application/argocd/plane synced: operation Succeeded" 30
check "y: argocd's merge patch, once, ?fieldManager=kitetop" [ "$(reqn "$A" 'r["method"] == "PATCH" and r["path"] == "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/plane" and r["query"] == "fieldManager=kitetop" and r["content_type"] == "application/merge-patch+json" and r["body"] == "{\"operation\":{\"initiatedBy\":{\"username\":\"kitetop@'"$user"'\"},\"sync\":{\"syncStrategy\":{\"hook\":{}}}}}"')" = 1 ]
check "one PATCH in all" [ "$(patches "$A")" = 1 ]
check "the sync audited" grep -q '"target":"Application/argocd/plane"' "$E2E_TMP/audit.log"
tm send-keys -t k S
check "S in a cluster of Argo CD only: nothing to list, says so" wait_for k "c has no Flux object to suspend or resume" 5
check "S: no list opened" wait_gone k "Suspend or resume in c" 2
tm send-keys -t k q
wait_gone k "1 Overview" 5

e2e_start ro 200 50 "$KT -c $E2E_TMP/argo.conf --read-only"
check "read-only: starts" wait_for ro "1 Overview" 10
tm send-keys -t ro 7
check "read-only: the nodes" wait_re ro "panther" 15
tm send-keys -t ro s
check "read-only: the list" wait_for ro "Reconcile or sync in c" 5
check "read-only: Enter on plane" pick ro Application/argocd/plane
check "read-only: the sync refused in a toast (not the header's [read-only])" wait_re ro '(^|[^[])read-only([^]]|$)' 5
check "read-only: the refusal audited" wait_audit '"target":"Application/argocd/plane".*"result":"refused","error":"read-only"'
check "read-only: nothing sent" [ "$(patches "$A")" = 1 ]
tm send-keys -t ro q
wait_gone ro "1 Overview" 5
standin_stop "$A"

standin_start "$F" 127.0.0.151 6443 --scenario flux || { fail "stand-in (flux) starts"; e2e_finish; exit 1; }
conf f "$F" 127.0.0.151 >"$E2E_TMP/flux.conf"
e2e_start f 200 50 "$KT -c $E2E_TMP/flux.conf"
check "flux: starts" wait_for f "1 Overview" 10
tm send-keys -t f 7
check "flux: the cluster" wait_re f "flux-system|Kustomization|HelmRelease" 15
tm send-keys -t f S
check "S: the Flux objects" wait_for f "Suspend or resume in f" 5
check "S: the suspended one says resume" wait_for f "resume  HelmRelease/flux-system/external-dns" 3
check "S: loki says suspend" wait_for f "suspend HelmRelease/flux-system/loki" 3
check "S: pick loki" pick f HelmRelease/flux-system/loki
check "Enter: asks 'Suspend HelmRelease flux-system/loki in f?'" wait_for f "Suspend HelmRelease flux-system/loki in f?" 5
tm send-keys -t f y
check "y: suspended, verified" wait_for f "HelmRelease/flux-system/loki suspended" 30
check "suspend: the merge patch" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/loki" and r["query"] == "fieldManager=kitetop" and r["content_type"] == "application/merge-patch+json" and r["body"] == "{\"spec\":{\"suspend\":true}}"')" = 1 ]
tm send-keys -t f S
check "S again: loki now says resume" wait_for f "resume  HelmRelease/flux-system/loki" 10
check "S: pick loki again" pick f HelmRelease/flux-system/loki
check "Enter: asks 'Resume HelmRelease flux-system/loki in f?'" wait_for f "Resume HelmRelease flux-system/loki in f?" 5
tm send-keys -t f y
check "y: resumed, verified" wait_for f "HelmRelease/flux-system/loki resumed" 30
check "resume: the merge patch, a reconcile asked for in it" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/helm.toolkit.fluxcd.io/v2/namespaces/flux-system/helmreleases/loki" and r["query"] == "fieldManager=kitetop" and r["content_type"] == "application/merge-patch+json" and r["body"].startswith("{\"spec\":{\"suspend\":false},\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"20")')" = 1 ]
tm send-keys -t f s
check "s: the list" wait_for f "Reconcile or sync in f" 5
check "s: pick infrastructure" pick f Kustomization/flux-system/infrastructure
check "Enter: asks 'Reconcile Kustomization flux-system/infrastructure in f?'" wait_for f "Reconcile Kustomization flux-system/infrastructure in f?" 5
tm send-keys -t f y
check "y: reconciled, verified" wait_for f "Kustomization/flux-system/infrastructure reconciled" 30
check "reconcile: flux's annotation, merge patch" [ "$(reqn "$F" 'r["method"] == "PATCH" and r["path"] == "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/infrastructure" and r["query"] == "fieldManager=kitetop" and r["content_type"] == "application/merge-patch+json" and r["body"].startswith("{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"20")')" = 1 ]
check "three PATCHes in all" [ "$(patches "$F")" = 3 ]
tm send-keys -t f q
standin_stop "$F"
e2e_finish
