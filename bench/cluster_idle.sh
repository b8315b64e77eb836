#!/bin/sh
# The idle cost of one [cluster] with every watch held: bench/idle.sh on
# kitetop with a host (monk, the lab's) and without, then with, a cluster on
# the Kubernetes API stand-in reached through monk's SSH (bookmarks every
# 60 s, as a real API server sends them), and the requests the stand-in
# answered in each run by path.
# usage: bench/cluster_idle.sh [SECONDS] — ADDR:PORT of the stand-in from
# KT_BENCH_KUBE (default 127.0.0.165:6444).  Needs the lab up.
set -u
SECS=${1:-60}
ADDR=${KT_BENCH_KUBE:-127.0.0.165:6444}
KT=${KT:-./kitetop}
D=$(mktemp -d)
STANDIN_LIB_SELF=tests/lab/kube-standin-lib . tests/lab/kube-standin-lib
trap 'standin_stop "$D/s"; rm -rf "$D"' EXIT
standin_start "$D/s" "${ADDR%:*}" "${ADDR#*:}" --bookmark-ms 60000 || exit 1
base="[kitetop]
refresh = 2
timeout = 5
[host monk]
address = 127.0.0.2
ssh = root@127.0.0.2:22
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = /run/kitetop-lab/known_hosts
docker = none"
printf '%s\n' "$base" >"$D/without.conf"
printf '%s\n[cluster idle]\nvia = monk\napi = https://%s\nkubeconfig = remote:%s/s/k3s.yaml\n' \
	"$base" "$ADDR" "$D" >"$D/with.conf"
for c in without with; do
	n0=$(wc -l <"$D/s/requests.jsonl")
	echo "== $c a cluster"
	sh bench/idle.sh "$KT" "$D/$c.conf" "$SECS" 2>&1 | grep -E 'idle CPU|resident'
	echo "requests to the API in the run (warm-up included), by path:"
	tail -n +"$((n0 + 1))" "$D/s/requests.jsonl" | grep -o '"path": "[^"]*"' | sort | uniq -c | sort -rn
done
