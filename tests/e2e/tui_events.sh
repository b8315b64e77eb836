#!/bin/sh
# Docker's event stream, end to end: kitetop watches monk (over SSH) with a
# refresh of 10 s, so that a change seen within 2 s can only have come from
# the event stream (backends/docker_watch.h).  A container of this test's own
# (kt-events-PID, busybox sleep; the lab's containers are never touched) is
# created, stopped, started and removed with the docker CLI, outside kitetop;
# each change must be on the screen within 2 s.  Then monk's sshd session is
# not touched: between changes, the screen must not change its container rows
# (nothing was asked, nothing changed).
. tests/e2e/e2e-lib
SOCK=/run/kitetop-lab/monk/docker.sock
if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -S "$SOCK" ]; then
	echo "PASS: skipped (the lab is not up)"; e2e_finish; exit 0
fi
C=kt-events-$$
dk() { docker -H "unix://$SOCK" "$@"; }
trap 'dk rm -f "$C" >/dev/null 2>&1' EXIT
{ printf '[kitetop]\nrefresh = 10\n\n'; lab_host monk 127.0.0.2 ssh "$SOCK"; } >"$E2E_TMP/events.conf"
e2e_start ev 160 50 "$KT -c $E2E_TMP/events.conf"
check "monk's containers listed" wait_for ev "watchtower" 15
# the event stream starts with the second poll (10 s later), then lists once
sleep 12

ms() { t=${EPOCHREALTIME:-}; [ -n "$t" ] && echo $(( ${t%.*} * 1000 + $(printf '%.3s' "${t#*.}") )) || date +%s%3N; }
t0=$(ms)
dk run -d --name "$C" --init --network host kitestacks/busybox:lab sleep 100000 >/dev/null ||
	fail "cannot create the test container $C"
check "a container created outside kitetop appears within 2 s" wait_re ev "$C +running" 2
echo "  (created to shown: $(( $(ms) - t0 )) ms)"

t0=$(ms)
dk stop -t 1 "$C" >/dev/null
check "stopped: shown exited within 2 s" wait_re ev "$C +exited" 2
echo "  (stop returned to shown: $(( $(ms) - t0 )) ms, the stop itself included)"

dk start "$C" >/dev/null
check "started again: shown running within 2 s" wait_re ev "$C +running" 2

dk rm -f "$C" >/dev/null
# its row (a glyph, then the name); the recent events under the columns still name it
check "removed: gone from the screen within 2 s" wait_re_gone ev "(●|▲|✖|◌) $C " 2

# quiet: with nothing changing, the container rows stay as they are (no
# list is needed to know it; only uptimes move, at the 10 s refresh)
# (the columns' rows only: the Recent events panel below them, drawn with
# "│", may still be adding the removal above)
screen ev | grep "^┃" | grep -c "running" >"$E2E_TMP/n1"
sleep 3
screen ev | grep "^┃" | grep -c "running" >"$E2E_TMP/n2"
check "quiet: the same containers shown 3 s later" cmp -s "$E2E_TMP/n1" "$E2E_TMP/n2"
tm send-keys -t ev q
check "q leaves" wait_gone ev "watchtower" 3
e2e_finish
