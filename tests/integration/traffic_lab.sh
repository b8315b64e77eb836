#!/bin/bash
# traffic_lab.sh — kitetop drain / undrain / flip against the real two-host lab, with a
# temporary configuration whose audit log is a temporary file:
#   drain monk stops its cloudflared and the Cloudflare stand-in stops listing monk's
#   connector; a drain of kscloud1 is then refused by the interlock (exit 1, the reason,
#   an audit line); undrain restores (a new connector id, listed); flip works both ways;
#   --force is audited as forced; read-only refuses; every attempt is in the audit log.
# Prints "PASS: what" / "FAIL: what" lines; exits 1 when anything failed.
# Leaves both cloudflared containers running when it ends, also on failure (trap).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
. "$(cd "$(dirname "$0")/../lab" && pwd)/lib.sh"
# a worktree without a lab of its own: the machine's lab, through its stable link
[ -d "$LAB_RUN" ] || LAB_RUN=$(readlink -f "$LAB_LINK")
cd "$(dirname "$0")/../.."
KT=./kitetop
TMP=$(mktemp -d)
CONF=$TMP/lab.conf AUDIT=$TMP/audit/audit.log
restore() {
	for h in $LAB_HOSTS; do lab_docker "$h" start cloudflared >/dev/null 2>&1; done
	rm -rf "$TMP"
}
trap restore EXIT
trap 'exit 1' INT TERM
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! lab_docker monk version >/dev/null 2>&1; then
	fail "the lab is not up (run: make lab)"; exit 1
fi
[ -x "$KT" ] || { fail "no ./kitetop (run make)"; exit 1; }
sed "s#^audit_log = .*#audit_log = $AUDIT#" examples/kitestacks-lab.conf > "$CONF"

API=http://127.0.0.2:8443/client/v4/accounts/0123abcd4567ef890123abcd4567ef89/cfd_tunnel/6ff42ae2-765d-4adf-8112-31c55c1551ef/connections
api_ids() { # the connector ids the stand-in lists, with "LIVE"/"PENDING"
	curl -s --max-time 5 -H "Authorization: Bearer $(cat "$LAB_RUN/cloudflare.token")" "$API" |
		python3 -c 'import json,sys
for c in json.load(sys.stdin)["result"]:
    live = any(not k["is_pending_reconnect"] for k in c["conns"])
    print(c["id"], "LIVE" if live else "PENDING")'
}
api_has() { local ids; ids=$(api_ids); grep -q "$1" <<<"$ids"; }
ready_id() { # HOST — the connectorId its cloudflared reports
	curl -s --max-time 3 "http://$(lab_addr "$1"):2000/ready" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["connectorId"])' 2>/dev/null
}
state() { lab_docker "$1" inspect -f '{{.State.Status}}' cloudflared 2>/dev/null; }
both_healthy() { # waits (up to 40 s) until both connectors run and the API lists both live
	local i
	for i in $(seq 80); do
		if [ "$(state monk)" = running ] && [ "$(state kscloud1)" = running ] &&
		   [ "$(api_ids | grep -c LIVE)" = 2 ]; then return 0; fi
		sleep 0.5
	done
	return 1
}
audit_last() { tail -n1 "$AUDIT"; }
audit_field() { # LINE FIELD
	python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print("null" if v is None else str(v).lower() if isinstance(v,bool) else v)' "$1" "$2"
}
run() { # OUT ERR ARGS... — kitetop -c CONF ARGS, its exit status in $rc
	local out=$1 err=$2; shift 2
	"$KT" -c "$CONF" "$@" >"$out" 2>"$err"; rc=$?
}

if both_healthy; then pass "both connectors run and are listed (start)"; else fail "the lab's connectors are not both up at the start"; fi

# ---- dry run: says what, changes nothing ----
run "$TMP/o" "$TMP/e" drain monk --dry-run
if [ $rc = 0 ] && grep -q "would drain cloudflared on monk" "$TMP/o" && grep -q "interlock ok: kscloud1" "$TMP/o" &&
   [ "$(state monk)" = running ] && [ ! -s "$AUDIT" ]; then
	pass "drain monk --dry-run: $(cat "$TMP/o")"
else
	fail "drain monk --dry-run: rc=$rc $(cat "$TMP/o" "$TMP/e")"
fi

