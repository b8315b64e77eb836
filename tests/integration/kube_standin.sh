#!/bin/bash
# kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others
# kube_standin.sh — the Kubernetes API stand-in (tests/lab/kube-standin.py) checked with
# curl for the protocol details and with the real kubectl as the conformance oracle.
#
# Stand-ins on 127.0.0.160 (axiomlayer), .161 (flux), .162 (403 on list pods, expired
# certificates), .163 (4 nodes x 150 pods), each on a free port, stopped by pid at exit.
# kubectl uses a copy of the written k3s.yaml whose server points at the stand-in; its
# requests (requests.jsonl) are compared with the shapes kubectl 1.33 is known to send
# for cordon, uncordon, rollout restart and drain.  Without kubectl those checks are
# skipped (said so); the curl checks still run.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
STANDIN_LIB_SELF=tests/lab/kube-standin-lib
. tests/lab/kube-standin-lib
TMP=$(mktemp -d /tmp/kt-kube.XXXXXX)
A=$TMP/axiom F=$TMP/flux R=$TMP/rbac X=$TMP/expired B=$TMP/bench
passed=0 fails=0
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
cleanup() {
	local d
	for d in "$A" "$F" "$R" "$X" "$B"; do standin_stop "$d"; done
	for p in $(cat "$TMP"/bg.pid 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# jx FILE PYTHON-EXPR: the expression over the JSON in FILE (as d) is true
jx() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2" 2>/dev/null; }
# until SECONDS CMD...: CMD succeeds before the deadline
until_ok() {
	local end=$(($(date +%s) + $1)); shift
	while ! "$@"; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.1; done
}
sc() { standin_curl "$@"; }           # DIR PATH [curl args]
code() { local d=$1 p=$2; shift 2; sc "$d" "$p" -o "$TMP/body" -w '%{http_code}' "$@"; }
bg() { "$@" 2>>"$TMP/bg.err" & echo $! >>"$TMP/bg.pid"; }
# watch_to FILE PATH: a watch of PATH from the current RV into FILE, in the background,
# registered before it returns (timing-free checks of what happens next)
watch_to() {
	local rv n
	rv=$(sc "$A" /_standin/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["resourceVersion"])')
	n=$(sc "$A" /_standin/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["open_watches"])')
	bg sc "$A" "$2&resourceVersion=$rv&watch=1" -N -o "$1"
	until_ok 10 eval '[ "$(sc "$A" /_standin/stats | python3 -c "import json,sys; print(json.load(sys.stdin)[\"open_watches\"])")" -gt "$n" ]'
}
# events FILE PYTHON-EXPR: the expression over the watch events in FILE (as ev) is true
events() { python3 -c 'import json,sys; ev=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2" 2>/dev/null; }

standin_start "$A" 127.0.0.160 0 --scenario axiomlayer --bookmark-ms 300 ||
	{ fail "stand-in starts (axiomlayer)"; exit 1; }
standin_start "$F" 127.0.0.161 0 --scenario flux || { fail "stand-in starts (flux)"; exit 1; }
AU=$(standin_url "$A"); AP=${AU##*:}

# ---- files, TLS, auth ----
check "k3s.yaml is mode 0600" [ "$(stat -c %a "$A/k3s.yaml")" = 600 ]
check "k3s.yaml is K3s-shaped (server https://127.0.0.1:PORT, names default, data fields)" \
	python3 - "$A/k3s.yaml" "$AP" <<'PY'
import sys, base64
t = open(sys.argv[1]).read()
need = ["server: https://127.0.0.1:%s\n" % sys.argv[2], "  name: default\n", "- name: default\n",
        "current-context: default\n", "certificate-authority-data: ", "client-certificate-data: ",
        "client-key-data: "]
assert all(n in t for n in need), [n for n in need if n not in t]
for line in t.splitlines():
    if "-data: " in line:
        assert base64.b64decode(line.split(": ")[1]).startswith(b"-----BEGIN")
PY
check "the server certificate names IP 127.0.0.1 and the stand-in's address" \
	sh -c "openssl x509 -in '$A/pki/server.crt' -noout -ext subjectAltName | grep -q 'IP Address:127.0.0.1, IP Address:10.43.0.1, IP Address:127.0.0.160'"
check "the certificate verifies as https://127.0.0.1:PORT (k3s.yaml's URL)" \
	curl -sSf --cacert "$A/ca.crt" --cert "$A/client.crt" --key "$A/client.key" \
	--connect-to "127.0.0.1:$AP:127.0.0.160:$AP" "https://127.0.0.1:$AP/version" -o /dev/null
c=$(curl -s --cacert "$A/ca.crt" -o "$TMP/body" -w '%{http_code}' "$AU/api/v1/nodes")
check "401 without credentials, Status Unauthorized" \
	eval '[ "$c" = 401 ] && [ "$(cat "$TMP/body")" = '\''{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}'\'' ]'
c=$(curl -s --cacert "$A/ca.crt" -H 'Authorization: Bearer nope' -o /dev/null -w '%{http_code}' "$AU/api/v1/nodes")
check "401 with a wrong token" [ "$c" = 401 ]
check "the bearer token works" eval '[ "$(code "$A" /version)" = 200 ] && jx "$TMP/body" "d[\"gitVersion\"] == \"v1.33.6+k3s1\""'
check "the client certificate works" curl -sSf --cacert "$A/ca.crt" --cert "$A/client.crt" \
	--key "$A/client.key" "$AU/api/v1/nodes/neko" -o /dev/null

# ---- discovery ----
sc "$A" /api/v1 >"$TMP/v1.json"
check "/api/v1 has pods/eviction (policy/v1 Eviction)" jx "$TMP/v1.json" \
	'any(r["name"]=="pods/eviction" and r["group"]=="policy" and r["version"]=="v1" and r["kind"]=="Eviction" for r in d["resources"])'
sc "$A" /apis >"$TMP/apis.json"; sc "$F" /apis >"$TMP/fapis.json"
check "axiomlayer serves argoproj.io, longhorn.io, postgresql.cnpg.io, no Flux" jx "$TMP/apis.json" \
	'{"argoproj.io","longhorn.io","postgresql.cnpg.io","metrics.k8s.io","apps","policy"} <= {g["name"] for g in d["groups"]} and not any("fluxcd" in g["name"] for g in d["groups"])'
check "flux serves the Flux groups, no Argo nor CNPG" jx "$TMP/fapis.json" \
	'{"kustomize.toolkit.fluxcd.io","helm.toolkit.fluxcd.io","source.toolkit.fluxcd.io","longhorn.io"} <= {g["name"] for g in d["groups"]} and not {"argoproj.io","postgresql.cnpg.io"} & {g["name"] for g in d["groups"]}'
check "an absent CRD group is 404" [ "$(code "$F" /apis/argoproj.io/v1alpha1/applications)" = 404 ]
check "/readyz?verbose has [+]etcd ok" eval 'sc "$A" "/readyz?verbose" | grep -qx "\[+\]etcd ok"'
check "/livez answers ok" [ "$(sc "$A" /livez)" = ok ]

# ---- list ----
sc "$A" /api/v1/pods >"$TMP/all.json"
npods=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/all.json")
check "pods list has the scenario's pods ($npods)" [ "$npods" -ge 40 ]
check "the trouble is there: OOMKilled last state, ImagePullBackOff, init, Terminating, Evicted" jx "$TMP/all.json" '
  any(c.get("lastState",{}).get("terminated",{}).get("reason")=="OOMKilled" and c["state"]["waiting"]["reason"]=="CrashLoopBackOff" for p in d["items"] for c in p["status"].get("containerStatuses",[]))
  and any(c["state"].get("waiting",{}).get("reason")=="ImagePullBackOff" for p in d["items"] for c in p["status"].get("containerStatuses",[]))
  and any(p["status"].get("initContainerStatuses") and p["status"]["phase"]=="Pending" for p in d["items"])
  and any(p["metadata"].get("deletionTimestamp") for p in d["items"])
  and any(p["status"].get("reason")=="Evicted" for p in d["items"])'
pages=0 rvs= tok=
: >"$TMP/names"
while :; do
	sc "$A" "/api/v1/pods?limit=7${tok:+&continue=$tok}" >"$TMP/page.json"
	pages=$((pages + 1))
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(p["metadata"]["namespace"]+"/"+p["metadata"]["name"] for p in d["items"]))' "$TMP/page.json" >>"$TMP/names"
	rvs="$rvs $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["resourceVersion"])' "$TMP/page.json")"
	tok=$(python3 -c 'import json,sys,urllib.parse as u; print(u.quote(json.load(open(sys.argv[1]))["metadata"].get("continue",""),safe=""))' "$TMP/page.json")
	[ "$pages" = 1 ] && first_tok=$tok
	[ -z "$tok" ] && break
	[ "$pages" -gt 100 ] && break
done
check "limit+continue: $pages pages, all items once, one resourceVersion" \
	eval '[ "$(sort -u "$TMP/names" | wc -l)" = "$npods" ] && [ "$(wc -l <"$TMP/names")" = "$npods" ] && [ "$(echo $rvs | tr " " "\n" | sort -u | wc -l)" = 1 ] && [ "$pages" -gt 2 ]'
sc "$A" '/api/v1/pods?fieldSelector=spec.nodeName%3Dbobcat&limit=500' >"$TMP/bob.json"
check "fieldSelector spec.nodeName=bobcat" jx "$TMP/bob.json" 'd["items"] and all(p["spec"]["nodeName"]=="bobcat" for p in d["items"])'
sc "$A" '/api/v1/events?fieldSelector=type%3DWarning' >"$TMP/ev.json"
check "fieldSelector type=Warning; some events have null lastTimestamp with eventTime and series" jx "$TMP/ev.json" \
	'd["items"] and all(e["type"]=="Warning" for e in d["items"]) and any(e["lastTimestamp"] is None and e.get("eventTime") and e.get("series") for e in d["items"])'
sc "$A" '/api/v1/namespaces/default/pods?labelSelector=cnpg.io%2Fcluster%3Dpostgres' >"$TMP/pg.json"
check "labelSelector cnpg.io/cluster=postgres: 3 pods, one primary" jx "$TMP/pg.json" \
	'len(d["items"])==3 and [p["metadata"]["labels"]["cnpg.io/instanceRole"] for p in d["items"]].count("primary")==1'
check "fieldSelector metadata.name" eval 'sc "$A" "/api/v1/nodes?fieldSelector=metadata.name%3Dneko2" >"$TMP/n.json"; jx "$TMP/n.json" "[n[\"metadata\"][\"name\"] for n in d[\"items\"]]==[\"neko2\"]"'
check "GET of a missing pod: 404 Status NotFound" eval '[ "$(code "$A" /api/v1/namespaces/default/pods/nope)" = 404 ] && jx "$TMP/body" "d[\"reason\"]==\"NotFound\" and d[\"kind\"]==\"Status\""'
sc "$A" /apis/argoproj.io/v1alpha1/namespaces/argocd/applications >"$TMP/apps.json"
check "Argo apps: one OutOfSync, one Degraded" jx "$TMP/apps.json" \
	'[a["status"]["sync"]["status"] for a in d["items"]].count("OutOfSync")==1 and [a["status"]["health"]["status"] for a in d["items"]].count("Degraded")==1'
sc "$A" /apis/longhorn.io/v1beta2/namespaces/longhorn-system/volumes >"$TMP/lh.json"
check "a degraded Longhorn volume" jx "$TMP/lh.json" '"degraded" in [v["status"]["robustness"] for v in d["items"]]'
sc "$A" /apis/apps/v1/daemonsets >"$TMP/ds.json"
check "a DaemonSet missing on one node (desired 4, current 3)" jx "$TMP/ds.json" \
	'any(x["status"]["desiredNumberScheduled"]==4 and x["status"]["currentNumberScheduled"]==3 for x in d["items"])'

# ---- metrics ----
sc "$A" /apis/metrics.k8s.io/v1beta1/nodes >"$TMP/nm.json"
check "metrics.k8s.io nodes: 4 with cpu in n and memory in Ki" jx "$TMP/nm.json" \
	'len(d["items"])==4 and all(i["usage"]["cpu"].endswith("n") and i["usage"]["memory"].endswith("Ki") for i in d["items"])'
check "metrics.k8s.io has no watch (405)" [ "$(code "$A" '/apis/metrics.k8s.io/v1beta1/pods?watch=1')" = 405 ]

# ---- watch ----
RV=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metadata"]["resourceVersion"])' "$TMP/all.json")
t0=$(date +%s.%N)
bg sc "$A" "/api/v1/pods?watch=1&resourceVersion=$RV&allowWatchBookmarks=true&timeoutSeconds=3" -N -o "$TMP/w1"
sleep 0.05 # let the watch register before the change below (it would get it from history anyway)
cat >"$TMP/pod.json" <<'J'
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"probe","namespace":"default","labels":{"app":"probe"}},
 "spec":{"nodeName":"neko","containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Pending"}}
