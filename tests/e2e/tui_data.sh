#!/bin/bash
# tui_data.sh — the Data view (3) in tmux, as a person sees it: both databases
# (a private PostgreSQL on 127.0.0.24 with sessions named like both hosts'
# apps, from the hosts' addresses through bound relays; the lab's Redis), the
# client groups with host names, the per-host verdicts, Tailscale over the
# lab's sshd ("not installed"); the overview's shared strip; the verdict
# flipping when monk's forgejo connects; PostgreSQL stopped: its error in the
# view within the timeout, and the figures back after the restart.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/e2e-lib
. tests/e2e/pgprivate-lib
trap 'tm kill-server 2>/dev/null; pgp_cleanup' EXIT

if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -r /run/kitetop-lab/redis.pass ]; then
	echo "PASS: skipped (the lab is not up)"; exit 0
fi
if [ "$(id -u)" != 0 ] || [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
	echo "PASS: skipped (needs root and PostgreSQL 15's initdb for the private cluster)"; exit 0
fi
if ! pgp_start "$(mktemp -d -t kt-pgp.XXXXXX)"; then
	fail "private PostgreSQL on 127.0.0.24 did not start"; e2e_finish; exit 1
fi
{ printf '[kitetop]\nrefresh = 1\ntimeout = 3\n'
  lab_host monk 127.0.0.2 none
  lab_host kscloud1 127.0.0.3 none
  cat <<EOF
[postgres]
conninfo = host=127.0.0.24 port=$PGP_PORT dbname=postgres user=kitetop
[redis]
address = 127.0.0.3:6379
password_file = /run/kitetop-lab/redis.pass
[service authentik]
container = authentik
[service forgejo]
container = forgejo
EOF
} >"$E2E_TMP/data.conf"
pgp_relay 127.0.0.2; PM=$PGP_RELAY_PORT
pgp_relay 127.0.0.3; PK=$PGP_RELAY_PORT
pgp_hold "$PM" authentik authentik
pgp_hold "$PM" authentik authentik
pgp_hold "$PK" authentik authentik
pgp_hold "$PK" forgejo forgejo

e2e_start d 150 45 "$KT -c $E2E_TMP/data.conf"
wait_for d "1 Overview" 5
tm send-keys -t d 3
check "3 shows the Data view with PostgreSQL 15" wait_for d "PostgreSQL 15" 8
check "and Redis 7 from the lab" wait_re d "Redis 7\.[0-9]+\.[0-9]+ +up" 8
check "verdict: authentik@monk connected (2 conns)" wait_for d "authentik@monk → shared db ✓ 2 conns" 5
check "verdict: authentik@kscloud1 connected (1 conn)" wait_for d "authentik@kscloud1 → shared db ✓ 1 conn" 5
check "verdict: forgejo@monk split" wait_for d "forgejo@monk → shared db ✗ no connections (kscloud1 has 1)" 5
check "client groups: database x application x client host by name" \
	wait_re d "authentik +authentik +monk +2 +2 idle" 5
check "client groups: kscloud1's forgejo" wait_re d "forgejo +forgejo +kscloud1 +1 +1 idle" 5
check "databases listed with sizes" wait_re d "databases +authentik +[0-9.]+ [KMG]iB" 5
check "tailscale over ssh: not installed on the lab's hosts" wait_re d "monk +tailscale: not installed" 10
check "header says crit (a split)" wait_re d "^ kitetop .* crit: " 5
tm send-keys -t d 1
check "overview's shared strip: monk lacks forgejo" wait_for d "monk ✗ no forgejo" 5
tm send-keys -t d 3
pgp_hold "$PM" forgejo forgejo; f_monk=$PGP_HOLD_PID
check "monk's forgejo connects: the verdict flips to connected" wait_for d "forgejo@monk → shared db ✓ 1 conn" 6
check "and the header leaves crit" wait_gone d "refresh 1s  crit" 5
pgp_close "$f_monk"
check "monk's forgejo closes: split again" wait_for d "forgejo@monk → shared db ✗ no connections" 6

pgp_stop
t0=$(date +%s)
if wait_re d "postgres: (server closed|connection (refused|lost))" 8; then
	pass "PostgreSQL stopped: its error in words in the view within $(( $(date +%s) - t0 )) s"
else
	fail "PostgreSQL stopped: no error shown"; screen d | head -20
fi
check "verdicts turn unknown" wait_for d "authentik@monk → shared db ? unknown" 5
check "the figures left are marked as the last ones" wait_re d "last figures, [0-9]+s old" 5
pgp_restart
pgp_hold "$PM" authentik authentik
pgp_hold "$PM" authentik authentik
pgp_hold "$PK" authentik authentik
check "PostgreSQL back: verdicts connected again" wait_for d "authentik@monk → shared db ✓ 2 conns" 40
check "and its error gone" wait_gone d "last figures" 5
tm send-keys -t d q
e2e_finish