# ---- drain monk ----
old=$(ready_id monk)
t0=$(lab_ms)
run "$TMP/o" "$TMP/e" drain monk --yes
t1=$(lab_ms)
if [ $rc = 0 ] && [ "$(state monk)" = exited ]; then
	pass "drain monk: exit 0, cloudflared exited, in $((t1 - t0)) ms: $(cat "$TMP/o")"
else
	fail "drain monk: rc=$rc state=$(state monk) $(cat "$TMP/o" "$TMP/e")"
fi
gone=""
for i in $(seq 90); do
	if ! api_has "^$old "; then gone=$(( ($(lab_ms) - t1) / 1000 )); break; fi
	sleep 0.5
done
if [ -n "$gone" ]; then
	pass "the Cloudflare stand-in stopped listing monk's connector ${old:0:8} ${gone} s after the drain"
else
	fail "the Cloudflare stand-in still lists monk's connector ${old:0:8} 45 s after the drain"
fi
"$KT" -c "$CONF" status --json > "$TMP/s.json" 2>/dev/null
if python3 - "$TMP/s.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = {h["name"]: h["tunnel"] for h in d["hosts"]}
assert t["monk"]["drained"] is True and t["monk"]["state"] == "exited", t
assert t["kscloud1"]["drained"] is False and t["kscloud1"]["ready"] is True, t
assert d["overall"] in ("warn", "crit"), d["overall"]
PY
then pass "status --json: monk's tunnel drained, kscloud1's ready, overall not ok"; else fail "status --json after the drain: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([h["tunnel"] for h in d["hosts"]], d["overall"])' "$TMP/s.json")"; fi

# ---- the interlock: draining kscloud1 too is refused ----
run "$TMP/o" "$TMP/e" drain kscloud1 --yes
line=$(audit_last)
if [ $rc != 0 ] && [ "$(wc -l < "$TMP/e")" = 1 ] && grep -q "interlock: no other host has a healthy connector: monk: cloudflared is exited" "$TMP/e" &&
   [ "$(state kscloud1)" = running ] && [ "$(audit_field "$line" result)" = refused ] &&
   [ "$(audit_field "$line" host)" = kscloud1 ] && audit_field "$line" error | grep -q "monk: cloudflared is exited"; then
	pass "drain kscloud1 refused by the interlock (exit $rc): $(cat "$TMP/e")"
else
	fail "drain kscloud1 with monk drained: rc=$rc state=$(state kscloud1) $(cat "$TMP/e") audit: $line"
fi
run "$TMP/o" "$TMP/e" drain kscloud1 --dry-run
if [ $rc != 0 ] && grep -q "interlock" "$TMP/e"; then pass "drain kscloud1 --dry-run gives the interlock's verdict: $(cat "$TMP/e")"; else fail "drain kscloud1 --dry-run: rc=$rc $(cat "$TMP/o" "$TMP/e")"; fi

# ---- undrain monk ----
run "$TMP/o" "$TMP/e" undrain monk --yes
new=$(ready_id monk)
if [ $rc = 0 ] && [ "$(state monk)" = running ] && [ -n "$new" ] && [ "$new" != "$old" ] &&
   api_has "^$new LIVE"; then
	pass "undrain monk: running, new connector ${new:0:8} listed live: $(cat "$TMP/o")"
else
	fail "undrain monk: rc=$rc state=$(state monk) new=$new $(cat "$TMP/o" "$TMP/e")"
fi

# ---- flip both ways ----
run "$TMP/o" "$TMP/e" flip monk kscloud1 --yes
if [ $rc = 0 ] && [ "$(state monk)" = exited ] && [ "$(state kscloud1)" = running ]; then
	pass "flip monk kscloud1: monk drained, kscloud1 runs: $(cat "$TMP/o")"
else
	fail "flip monk kscloud1: rc=$rc monk=$(state monk) kscloud1=$(state kscloud1) $(cat "$TMP/o" "$TMP/e")"
fi
run "$TMP/o" "$TMP/e" flip kscloud1 monk --yes
if [ $rc = 0 ] && [ "$(state kscloud1)" = exited ] && [ "$(state monk)" = running ] &&
   api_has "^$(ready_id monk) LIVE"; then
	pass "flip kscloud1 monk: monk undrained first and listed, then kscloud1 drained: $(cat "$TMP/o")"
else
	fail "flip kscloud1 monk: rc=$rc monk=$(state monk) kscloud1=$(state kscloud1) $(cat "$TMP/o" "$TMP/e")"