J
sc "$A" /_standin/set -X POST --data-binary @"$TMP/pod.json" -o /dev/null
check "watch from the list's RV sees the pod ADDED through /_standin/set" \
	until_ok 5 grep -q '"type":"ADDED","object":{.*"name":"probe"' "$TMP/w1"
check "BOOKMARK events carry only metadata.resourceVersion" until_ok 5 python3 -c '
import json,sys
ev=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b=[e for e in ev if e["type"]=="BOOKMARK"]
sys.exit(0 if b and all(set(e["object"]["metadata"])=={"resourceVersion"} for e in b) else 1)' "$TMP/w1"
check "the watch ends after timeoutSeconds=3" until_ok 8 eval '! kill -0 "$(tail -1 "$TMP/bg.pid")" 2>/dev/null'
dt=$(python3 -c "import time; print(int(time.time()-$t0))")
check "… not before (${dt}s)" [ "$dt" -ge 3 ]
check "a watch from RV=list sees no event from before it" eval '! grep -q "\"name\":\"neko\"" "$TMP/w1"'
bg sc "$A" "/api/v1/pods?watch=1&resourceVersion=$RV" -N -o "$TMP/w2"
until_ok 5 eval 'sc "$A" /_standin/stats | grep -q "\"open_watches\":[1-9]"'
sc "$A" /_standin/expire -X POST -o /dev/null
check "after /_standin/expire an open watch gets ERROR 410 Expired" \
	until_ok 5 grep -q '"type":"ERROR","object":{"kind":"Status".*"reason":"Expired","code":410}' "$TMP/w2"
