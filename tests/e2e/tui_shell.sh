#!/bin/sh
# Shells from the dashboard and the command line, against the lab's monk over
# SSH: e on a lab container (homepage; only read-only commands are typed in
# it) and S on the host each open a shell on the same terminal, which
# computes 42, follows a resize (stty size), and on exit gives the dashboard
# back as it was (its tabs and container names compared before and after);
# kitetop exec prints and exits with the command's status, with a pty (in
# tmux) and without (a pipe); --read-only refuses everywhere; the audit log
# names what was opened.  A host without ssh, with monk's engine as its local
# socket, opens the same container's shell with docker exec forked here.
# Skips itself when the lab is not up.
. tests/e2e/e2e-lib
SOCK=/run/kitetop-lab/monk/docker.sock
if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -r /run/kitetop-lab/operator_ed25519 ]; then
	echo "PASS: skipped (the lab is not up; KT_LAB_UP=1 with make lab)"; e2e_finish; exit 0
fi
C=homepage
AUDIT=$E2E_TMP/audit.log
{ printf '[kitetop]\nrefresh = 2\naudit_log = %s\n\n' "$AUDIT"; lab_host monk 127.0.0.2 ssh; } \
	>"$E2E_TMP/lab.conf"
{ printf '[kitetop]\naudit_log = %s\n\n[host here]\ndocker = unix://%s\n' "$AUDIT" "$SOCK"; } \
	>"$E2E_TMP/local.conf"

# the parts of the dashboard that do not move by themselves: the tabs of the
# header and the container names (ages, uptimes and the toast do)
stable() {
	screen "$1" | sed -n '1s/^ *kitetop *\(.*Events\).*/\1/p'
	screen "$1" | sed -n 's/^┃[●○◐✖!? ]* \([a-z][a-z0-9_.-]*\)  .*/\1/p' | sort
}

# resized SESSION: stty size shows 30 100 within a few tries.  In a container
# the new size goes on from the host's pty to the container's through the
# docker CLI's own resize call, after kitetop's window change: a command typed
# at once may still see the old size.
resized() {
	for try in 1 2 3 4 5; do
		tm send-keys -t "$1" 'clear; stty size' Enter
		wait_re "$1" '^30 100 *$' 2 && return 0
	done
	return 1
}

# in_shell SESSION WHAT: types into the shell, waits for 42, stty size
# matches the pane, then the pane is resized and stty size follows
in_shell() {
	tm send-keys -t "$1" 'echo $((6*7))' Enter
	check "$2: echo \$((6*7)) gives 42" wait_re "$1" '^42 *$' 10
	tm send-keys -t "$1" 'stty size' Enter
	check "$2: stty size is the pane's (35 120)" wait_re "$1" '^35 120 *$' 10
	tm resize-window -t "$1" -x 100 -y 30
	check "$2: after a resize, stty size follows (30 100)" resized "$1"
	tm resize-window -t "$1" -x 120 -y 35
	sleep 0.3
}

e2e_start sh 120 35 "$KT -c $E2E_TMP/lab.conf"
check "monk's containers listed" wait_re sh "(●|▲|✖|◌) $C " 20
tm send-keys -t sh / "$C" Enter
check "the filter keeps $C" wait_for sh "filter: $C" 3
# the first full list of a refresh, before the shell
sleep 1
stable sh >"$E2E_TMP/before.txt"
check "the stable parts: the tabs and $C" \
	sh -c 'head -1 "$1" | grep -q "1 Overview.*6 Events" && grep -qx "$2" "$1"' - "$E2E_TMP/before.txt" "$C"

tm send-keys -t sh e
check "e: the dashboard steps aside for a shell in $C" wait_for sh "a shell in $C on monk; exit it" 10
check "e: a shell prompt in the container" wait_re sh '[#$] *$' 15
in_shell sh "e"
tm send-keys -t sh 'exit' Enter
check "exit: back in the dashboard, with a toast" wait_for sh "back from a shell in $C on monk (exit 0)" 10
sleep 0.5
stable sh >"$E2E_TMP/after.txt"
check "the dashboard is intact: tabs and container names as before" \
	cmp -s "$E2E_TMP/before.txt" "$E2E_TMP/after.txt"
check "the screen is all dashboard: nothing of the shell is left" wait_gone sh "stty size" 3

