#!/bin/bash
# The Traffic view (4) is truthful when the link to a host dies during a drain: on the
# private daemons of tests/lab/tunnel-private-lib (hosts a and b on 127.0.0.61/62, a
# connector cf-a whose docker stop takes its whole t = 8 s), in tmux at 160x40.
# d y on a, and a's sshd killed when the engine reports the stop's TERM:
#   kept down: the toast says "drain a: unknown: not known whether a is drained ...
#   check with ...", the audit log started + unknown, never failed;
#   (a's sshd back, u y undrains a)
#   back 2 s later: the toast says a drained, verified after the link came back.
# Skips without root, sshd, dockerd or busybox.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. tests/e2e/e2e-lib
. tests/lab/tunnel-private-lib
if ! tp_usable; then
	echo "SKIP: needs root, /usr/sbin/sshd, dockerd, docker, /bin/busybox, $PY"; e2e_finish; exit 0
fi
trap 'tm kill-server 2>/dev/null; tp_cleanup' EXIT
trap 'exit 1' INT TERM
tp_up || { e2e_finish; exit 1; }

e2e_start t 160 40 "$KT -c $T/kt.conf"
tm send-keys -t t 4
check "4: a's connector runs, ready, live at the edge" wait_re t 'a +cf-a +● running +ready 4 .* 4 live' 20
check "4: b's too" wait_re t 'b +cf-b +● running +ready 4 .* 4 live' 5

# ---- the link stays down: unknown ----
tm send-keys -t t d
check "d: asks 'Drain a? All traffic goes to b.'" wait_for t "Drain a? All traffic goes to b." 5
tp_watch k1
tm send-keys -t t y
if tp_saw k1 "kill 15"; then
	sshd_kill a
	pass "y: the link to a cut when the engine sent cf-a its TERM"
else
	fail "y: the engine never sent cf-a its TERM ($(cat "$T/k1.events"))"
fi
tp_unwatch
check "the toast: unknown, not failed, and what to check" \
	wait_re t 'drain a: unknown: not known whether a is drained: the link to a died after the stop was sent; check with' 40
check "the audit log: started, unknown ($(results))" wait_until 5 eval '[ "$(results)" = "started unknown " ]'
check "no 'failed' on the screen or in the audit log" \
	eval '! screen t | grep -q "drain a failed" && ! grep -q "\"result\":\"failed\"" "$AUDIT"'

# ---- back up; undrain ----
check "a's sshd back" sshd_start a
check "4: a shows DRAINED once its link is back" wait_re t 'a +cf-a +✖ DRAINED' 40
tm send-keys -t t u
check "u: asks 'Undrain a?'" wait_for t "Undrain a?" 5
tm send-keys -t t y
check "u y: a undrained" wait_re t 'a undrained: ready, 4 connections' 40
check "4: a running and live again" wait_re t 'a +cf-a +● running +ready 4 .* 4 live' 30

# ---- the link comes back 2 s later: verified ----
: >"$AUDIT"
tm send-keys -t t d
check "d: asks again" wait_for t "Drain a? All traffic goes to b." 5
tp_watch k2
tm send-keys -t t y
if tp_saw k2 "kill 15"; then
	sshd_kill a
	pass "y: the link to a cut when the engine sent cf-a its TERM"
else
	fail "y: the engine never sent cf-a its TERM ($(cat "$T/k2.events"))"
fi
tp_unwatch
sleep 2   # the outage's length, not a wait for a state
check "a's sshd back after 2 s" sshd_start a
check "the toast: a drained, verified after the link came back" \
	wait_re t 'a drained: cf-a stopped \(exit code 137\) \(verified after the link came back\)' 40
check "the audit log: started, ok ($(results))" wait_until 5 eval '[ "$(results)" = "started ok " ]'
screen t >"$E2E_TMP/last.txt"
tm send-keys -t t q
e2e_finish