sc "$A" "/api/v1/pods?watch=1&resourceVersion=$RV&timeoutSeconds=2" -o "$TMP/w3"
check "a watch from an RV before the expiry: 200 then ERROR 410 (too old resource version)" \
	grep -q '"type":"ERROR".*too old resource version.*"code":410' "$TMP/w3"
check "a continue token from before the expiry is 410 Expired" eval '[ "$(code "$A" "/api/v1/pods?limit=7&continue=$first_tok")" = 410 ] && jx "$TMP/body" "d[\"reason\"]==\"Expired\""'
RV2=$(sc "$A" "/api/v1/nodes?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')
bg sc "$A" "/api/v1/nodes?watch=true&resourceVersion=$RV2" -N -o "$TMP/w4"
until_ok 5 eval 'sc "$A" /_standin/stats | grep -q "\"open_watches\":[1-9]"'
sc "$A" /_standin/close-watches -X POST -o /dev/null
check "/_standin/close-watches ends open watches" until_ok 5 eval 'sc "$A" /_standin/stats | grep -q "\"open_watches\":0"'
sc "$A" "/api/v1/nodes?watch=1&resourceVersion=$RV2" -N -o /dev/null --max-time 1 2>/dev/null
check "a watch whose client hung up is not counted open any more" until_ok 3 eval 'sc "$A" /_standin/stats | grep -q "\"open_watches\":0"'
sc "$A" "/_standin/watch-close-immediately?on=1" -X POST -o /dev/null
s=$(date +%s.%N); sc "$A" "/api/v1/nodes?watch=1&resourceVersion=$RV2" -o "$TMP/w5"
check "watch-close-immediately: an empty 200, at once (not after the timeout)" eval '[ ! -s "$TMP/w5" ] && python3 -c "import time,sys; sys.exit(0 if time.time()-$s < 10 else 1)"'
sc "$A" "/_standin/watch-close-immediately?on=0" -X POST -o /dev/null

RV3=$(sc "$A" "/api/v1/nodes?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])')
bg sc "$A" "/api/v1/pods?watch=1&resourceVersion=$RV3&fieldSelector=spec.nodeName%3Dpanther" -N -o "$TMP/w6"
sc "$A" /api/v1/namespaces/n8n/pods?limit=500 >"$TMP/n8n.json"
N8N=$(python3 -c 'import json,sys; print([p["metadata"]["name"] for p in json.load(open(sys.argv[1]))["items"] if p["spec"]["nodeName"]=="panther"][0])' "$TMP/n8n.json")
sc "$A" "/api/v1/namespaces/n8n/pods/$N8N" -X PATCH -H 'Content-Type: application/merge-patch+json' -d '{"spec":{"nodeName":"neko"}}' -o /dev/null
check "a pod that leaves a watch's fieldSelector is DELETED for that watch" \
	until_ok 5 grep -q "\"type\":\"DELETED\".*\"name\":\"$N8N\"" "$TMP/w6"
sc "$A" /_standin/close-watches -X POST -o /dev/null

# ---- patches ----
P=/api/v1/nodes/neko2
check "strategic merge patch sets spec.unschedulable" eval '[ "$(code "$A" $P -X PATCH -H "Content-Type: application/strategic-merge-patch+json" -d "{\"spec\":{\"unschedulable\":true}}")" = 200 ] && jx "$TMP/body" "d[\"spec\"][\"unschedulable\"] is True and any(t[\"key\"]==\"node.kubernetes.io/unschedulable\" for t in d[\"spec\"][\"taints\"])"'
check "strategic null deletes the key (and the cordon taint)" eval '[ "$(code "$A" $P -X PATCH -H "Content-Type: application/strategic-merge-patch+json" -d "{\"spec\":{\"unschedulable\":null}}")" = 200 ] && jx "$TMP/body" "\"unschedulable\" not in d[\"spec\"] and \"taints\" not in d[\"spec\"]"'
check "strategic merge patch merges containers by name (other fields kept)" eval '[ "$(code "$A" /apis/apps/v1/namespaces/monitoring/deployments/grafana -X PATCH -H "Content-Type: application/strategic-merge-patch+json" -d "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"grafana\",\"image\":\"grafana/grafana:12.3.0\"}]}}}}")" = 200 ] && jx "$TMP/body" "d[\"spec\"][\"template\"][\"spec\"][\"containers\"][0][\"image\"]==\"grafana/grafana:12.3.0\" and d[\"spec\"][\"template\"][\"spec\"][\"containers\"][0][\"resources\"] and d[\"metadata\"][\"generation\"]==2"'
check "merge patch (RFC 7386) replaces the list" eval '[ "$(code "$A" /apis/apps/v1/namespaces/monitoring/deployments/grafana -X PATCH -H "Content-Type: application/merge-patch+json" -d "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"grafana\",\"image\":\"grafana/grafana:12.3.1\"}]}}}}")" = 200 ] && jx "$TMP/body" "d[\"spec\"][\"template\"][\"spec\"][\"containers\"]==[{\"name\":\"grafana\",\"image\":\"grafana/grafana:12.3.1\"}]"'
check "strategic merge patch on a CRD is 415" [ "$(code "$A" /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/plane -X PATCH -H 'Content-Type: application/strategic-merge-patch+json' -d '{}')" = 415 ]
NOW=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
sc "$F" "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps?fieldManager=kitetop" -X PATCH \
	-H 'Content-Type: application/merge-patch+json' -d "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"$NOW\"}}}" -o /dev/null
check "Flux reconcile: lastHandledReconcileAt echoes requestedAt" until_ok 5 eval 'sc "$F" /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps | grep -q "\"lastHandledReconcileAt\":\"$NOW\""'
watch_to "$TMP/wapp" "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?fieldSelector=metadata.name%3Dplane"
sc "$A" "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/plane?fieldManager=kitetop" -X PATCH \
	-H 'Content-Type: application/merge-patch+json' -d '{"operation":{"initiatedBy":{"username":"kitetop@test"},"sync":{"syncStrategy":{"hook":{}}}}}' -o /dev/null
check "Argo sync: operationState Running, then Succeeded (watched)" until_ok 10 events "$TMP/wapp" \
	'[e["object"].get("status",{}).get("operationState",{}).get("phase") for e in ev][-2:] == ["Running","Succeeded"]'
check "Argo sync: then Succeeded, Synced, operation cleared" until_ok 5 eval 'sc "$A" /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/plane >"$TMP/plane.json"; jx "$TMP/plane.json" "d[\"status\"][\"operationState\"][\"phase\"]==\"Succeeded\" and d[\"status\"][\"sync\"][\"status\"]==\"Synced\" and \"operation\" not in d"'

# ---- eviction ----
EV='{"kind":"Eviction","apiVersion":"policy/v1","metadata":{"name":"NAME","namespace":"default","creationTimestamp":null},"deleteOptions":{}}'
check "eviction of the PDB-protected primary: 429 TooManyRequests" eval '[ "$(code "$A" /api/v1/namespaces/default/pods/postgres-1/eviction -X POST -H "Content-Type: application/json" -d "${EV/NAME/postgres-1}")" = 429 ] && jx "$TMP/body" "d[\"reason\"]==\"TooManyRequests\" and d[\"message\"]==\"Cannot evict pod as it would violate the pod'"'"'s disruption budget.\""'
watch_to "$TMP/wpg" "/api/v1/namespaces/default/pods?fieldSelector=metadata.name%3Dpostgres-2"
check "eviction of a replica: 201 Status Success" eval '[ "$(code "$A" /api/v1/namespaces/default/pods/postgres-2/eviction -X POST -H "Content-Type: application/json" -d "${EV/NAME/postgres-2}")" = 201 ] && jx "$TMP/body" "d[\"status\"]==\"Success\""'
check "… the pod is MODIFIED with a deletionTimestamp, then DELETED (watched)" until_ok 10 events "$TMP/wpg" \
	'[e["type"] for e in ev] == ["MODIFIED","DELETED"] and ev[0]["object"]["metadata"].get("deletionTimestamp")'
check "… and then 404" [ "$(code "$A" /api/v1/namespaces/default/pods/postgres-2)" = 404 ]
check "… the PDB covering it allows one disruption less (1 -> 0)" eval 'sc "$A" /apis/policy/v1/namespaces/default/poddisruptionbudgets/postgres >"$TMP/pdb.json" && jx "$TMP/pdb.json" "d[\"status\"][\"disruptionsAllowed\"]==0 and \"postgres-2\" in d[\"status\"][\"disruptedPods\"]"'
check "… so evicting the other replica now is 429" [ "$(code "$A" /api/v1/namespaces/default/pods/postgres-3/eviction -X POST -H 'Content-Type: application/json' -d "${EV/NAME/postgres-3}")" = 429 ]
check "eviction of a gone pod: 404" [ "$(code "$A" /api/v1/namespaces/default/pods/postgres-2/eviction -X POST -H 'Content-Type: application/json' -d "${EV/NAME/postgres-2}")" = 404 ]

# ---- hostile modes ----
sc "$A" "/_standin/hang?seconds=2" -X POST -o /dev/null
check "hang: a request times out (curl --max-time 1)" eval '! sc "$A" /version --max-time 1 -o /dev/null 2>/dev/null'
until_ok 5 eval 'sc "$A" /version --max-time 1 -o /dev/null 2>/dev/null'
sc "$A" "/_standin/huge?mb=20" -X POST -o /dev/null
check "huge: the next pods list is over 20 MB, the one after is normal" eval '[ "$(sc "$A" /api/v1/pods -o /dev/null -w "%{size_download}")" -gt 20000000 ] && [ "$(sc "$A" /api/v1/pods -o /dev/null -w "%{size_download}")" -lt 2000000 ]'
sc "$A" "/_standin/health?etcd=fail" -X POST -o /dev/null
check "health control: /readyz 500 with [-]etcd failed" eval '[ "$(code "$A" "/readyz?verbose")" = 500 ] && grep -q "^\[-\]etcd failed" "$TMP/body"'
sc "$A" "/_standin/health?etcd=ok" -X POST -o /dev/null

standin_start "$R" 127.0.0.162 0 --rbac-deny list:pods || fail "stand-in starts (rbac)"
check "--rbac-deny list:pods: 403 with kube's message" eval '[ "$(code "$R" /api/v1/pods)" = 403 ] && jx "$TMP/body" "d[\"message\"]==\"pods is forbidden: User \\\"system:serviceaccount:kube-system:kitetop\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" at the cluster scope\" and d[\"reason\"]==\"Forbidden\""'
check "… in a namespace too; nodes still listed" eval '[ "$(code "$R" /api/v1/namespaces/default/pods)" = 403 ] && grep -q "in the namespace \\\\\"default\\\\\"" "$TMP/body" && [ "$(code "$R" /api/v1/nodes)" = 200 ]'
standin_stop "$R"
standin_start "$X" 127.0.0.162 0 --cert-days -1 --without-group longhorn.io || fail "stand-in starts (expired)"
check "--cert-days -1: the server certificate does not verify (curl: 60)" eval 'curl -s --cacert "$X/ca.crt" "$(standin_url "$X")/version" -o /dev/null; [ $? = 60 ]'
check "--without-group longhorn.io: /apis has no longhorn.io" eval '! sc "$X" /apis -k | grep -q longhorn.io'

# ---- 4 nodes x 150 pods ----
standin_start "$B" 127.0.0.163 0 --pods-per-node 150 || fail "stand-in starts (bench)"
n=$(sc "$B" /api/v1/pods | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
check "--pods-per-node 150: $n pods (4 x 150 + the scenario's)" [ "$n" -ge 650 ]
t=$(sc "$B" /api/v1/pods -o /dev/null -w '%{time_total}' --compressed)
check "a full pods list answers in ${t}s (< 2 s)" python3 -c "import sys; sys.exit(0 if $t < 2 else 1)"
sc "$B" "/api/v1/pods?limit=500" -D "$TMP/h" -H 'Accept-Encoding: gzip' -o /dev/null
check "a list over 128 KB is gzipped when asked" grep -qi '^content-encoding: gzip' "$TMP/h"

# ---- kubectl, the oracle ----
KUBECTL=${KUBECTL:-kubectl}   # KUBECTL=/nonexistent: the skip path
if ! command -v "$KUBECTL" >/dev/null 2>&1; then
	echo "PASS: skipped: no kubectl (the conformance checks need it)"
	echo "$passed passed, $fails failed"
	[ "$fails" -eq 0 ]; exit
fi
export KUBECONFIG=$TMP/kubeconfig
sed "s|server: https://127.0.0.1:.*|server: $AU|" "$A/k3s.yaml" >"$KUBECONFIG"
k() { timeout 60 "$KUBECTL" --cache-dir "$TMP/kcache" "$@"; }
req() { python3 - "$A/requests.jsonl" "$@"; }   # python over the request log

k get nodes >"$TMP/k.out" 2>&1
check "kubectl get nodes: 4 nodes, roles control-plane,etcd,master" eval '[ "$(grep -c " Ready " "$TMP/k.out")" = 4 ] && grep -q "^neko .*control-plane,etcd,master" "$TMP/k.out"'
k get pods -A >"$TMP/k.out" 2>&1
check "kubectl get pods -A shows CrashLoopBackOff, ImagePullBackOff, Init:0/1, Terminating, Evicted" \
	eval 'for w in CrashLoopBackOff ImagePullBackOff Init:0/1 Terminating Evicted; do grep -q " $w " "$TMP/k.out" || exit 1; done'
timeout 60 "$KUBECTL" --cache-dir "$TMP/kcache" get pods -n default -w --output-watch-events >"$TMP/kw.out" 2>&1 &
echo $! >>"$TMP/bg.pid"
until_ok 10 grep -q "probe" "$TMP/kw.out"
sed 's/"Pending"/"Running"/; s/"probe"/"probe2"/' "$TMP/pod.json" >"$TMP/pod2.json"
sc "$A" /_standin/set -X POST --data-binary @"$TMP/pod2.json" -o /dev/null
check "kubectl get -w sees a pod pushed through /_standin/set" until_ok 10 grep -q "^ADDED .*probe2" "$TMP/kw.out"
check "kubectl get -w: list, then watch=true from the list's resourceVersion" req <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
w = [r for r in L if r["path"] == "/api/v1/namespaces/default/pods" and "watch=true" in r["query"]]
assert w and "resourceVersion=" in w[-1]["query"] and "as=Table" in w[-1]["accept"], w
PY

sc "$A" "/_standin/node-down?name=bobcat" -X POST -o /dev/null
check "node-down: kubectl shows bobcat NotReady, Ready Unknown (NodeStatusUnknown), unreachable taints" eval 'k get node bobcat | grep -q "bobcat *NotReady " && sc "$A" /api/v1/nodes/bobcat >"$TMP/bc.json" && jx "$TMP/bc.json" "[c[\"reason\"] for c in d[\"status\"][\"conditions\"] if c[\"type\"]==\"Ready\"]==[\"NodeStatusUnknown\"] and {t[\"effect\"] for t in d[\"spec\"][\"taints\"] if t[\"key\"]==\"node.kubernetes.io/unreachable\"}=={\"NoSchedule\",\"NoExecute\"}"'
check "… its pods are not Ready" eval 'sc "$A" "/api/v1/pods?fieldSelector=spec.nodeName%3Dbobcat" >"$TMP/bp.json" && jx "$TMP/bp.json" "d[\"items\"] and not any(c[\"status\"]==\"True\" for p in d[\"items\"] for c in p[\"status\"][\"conditions\"] if c[\"type\"]==\"Ready\")"'
sc "$A" "/_standin/node-up?name=bobcat" -X POST -o /dev/null
check "node-up: Ready again, no taint" eval 'k get node bobcat | grep -q "bobcat *Ready " && ! sc "$A" /api/v1/nodes/bobcat | grep -q unreachable'
check "kubectl get deploy: outline at 0/1" eval 'k get deploy -n outline | grep -q "^outline *0/1 "'
k cordon panther >/dev/null 2>&1
check "kubectl cordon: SchedulingDisabled" eval 'k get node panther | grep -q "Ready,SchedulingDisabled"'
k uncordon panther >/dev/null 2>&1
check "kubectl uncordon: schedulable again" eval 'k get node panther | grep -q "panther *Ready  "'
check "cordon/uncordon requests as kubectl 1.33 sends them (GET then strategic PATCH true / null)" req <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
p = [r for r in L if r["method"] == "PATCH" and r["path"] == "/api/v1/nodes/panther"]
g = [i for i, r in enumerate(L) if r["method"] == "GET" and r["path"] == "/api/v1/nodes/panther"]
assert len(p) == 2 and g and g[0] < L.index(p[0]), (p, g)
assert all(r["content_type"] == "application/strategic-merge-patch+json" for r in p)
assert [json.loads(r["body"]) for r in p] == [{"spec": {"unschedulable": True}}, {"spec": {"unschedulable": None}}]
PY
k drain bobcat --ignore-daemonsets --delete-emptydir-data --timeout=60s >"$TMP/k.out" 2>&1
check "kubectl drain bobcat (no PDB) completes" eval 'grep -q "node/bobcat drained" "$TMP/k.out" && grep -q "Warning: ignoring DaemonSet-managed Pods" "$TMP/k.out"'
check "drain requests: pods by spec.nodeName limit=500, eviction POSTs (policy/v1 Eviction), GETs until 404" req <<'PY'
import json, sys, re
L = [json.loads(l) for l in open(sys.argv[1])]
assert any(r["method"] == "GET" and r["path"] == "/api/v1/pods" and r["query"] == "fieldSelector=spec.nodeName%3Dbobcat&limit=500" for r in L)
ev = [r for r in L if r["method"] == "POST" and r["path"].endswith("/eviction") and r["status"] == 201]
assert ev
for r in ev:
    ns, name = re.match(r"^/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction$", r["path"]).groups()
    assert r["content_type"] == "application/json"
    assert json.loads(r["body"]) == {"kind": "Eviction", "apiVersion": "policy/v1", "metadata": {"name": name, "namespace": ns, "creationTimestamp": None}, "deleteOptions": {}}, r["body"]
    assert any(x["method"] == "GET" and x["path"] == "/api/v1/namespaces/%s/pods/%s" % (ns, name) and x["status"] == 404 for x in L)
PY
k drain panther --ignore-daemonsets --delete-emptydir-data --timeout=7s >"$TMP/k.out" 2>&1
check "kubectl drain panther: the PDB-protected primary makes it retry, then time out" eval 'grep -q "disruption budget" "$TMP/k.out" && grep -q "global timeout reached" "$TMP/k.out"'
check "… the eviction of postgres-1 was answered 429 more than once" req <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1])]
assert len([r for r in L if r["path"] == "/api/v1/namespaces/default/pods/postgres-1/eviction" and r["status"] == 429]) >= 2
PY
sc "$A" /_standin/delete -X POST -d '{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","namespace":"default","name":"postgres-primary"}' -o /dev/null
k drain panther --ignore-daemonsets --delete-emptydir-data --timeout=60s >"$TMP/k.out" 2>&1
check "… without the PDB the drain completes" grep -q "node/panther drained" "$TMP/k.out"
check "the evicted Deployment pods got successors on other schedulable nodes" until_ok 5 eval 'sc "$A" /api/v1/namespaces/ollama/pods >"$TMP/ol.json" && jx "$TMP/ol.json" "len(d[\"items\"])==1 and d[\"items\"][0][\"spec\"][\"nodeName\"] not in (\"panther\",\"bobcat\")"'