tm send-keys -t sh S
check "S: a login shell on monk" wait_for sh "a login shell on monk; exit it" 10
check "S: a shell prompt on the host" wait_re sh '[#$] *$' 30
in_shell sh "S"
tm send-keys -t sh 'exit 3' Enter
check "exit 3: back in the dashboard, the toast says 3" wait_for sh "back from a login shell on monk (exit 3)" 10
sleep 0.5
stable sh >"$E2E_TMP/after2.txt"
check "the dashboard is intact after S" cmp -s "$E2E_TMP/before.txt" "$E2E_TMP/after2.txt"
tm send-keys -t sh q
check "q still quits" wait_gone sh "Overview" 5

# the command line, in a terminal (with a pty) and in a pipe (without)
e2e_start cli 120 35 "$KT -c $E2E_TMP/lab.conf exec monk $C echo hi; echo rc=\$?; \
$KT -c $E2E_TMP/lab.conf exec monk $C sh -c 'exit 7'; echo rc=\$?"
check "exec monk $C echo hi (pty): hi" wait_re cli '^hi *$' 20
check "exec ... echo hi: exit 0" wait_for cli "rc=0" 20
check "exec ... sh -c 'exit 7': exit 7" wait_for cli "rc=7" 20
out=$($KT -c "$E2E_TMP/lab.conf" exec monk $C echo hi </dev/null 2>&1); rc=$?
check "exec without a terminal: hi, exit 0" [ "$out" = hi ] && [ "$rc" = 0 ]
$KT -c "$E2E_TMP/lab.conf" exec monk $C sh -c 'exit 7' </dev/null; rc=$?
check "exec without a terminal: exit 7" [ "$rc" = 7 ]
out=$(echo 'echo $((6*7))' | $KT -c "$E2E_TMP/lab.conf" exec monk $C sh 2>&1)
check "exec reads its stdin from a pipe, then EOF" [ "$out" = 42 ]
out=$($KT -c "$E2E_TMP/lab.conf" exec monk $C sh -c 'echo out; echo err >&2' 2>/dev/null </dev/null)
check "exec without a pty keeps stderr apart" [ "$out" = out ]
out=$($KT -c "$E2E_TMP/lab.conf" exec monk kt-no-such-$$ echo hi 2>&1 </dev/null); rc=$?
check "exec into no such container: one line, exit 1" \
	sh -c '[ "$1" = 1 ] && printf %s "$2" | grep -q "no such container kt-no-such"' - "$rc" "$out"
out=$($KT -c "$E2E_TMP/lab.conf" exec nohost $C echo hi 2>&1 </dev/null); rc=$?
check "exec on an unknown host: one line, exit 1" \
	[ "$rc" = 1 ] && [ "$out" = "kitetop: no host called nohost in the configuration" ]

# read-only
for v in "exec monk $C echo hi" "shell monk"; do
	out=$($KT -c "$E2E_TMP/lab.conf" --read-only $v 2>&1 </dev/null); rc=$?
	check "--read-only $v: refused, exit 1" [ "$rc" = 1 ] && [ "$out" = "kitetop: refused: read-only" ]
done
e2e_start ro 120 35 "$KT -c $E2E_TMP/lab.conf --read-only"
check "read-only dashboard up" wait_re ro "(●|▲|✖|◌) $C " 20
tm send-keys -t ro / "$C" Enter e
check "read-only: e says read-only" wait_for ro "read-only" 3
check "read-only: no shell opened" wait_gone ro "exit it to come back" 1
tm send-keys -t ro S
check "read-only: S says read-only, no shell" sh -c 'sleep 1; ! tmux -L "$1" -f /dev/null capture-pane -p -t ro | grep -q "exit it to come back"' - "$E2E_SOCK"
tm send-keys -t ro q

# this machine: docker exec forked on the real terminal
e2e_start loc 120 35 "$KT -c $E2E_TMP/local.conf exec here $C; echo rc=\$?"
check "local: a shell in $C through docker exec" wait_re loc '[#$] *$' 20
tm send-keys -t loc 'echo $((6*7)); exit 4' Enter
check "local: 42" wait_re loc '^42 *$' 10
check "local: the shell's exit status" wait_for loc "rc=4" 10

check "audit: exec of $C started and ok" grep -q "\"target\":\"$C\",\"action\":\"exec\",\"forced\":false,\"result\":\"ok\"" "$AUDIT"
check "audit: shell on monk ok" grep -q '"host":"monk","target":null,"action":"shell","forced":false,"result":"ok"' "$AUDIT"
check "audit: read-only refusals" grep -q '"action":"shell","forced":false,"result":"refused","error":"read-only"' "$AUDIT"
check "audit: nothing typed is logged" sh -c '! grep -q "6\*7\|stty" "$1"' - "$AUDIT"
e2e_finish