fi
run "$TMP/o" "$TMP/e" undrain kscloud1 --yes
if [ $rc = 0 ] && [ "$(state kscloud1)" = running ]; then pass "undrain kscloud1: $(cat "$TMP/o")"; else fail "undrain kscloud1: rc=$rc $(cat "$TMP/e")"; fi

# ---- --force is audited as forced (kscloud1 healthy, so nothing goes dark) ----
both_healthy || fail "connectors not back before the forced drain"
run "$TMP/o" "$TMP/e" drain monk --yes --force
line=$(audit_last)
if [ $rc = 0 ] && [ "$(audit_field "$line" forced)" = true ] && [ "$(audit_field "$line" result)" = ok ]; then
	pass "drain monk --force: audited forced: $line"
else
	fail "drain monk --force: rc=$rc audit: $line"
fi
run "$TMP/o" "$TMP/e" undrain monk --yes
[ $rc = 0 ] || fail "undrain monk after the forced drain: $(cat "$TMP/e")"

# ---- read-only refuses ----
n0=$(wc -l < "$AUDIT")
for v in "drain monk" "undrain kscloud1" "flip monk kscloud1"; do
	run "$TMP/o" "$TMP/e" --read-only $v --yes
	line=$(audit_last)
	if [ $rc = 1 ] && grep -q "read-only" "$TMP/e" && [ "$(audit_field "$line" result)" = refused ] &&
	   [ "$(audit_field "$line" error)" = read-only ]; then
		pass "--read-only $v: refused, audited"
	else
		fail "--read-only $v: rc=$rc $(cat "$TMP/e") audit: $line"
	fi
done
sed "s#^read_only = no#read_only = yes#" "$CONF" > "$TMP/ro.conf"
"$KT" -c "$TMP/ro.conf" drain monk --yes 2>"$TMP/e"; rc=$?
if [ $rc = 1 ] && grep -q "read-only" "$TMP/e" && [ "$(state monk)" = running ]; then pass "read_only = yes: drain monk refused"; else fail "read_only = yes: rc=$rc $(cat "$TMP/e")"; fi

# ---- the other host unreachable (its SSH refused): the interlock says so, within the timeout ----
python3 - "$CONF" "$TMP/dead.conf" <<'PY'
import sys
s = open(sys.argv[1]).read()
i = s.index("[host kscloud1]"); j = s.index("[prometheus]")
open(sys.argv[2], "w").write(s[:i] + s[i:j].replace("ssh = root@127.0.0.3:22", "ssh = root@127.0.0.21:1") + s[j:])
PY
t0=$(lab_ms)
"$KT" -c "$TMP/dead.conf" drain monk --yes >"$TMP/o" 2>"$TMP/e"; rc=$?
t1=$(lab_ms)
if [ $rc = 1 ] && grep -q "interlock: no other host has a healthy connector: kscloud1: cloudflared state unknown: cannot reach kscloud1 over SSH" "$TMP/e" &&
   [ "$(state monk)" = running ] && [ $((t1 - t0)) -lt 10000 ]; then
	pass "kscloud1 unreachable: drain monk refused in $((t1 - t0)) ms: $(cat "$TMP/e")"
else
	fail "kscloud1 unreachable: rc=$rc in $((t1 - t0)) ms: $(cat "$TMP/e")"
fi

# ---- every attempt is in the audit log ----
# attempts: drain, refused drain, undrain, flip, flip, undrain, forced drain, undrain, 3 + 1 read-only,
# refused drain (kscloud1 unreachable)
started=$(grep -c '"result":"started"' "$AUDIT")
outcomes=$(grep -cE '"result":"(ok|failed)"' "$AUDIT")
refused=$(grep -c '"result":"refused"' "$AUDIT")
mode=$(stat -c %a "$AUDIT")
if [ "$started" = 7 ] && [ "$outcomes" = 7 ] && [ "$refused" = 6 ] && [ "$mode" = 600 ] &&
   python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$AUDIT"; then
	pass "audit log: 7 actions (started + outcome), 6 refusals, every line JSON, mode $mode"
else
	fail "audit log: started=$started outcomes=$outcomes refused=$refused mode=$mode"; cat "$AUDIT"
fi
grep -q '"action":"flip"' "$AUDIT" && grep -q '"target":"cloudflared (to kscloud1)"' "$AUDIT" &&
	pass "flip is audited with its target host" || fail "flip not in the audit log"

both_healthy && pass "both connectors run and are listed (end)" || fail "connectors not both up at the end"
[ "$fails" = 0 ]
