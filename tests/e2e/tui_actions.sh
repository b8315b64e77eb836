#!/bin/sh
# The TUI's container actions against the lab's monk, over SSH, on a container of this
# test's own (kt-actions-e2e-PID, removed at the end; the lab's containers are never
# touched): select it, r, y: the progress box, the toast, and the new uptime at the next
# poll; n cancels; s stops and s starts again; in read-only mode r and s only say
# "read-only".  Every attempt lands in the audit log.  Skips itself when the lab is not up.
. tests/e2e/e2e-lib
SOCK=/run/kitetop-lab/monk/docker.sock
if [ "${KT_LAB_UP:-}" = 0 ] || ! docker -H "unix://$SOCK" version >/dev/null 2>&1; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
C=kt-actions-e2e-$$
dk() { docker -H "unix://$SOCK" "$@"; }
trap 'dk rm -f "$C" >/dev/null 2>&1' EXIT
dk run -d --name "$C" --init --network host kitestacks/busybox:lab sleep 100000 >/dev/null ||
	{ fail "cannot create the test container $C"; e2e_finish; exit 1; }

AUDIT=$E2E_TMP/audit.log
write_conf() { # FILE [EXTRA]
	{ printf '[kitetop]\nrefresh = 1\naudit_log = %s\n%s\n\n' "$AUDIT" "$2"
	  lab_host monk 127.0.0.2 ssh "$SOCK"; } >"$1"
}
write_conf "$E2E_TMP/lab.conf"
write_conf "$E2E_TMP/ro.conf" "read_only = yes"

# select_it SESSION KEY VERB: moves down the list with j until KEY's dialog names our
# container ("VERB kt-actions-e2e-N on monk?"), cancelling the other dialogs with n.
select_it() {
	tm send-keys -t "$1" g
	i=0
	while [ $i -lt 40 ]; do
		tm send-keys -t "$1" "$2"
		wait_re "$1" "[A-Z][a-z]+ [^ ]+ on monk\\?" 3 || return 1
		if screen "$1" | grep -qF "$3 $C on monk?"; then return 0; fi
		tm send-keys -t "$1" n j
		wait_gone "$1" " on monk?" 3
		i=$((i + 1))
	done
	return 1
}

e2e_start act 120 40 "$KT -c $E2E_TMP/lab.conf; echo rc=\$? >$E2E_TMP/act.rc"
check "the test container is listed" wait_re act "(●|▲|✖|◌) $C +running" 15
# let it run a while, so that a restart visibly resets its uptime
check "its uptime passes 10 s" wait_re act "$C +running +[1-9][0-9]s" 30
check "r on it: 'Restart $C on monk?' with what is seen now" select_it act r Restart
check "the dialog shows its state and uptime" wait_re act "now: running, up [0-9]+s" 2
check "the dialog says any other key is no" wait_for act "any other key: no" 2
screen act >"$E2E_TMP/confirm.txt"
tm send-keys -t act y
check "y: the progress box (Restarting ... on monk)" wait_for act "Restarting $C on monk" 3
check "the toast: restarted" wait_re act "monk: $C restarted, running since [0-9:]+ UTC \\([0-9.]+ s\\)" 20
check "the progress box is gone" wait_gone act "Restarting $C" 3
check "the new uptime at the next poll (under 10 s)" wait_re act "$C +running +[0-9]s " 10

# n cancels: nothing happens
select_it act r Restart
tm send-keys -t act n
check "n: cancelled, nothing done" wait_for act "cancelled: nothing done" 3
check "n: the dialog is gone" wait_gone act "Restart $C on monk?" 3