watch_to "$TMP/wdep" "/apis/apps/v1/namespaces/monitoring/deployments?fieldSelector=metadata.name%3Dgrafana"
watch_to "$TMP/wpods" "/api/v1/namespaces/monitoring/pods?labelSelector=app.kubernetes.io%2Fname%3Dgrafana"
k rollout restart deployment/grafana -n monitoring >"$TMP/k.out" 2>&1
check "kubectl rollout restart deployment" grep -q "restarted" "$TMP/k.out"
k rollout status deployment/grafana -n monitoring --timeout=30s >"$TMP/k.out" 2>&1
check "kubectl rollout status completes" grep -q "successfully rolled out" "$TMP/k.out"
check "… the Deployment went generation+1, 0 updated, then all updated and available (watched)" events "$TMP/wdep" '
  ev[0]["object"]["metadata"]["generation"] > ev[0]["object"]["status"]["observedGeneration"]
  and any(e["object"]["status"]["observedGeneration"] == e["object"]["metadata"]["generation"] and e["object"]["status"]["updatedReplicas"] == 0 for e in ev)
  and ev[-1]["object"]["status"]["updatedReplicas"] == ev[-1]["object"]["status"].get("availableReplicas") == ev[-1]["object"]["spec"]["replicas"]'
check "… a new pod ADDED, the old one Terminating then DELETED (watched)" events "$TMP/wpods" '
  {e["type"] for e in ev} >= {"ADDED","MODIFIED","DELETED"} and [e["object"]["metadata"]["name"] for e in ev if e["type"]=="ADDED"][0] != [e["object"]["metadata"]["name"] for e in ev if e["type"]=="DELETED"][0]'
