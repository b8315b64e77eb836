#!/bin/bash
# splitbrain_lab.sh — the split-brain check end to end, with real PostgreSQL and
# real client addresses: psql sessions named like both hosts' apps
# (application_name authentik / forgejo) reach Postgres through small TCP relays
# whose outgoing sockets are bound to 127.0.0.2 (monk) or 127.0.0.3 (kscloud1),
# so that pg_stat_activity shows those client addresses.
#
#   1. the lab's shared Postgres (127.0.0.3:5432): both hosts' apps connected,
#      grouped by client address, every verdict ok (never a split here: other
#      tests read the lab's overall verdict at the same time);
#   2. a private cluster on 127.0.0.24 (tests/e2e/pgprivate-lib): one host's
#      forgejo missing is a split (overall crit), and the verdict flips when
#      connections open and close; a role without pg_monitor gives unknown
#      verdicts with the reason; stopping the cluster turns the postgres section
#      into an error within the timeout, and it comes back after the restart.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
TMP=$(mktemp -d)
. tests/e2e/pgprivate-lib
trap 'pgp_cleanup; rm -rf "$TMP"' EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -r /run/kitetop-lab/pg.pass ]; then
	echo "PASS: skipped (the lab is not up; KT_LAB_UP=1 with make lab)"; exit 0
fi
if [ "$(id -u)" != 0 ] || [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
	echo "PASS: skipped (needs root and PostgreSQL 15's initdb for the private cluster)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make kitetop)"; exit 1; }

conf() { # FILE PGHOST PGPORT USER [PASSWORD_FILE]
	cat >"$1" <<EOF
[kitetop]
refresh = 1
timeout = 3
[host monk]
address = 127.0.0.2
docker = none
[host kscloud1]
address = 127.0.0.3
docker = none
[postgres]
conninfo = host=$2 port=$3 dbname=postgres user=$4
${5:+password_file = $5}
[service homepage]
container = homepage
[service authentik]
container = authentik
[service forgejo]
container = forgejo
EOF
}

# verdicts FILE: "app@host verdict conns" lines, sorted; then "overall X".
verdicts() {
	python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in sorted(d["postgres"].get("split_brain") or [], key=lambda e: (e["app"], e["host"])):
    print("%s@%s %s %s" % (e["app"], e["host"], e["verdict"], e["connections"]))
print("overall", d["overall"])
PY
}
status() { "$KT" status --json -c "$1" >"$2" 2>"$TMP/err"; }

# ---- 1. the lab's Postgres -------------------------------------------------------------
conf "$TMP/lab.conf" 127.0.0.3 5432 kitetop /run/kitetop-lab/pg.pass
PW=$(cat /run/kitetop-lab/pg.pass)
pgp_relay 127.0.0.2 127.0.0.3 5432; LM=$PGP_RELAY_PORT
pgp_relay 127.0.0.3 127.0.0.3 5432; LK=$PGP_RELAY_PORT
holds=()
pgp_hold "$LM" authentik authentik kitetop "$PW"; holds+=("$PGP_HOLD_PID")
pgp_hold "$LM" authentik authentik kitetop "$PW"; holds+=("$PGP_HOLD_PID")
pgp_hold "$LM" forgejo forgejo kitetop "$PW"; holds+=("$PGP_HOLD_PID")
pgp_hold "$LK" authentik authentik kitetop "$PW"; holds+=("$PGP_HOLD_PID")
pgp_hold "$LK" forgejo forgejo kitetop "$PW"; holds+=("$PGP_HOLD_PID")
sleep 1.5
status "$TMP/lab.conf" "$TMP/lab.json"
verdicts "$TMP/lab.json" >"$TMP/lab.v"
if grep -qx "authentik@monk ok 2" "$TMP/lab.v" && grep -qx "authentik@kscloud1 ok 1" "$TMP/lab.v" &&
   grep -qx "forgejo@monk ok 1" "$TMP/lab.v" && grep -qx "forgejo@kscloud1 ok 1" "$TMP/lab.v"; then
	pass "lab postgres: authentik and forgejo of both hosts connected, counted per host"
else
	fail "lab postgres verdicts: $(tr '\n' ';' <"$TMP/lab.v")"
fi
python3 - "$TMP/lab.json" <<'PY' && pass "lab postgres: clients grouped by database x application x client address" || fail "lab postgres client groups"
import json, sys
c = json.load(open(sys.argv[1]))["postgres"]["clients"]
def n(db, app, addr):
    return sum(g["count"] for g in c if g["database"] == db and g["application"] == app and g["client_addr"] == addr)
assert n("authentik", "authentik", "127.0.0.2") == 2, c
assert n("authentik", "authentik", "127.0.0.3") == 1, c
assert n("forgejo", "forgejo", "127.0.0.2") == 1, c
assert n("forgejo", "forgejo", "127.0.0.3") == 1, c
PY
pgp_close "${holds[@]}"

# ---- 2. a private cluster ------------------------------------------------------------------
if ! pgp_start "$(mktemp -d -t kt-pgp.XXXXXX)"; then
	fail "private PostgreSQL cluster on 127.0.0.24 did not start ($(tail -3 "$PGP_DIR/initdb.log" "$PGP_DIR/pg.log" 2>/dev/null | tr '\n' ' '))"
	exit 1