# s stops (it runs), s again starts
check "s on a running container asks to stop it" select_it act s Stop
tm send-keys -t act y
check "y: stopped (toast)" wait_re act "monk: $C stopped \\(exit code [0-9]+\\)" 20
check "the list shows it exited" wait_re act "$C +exited" 10
check "s on an exited container asks to start it" select_it act s Start
tm send-keys -t act y
check "y: started (toast)" wait_re act "monk: $C started, running since" 20
check "the list shows it running again" wait_re act "$C +running +[0-9]s " 10
check "the engine agrees: running" sh -c "[ \"\$(docker -H unix://$SOCK inspect -f '{{.State.Status}}' $C)\" = running ]"
# the actions in the Events view (6): each outcome with its duration, and
# the stop's effect tied to its action by the id's tail
tm send-keys -t act 6
check "6: the restart's outcome with how long it took" wait_re act "restart $C: ok \(in [0-9.]+ (ms|s)\) +#[0-9a-z-]+" 5
check "6: the stop's effect, running → exited, with the action's id" sh -c "
	id=\$(tmux -L $E2E_SOCK capture-pane -p -t act | grep -E 'stop $C: ok' | grep -oE '#[0-9a-z-]+' | head -1)
	[ -n \"\$id\" ] && tmux -L $E2E_SOCK capture-pane -p -t act | grep -E '$C +running → exited' | grep -qF -- \"\$id\""
tm send-keys -t act 1
tm send-keys -t act q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/act.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/act.rc"

# read-only: the keys only say so
e2e_start ro 120 40 "$KT -c $E2E_TMP/ro.conf; echo rc=\$? >$E2E_TMP/ro.rc"
# its row (the recent events under the columns name it before the list arrives)
check "read-only: the test container is listed" wait_re ro "(●|▲|✖|◌) $C +running" 15
started=$(dk inspect -f '{{.State.StartedAt}}' "$C")
tm send-keys -t ro r
# the toast, not the header's [read-only] badge
check "read-only: r says read-only" wait_re ro '^ read-only' 3
check "read-only: and opens no dialog" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t ro | grep -q ' on monk?'"
tm send-keys -t ro s
check "read-only: s says read-only too" wait_re ro '^ read-only' 3
tm send-keys -t ro y
sleep 1
check "read-only: nothing restarted" [ "$started" = "$(dk inspect -f '{{.State.StartedAt}}' "$C")" ]
tm send-keys -t ro q
sleep 0.5

# the audit log: the three actions, each "started" then "ok"; the cancels wrote nothing;
# the read-only r and s one "refused" line each (on the first row, whichever it is)
check "audit log: restart, stop, start, each started then ok; read-only: refused lines" sh -c "
	grep -o '\"action\":\"[a-z]*\",\"forced\":false,\"result\":\"[a-z]*\"' $AUDIT |
	sed 's/\"action\":\"\\([a-z]*\\)\".*\"result\":\"\\([a-z]*\\)\"/\\1 \\2/' | tr '\n' ' ' |
	grep -Eqx 'restart started restart ok stop started stop ok start started start ok restart refused (stop|start) refused '"

# the command line on a terminal: it asks, Enter (the default) is no, y is yes
e2e_start ask 100 10 "$KT -c $E2E_TMP/lab.conf restart monk $C; echo rc=\$? >$E2E_TMP/ask.rc; sleep 30"
check "restart on a terminal asks: Restart $C on monk? [y/N]" wait_for ask "Restart $C on monk? [y/N]" 5
tm send-keys -t ask Enter
check "Enter: cancelled, nothing done, exit 1" sh -c "n=60; while [ \$n -gt 0 ] && ! [ -s $E2E_TMP/ask.rc ]; do sleep 0.05; n=\$((n-1)); done; grep -qx rc=1 $E2E_TMP/ask.rc"
check "  says so" wait_for ask "kitetop: cancelled, nothing done" 2
e2e_start ask2 100 10 "$KT -c $E2E_TMP/lab.conf restart monk $C; echo rc=\$? >$E2E_TMP/ask2.rc; sleep 30"
check "asks again" wait_for ask2 "[y/N]" 5
tm send-keys -t ask2 y Enter
check "y: progress on the terminal" wait_re ask2 "kitetop: monk: (restarting|verifying|$C runs)" 10
check "y: the result, exit 0" wait_re ask2 "monk: $C restarted, running since" 15
check "  exit 0" sh -c "n=100; while [ \$n -gt 0 ] && ! [ -s $E2E_TMP/ask2.rc ]; do sleep 0.05; n=\$((n-1)); done; grep -qx rc=0 $E2E_TMP/ask2.rc"
dk rm -f "$C" >/dev/null 2>&1
e2e_finish
