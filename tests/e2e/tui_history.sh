#!/bin/sh
# History, end to end, against the lab: a container of this test's own
# (kt-hist-PID on monk; the lab's containers are never touched) is stopped
# outside kitetop; the change must show in the Events view (6), as "since"
# on its row, in `kitetop events`, and still after kitetop restarts (the
# event log on disk).  Then `kitetop record` records while the container
# starts again, and `kitetop replay` draws the recording: the REPLAY badge,
# the time bar, the first frame (exited), the last (running, as the live
# screen shows it), the event in its Events view, and no action taken.
. tests/e2e/e2e-lib
SOCK=/run/kitetop-lab/monk/docker.sock
if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -S "$SOCK" ]; then
	echo "PASS: skipped (the lab is not up)"; e2e_finish; exit 0
fi
C=kt-hist-$$
dk() { docker -H "unix://$SOCK" "$@"; }
trap 'dk rm -f "$C" >/dev/null 2>&1' EXIT
export XDG_STATE_HOME="$E2E_TMP/state"
conf=$E2E_TMP/history.conf
{ printf '[kitetop]\nrefresh = 1\naudit_log = %s\n\n' "$E2E_TMP/audit.log"
  lab_host monk 127.0.0.2 ssh "$SOCK"; } >"$conf"
dk run -d --name "$C" --init --network host kitestacks/busybox:lab sleep 100000 >/dev/null ||
	fail "cannot create the test container $C"

e2e_start hi 160 40 "$KT -c $conf"
check "the test container is listed running" wait_re hi "$C +running" 15
dk stop -t 1 "$C" >/dev/null
check "stopped outside kitetop: exited, with since when" wait_re hi "$C +exited [0-9]+s" 10
tm send-keys -t hi 6
check "6: the Events view" wait_for hi "Events" 3
check "the event: running → exited" wait_re hi "monk +$C +running → exited" 5
check "the header says what changed last" wait_re hi "changed [0-9]+s ago" 3
tm send-keys -t hi / && tm send-keys -t hi -l "$C" && tm send-keys -t hi Enter
check "/ filters the events" wait_re hi "1 match" 3
tm send-keys -t hi Enter
check "Enter goes to the container in the Overview" wait_re hi "$C +exited" 3
tm send-keys -t hi q
check "q leaves" wait_gone hi "Events" 3

check "the event log is a 0600 file in a 0700 directory" \
	sh -c "[ \"\$(stat -c %a '$XDG_STATE_HOME/kitetop')\" = 700 ] &&
	       [ \"\$(stat -c %a '$XDG_STATE_HOME/kitetop/events.jsonl')\" = 600 ]"
$KT -c "$conf" events --host monk >"$E2E_TMP/events.txt" 2>&1
check "kitetop events prints it" grep -Eq "monk +$C +running (→|->) exited" "$E2E_TMP/events.txt"
$KT -c "$conf" events --since 1h --json >"$E2E_TMP/events.json" 2>&1
check "kitetop events --json: the event with its fields" python3 -c "
import json, sys
ev = json.load(open('$E2E_TMP/events.json'))
sys.exit(0 if any(e['object'] == '$C' and e['kind'] == 'container' and e['to'].startswith('exited')
                  and e['from'] == 'running' and e['host'] == 'monk' for e in ev) else 1)"

# a session that stays, so that killing hi does not end the tmux server while
# hi2 connects to it ("server exited unexpectedly")
tm new-session -d -s keep "sleep 600"
tm kill-session -t hi 2>/dev/null
e2e_start hi2 160 40 "$KT -c $conf"
check "restarted: the container still exited" wait_re hi2 "$C +exited" 15
tm send-keys -t hi2 6
check "restarted: the event is still in the Events view" wait_re hi2 "monk +$C +running → exited" 5

# record while the container starts again; the live screen beside it
rec=$E2E_TMP/lab.rec
$KT -c "$conf" record "$rec" --for 6s 2>"$E2E_TMP/record.err" &
rec_pid=$!
sleep 2
dk start "$C" >/dev/null
tm send-keys -t hi2 1
check "live: running again" wait_re hi2 "$C +running" 10
wait $rec_pid
check "record ends after --for with its summary" grep -q "recorded [0-9]* frames" "$E2E_TMP/record.err"
screen hi2 | grep -E "^.{0,3}[●◌▲✖] " | grep -oE "(kt-hist-[0-9]+|watchtower) +[a-z]+" |
	sort >"$E2E_TMP/live.rows"
tm kill-session -t hi2 2>/dev/null

e2e_start rp 160 40 "$KT replay $rec"
check "replay: the REPLAY badge with the frame's time" wait_re rp "REPLAY 20[0-9-]+ [0-9:]+" 10
# the first frames may come before the engine answered: step on (.) until
# the container shows, exited as it was when the recording began
step_until() { # step_until REGEX: . until a line matches, at most 20 frames
	k=0
	while [ $k -lt 20 ]; do
		wait_re rp "$1" 1 && return 0
		tm send-keys -t rp .; k=$((k + 1))
	done
	return 1
}
tm send-keys -t rp g
check "replay g, then .: the container exited at the start" step_until "$C +exited"
tm send-keys -t rp .
check "replay: a step pauses it (the bar says so)" wait_re rp "‖ x1" 3
tm send-keys -t rp ]
check "replay ]: faster" wait_re rp "‖ x2" 3
tm send-keys -t rp [
tm send-keys -t rp G
check "replay G: the last frame, running again" wait_re rp "$C +running" 5
screen rp | grep -E "^.{0,3}[●◌▲✖] " | grep -oE "(kt-hist-[0-9]+|watchtower) +[a-z]+" |
	sort >"$E2E_TMP/replay.rows"
check "replay's last frame shows the rows the live screen showed" cmp -s "$E2E_TMP/live.rows" "$E2E_TMP/replay.rows"
check "the time bar: paused at the last frame" wait_re rp "([0-9]+)/\\1 *$" 3
tm send-keys -t rp r
check "replay refuses actions" wait_for rp "a replay takes no action" 3
tm send-keys -t rp 6
check "replay's Events view: the container started" wait_re rp "monk +$C +exited.* → running" 5
tm send-keys -t rp q
check "q leaves the replay" wait_gone rp "REPLAY" 3
check "no action was audited" sh -c "! grep -q '\"$C\"' '$E2E_TMP/audit.log' 2>/dev/null"
e2e_finish
