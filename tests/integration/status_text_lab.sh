#!/bin/bash
# status_text_lab.sh — plain `kitetop status` against the lab (read-only): it
# says what `status --json` says about the shared sources too: PostgreSQL
# with its split-brain lines, Redis, Cloudflare's connectors with their whole
# ids, each host's Tailscale; the tunnel line's connector id is whole.
# Without Authentik's token its workers are unknown: null, not 0.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop} CONF=examples/kitestacks-lab.conf
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
passes=0 fails=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

if [ ! -r /run/kitetop-lab/redis.pass ]; then
	echo "PASS: skipped (the lab is not up)"; exit 0
fi
timeout 60 $KT -c $CONF status >"$TMP/out.txt" 2>"$TMP/err.txt"
timeout 60 $KT -c $CONF status --json >"$TMP/out.json" 2>>"$TMP/err.txt"
has() { grep -Eq -- "$1" "$TMP/out.txt"; }
check "a postgres block with the server's version" has '^  server +PostgreSQL 1[0-9]'
check "the postgres block's connections" has '^  connections +[0-9]+/[0-9]+$'
check "the split-brain lines, app by app and host by host" has '^    authentik@monk -> shared db '
check "a redis block with its version" has '^  server +Redis 7\.'
check "a cloudflare block with the tunnel's status" has '^  tunnel +(healthy|degraded|down|inactive|unknown), [0-9]+ connectors?$'
check "each host's tailscale" sh -c "[ \$(grep -c '^  tailscale' $TMP/out.txt) -ge 2 ]"
ids=$(python3 -c "
import json
d = json.load(open('$TMP/out.json'))
print(' '.join(c['id'] for c in (d['cloudflare'] or {}).get('connectors') or []))")
check "the connectors' ids are there ($ids)" [ -n "$ids" ]
for id in $ids; do
	check "connector $id whole in the cloudflare block" grep -Eq "^  connector +$id " "$TMP/out.txt"
	check "connector $id whole in its host's tunnel line" grep -Eq "^  tunnel .*connector $id\$" "$TMP/out.txt"
done
grep -v '^token_file = /run/kitetop-lab/authentik.token' $CONF >"$TMP/notoken.conf"
timeout 60 $KT -c "$TMP/notoken.conf" status --json >"$TMP/notoken.json" 2>>"$TMP/err.txt"
timeout 60 $KT -c "$TMP/notoken.conf" status >"$TMP/notoken.txt" 2>>"$TMP/err.txt"
check "no Authentik token: workers null in status --json, not 0" python3 -c "
import json
a = json.load(open('$TMP/notoken.json'))['authentik']
assert a is not None and a['workers'] is None, a"
check "no Authentik token: no '0 workers' in status" sh -c "grep -q '^authentik' $TMP/notoken.txt && ! grep -q '0 workers' $TMP/notoken.txt"
[ "$fails" -eq 0 ] || { echo "--- status:"; cat "$TMP/out.txt" "$TMP/err.txt"; }
echo "status_text_lab: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