fi
conf "$TMP/p.conf" 127.0.0.24 "$PGP_PORT" kitetop
pgp_relay 127.0.0.2; PM=$PGP_RELAY_PORT
pgp_relay 127.0.0.3; PK=$PGP_RELAY_PORT
pgp_hold "$PM" authentik authentik; a_monk=$PGP_HOLD_PID
pgp_hold "$PK" authentik authentik; a_ks=$PGP_HOLD_PID
pgp_hold "$PK" forgejo-web forgejo; f_ks=$PGP_HOLD_PID
sleep 1.5
status "$TMP/p.conf" "$TMP/p1.json"; verdicts "$TMP/p1.json" >"$TMP/p1.v"
if grep -qx "forgejo@monk split 0" "$TMP/p1.v" && grep -qx "forgejo@kscloud1 ok 1" "$TMP/p1.v" &&
   grep -qx "authentik@monk ok 1" "$TMP/p1.v" && grep -qx "overall crit" "$TMP/p1.v"; then
	pass "forgejo only on kscloud1 (application forgejo-web): forgejo@monk split, overall crit"
else
	fail "split verdicts: $(tr '\n' ';' <"$TMP/p1.v")"
fi
"$KT" status -c "$TMP/p.conf" >"$TMP/p1.txt" 2>&1
grep -q "forgejo@monk -> shared db X no connections (kscloud1 has 1)" "$TMP/p1.txt" &&
	pass "status text names the split" || fail "status text: $(grep -i split "$TMP/p1.txt")"

pgp_hold "$PM" forgejo forgejo; f_monk=$PGP_HOLD_PID
sleep 1.5
status "$TMP/p.conf" "$TMP/p2.json"; verdicts "$TMP/p2.json" >"$TMP/p2.v"
if ! grep -q " split " "$TMP/p2.v" && grep -qx "forgejo@monk ok 1" "$TMP/p2.v" && ! grep -qx "overall crit" "$TMP/p2.v"; then
	pass "monk's forgejo connects: no split, overall not crit"
else
	fail "after monk's forgejo connects: $(tr '\n' ';' <"$TMP/p2.v")"
fi

pgp_close "$a_ks"
sleep 1
status "$TMP/p.conf" "$TMP/p3.json"; verdicts "$TMP/p3.json" >"$TMP/p3.v"
if grep -qx "authentik@kscloud1 split 0" "$TMP/p3.v" && grep -qx "authentik@monk ok 1" "$TMP/p3.v" &&
   grep -qx "overall crit" "$TMP/p3.v"; then
	pass "kscloud1's authentik closes its connection: authentik@kscloud1 flips to split"
else
	fail "after closing kscloud1's authentik: $(tr '\n' ';' <"$TMP/p3.v")"
fi
pgp_close "$a_monk" "$f_monk" "$f_ks"
sleep 1
status "$TMP/p.conf" "$TMP/p4.json"; verdicts "$TMP/p4.json" >"$TMP/p4.v"
if grep -qx "authentik@monk none 0" "$TMP/p4.v" && grep -qx "forgejo@kscloud1 none 0" "$TMP/p4.v" &&
   ! grep -qx "overall crit" "$TMP/p4.v"; then
	pass "no app connected at all: none everywhere, not a split"
else
	fail "with no connections: $(tr '\n' ';' <"$TMP/p4.v")"
fi

# a role without pg_monitor
conf "$TMP/nomon.conf" 127.0.0.24 "$PGP_PORT" nomon
pgp_hold "$PM" authentik authentik; a_monk=$PGP_HOLD_PID
sleep 1
status "$TMP/nomon.conf" "$TMP/n.json"
python3 - "$TMP/n.json" <<'PY' && pass "role without pg_monitor: postgres answers, verdicts unknown with the reason" || fail "role without pg_monitor: $(head -c 600 "$TMP/n.json")"
import json, sys
p = json.load(open(sys.argv[1]))["postgres"]
assert p["ok"] is True, p
sb = p["split_brain"]
assert sb and all(e["verdict"] == "unknown" and e["connections"] is None for e in sb), sb
assert all("lacks pg_monitor" in e["error"] for e in sb), sb
PY
pgp_close "$a_monk"

# stopping the cluster: the section's error within the timeout, and back after the restart
pgp_hold "$PM" authentik authentik; a_monk=$PGP_HOLD_PID
pgp_hold "$PK" authentik authentik; a_ks=$PGP_HOLD_PID
sleep 1
pgp_stop
t0=$(date +%s%N)
status "$TMP/p.conf" "$TMP/s1.json"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
python3 - "$TMP/s1.json" <<'PY' && pass "postgres stopped: ok false, error in words, verdicts unknown, overall crit (${ms} ms)" || fail "postgres stopped: $(head -c 800 "$TMP/s1.json")"
import json, sys
d = json.load(open(sys.argv[1])); p = d["postgres"]
assert p["ok"] is False and p["version"] is None, p
assert "connection refused" in p["error"], p["error"]
assert d["overall"] == "crit", d["overall"]
PY
[ "$ms" -lt 6000 ] && pass "the error came within the timeout (3 s): ${ms} ms" || fail "the error took ${ms} ms"
pgp_restart
pgp_close "$a_monk" "$a_ks"
status "$TMP/p.conf" "$TMP/s2.json"
python3 - "$TMP/s2.json" <<'PY' && pass "postgres restarted: ok again" || fail "after the restart: $(head -c 800 "$TMP/s2.json")"
import json, sys
p = json.load(open(sys.argv[1]))["postgres"]
assert p["ok"] is True and p["error"] is None and p["version"].startswith("15"), p
PY
[ "$fails" -eq 0 ]