check "rollout restart request: strategic PATCH with fieldManager=kubectl-rollout, restartedAt RFC 3339 UTC" req <<'PY'
import json, sys, re
L = [json.loads(l) for l in open(sys.argv[1])]
r = [r for r in L if r["method"] == "PATCH" and r["path"] == "/apis/apps/v1/namespaces/monitoring/deployments/grafana" and r["query"] == "fieldManager=kubectl-rollout"][-1]
assert r["content_type"] == "application/strategic-merge-patch+json"
b = json.loads(r["body"])
v = b["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
assert list(b) == ["spec"] and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", v), r["body"]
PY
k rollout restart statefulset/loki -n monitoring >/dev/null 2>&1
check "kubectl rollout restart + status of a StatefulSet" eval 'k rollout status statefulset/loki -n monitoring --timeout=30s | grep -q "roll out complete"'
k get applications.argoproj.io -A >"$TMP/k.out" 2>&1
check "kubectl get applications.argoproj.io -A" eval 'grep -q "outline .*Degraded" "$TMP/k.out" && [ "$(grep -c "^argocd " "$TMP/k.out")" = 12 ]'
k patch application outline -n argocd --type merge -p '{"metadata":{"annotations":{"argocd.argoproj.io/refresh":"normal"}}}' >/dev/null 2>&1
check "kubectl patch --type merge on an Application" eval 'sc "$A" /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/outline | grep -q "\"argocd.argoproj.io/refresh\":\"normal\""'
check "kubectl get --raw /readyz?verbose" eval 'k get --raw "/readyz?verbose" | grep -q "^\[+\]etcd ok"'
sed "s|server: https://127.0.0.1:.*|server: $(standin_url "$F")|" "$F/k3s.yaml" >"$TMP/fkc"
KUBECONFIG=$TMP/fkc k get kustomizations -A >"$TMP/k.out" 2>&1
check "kubectl get kustomizations -A (flux): 4, apps not Ready" eval '[ "$(grep -c "^flux-system " "$TMP/k.out")" = 4 ] && grep -q "apps .* False " "$TMP/k.out"'
KUBECONFIG=$TMP/fkc k get applications.argoproj.io -A >"$TMP/k.out" 2>&1
check "kubectl in flux: no Argo resource type" grep -q "the server doesn't have a resource type" "$TMP/k.out"
sed "s|server: https://127.0.0.1:.*|server: $(standin_url "$X")|" "$X/k3s.yaml" >"$TMP/xkc"
KUBECONFIG=$TMP/xkc k get nodes >"$TMP/k.out" 2>&1
check "kubectl refuses the expired certificate" grep -q "x509: certificate has expired" "$TMP/k.out"

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
