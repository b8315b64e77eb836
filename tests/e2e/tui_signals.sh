#!/bin/sh
# Every signal that ends kitetop gives the terminal back: the alternate
# screen left, the cursor shown, mouse reporting off; and the exit status
# says which signal it was (128 + its number).  TERM, HUP and INT are in
# tui_basic.sh; these are the others a person or a script may send, to the
# dashboard and to a replay.
. tests/e2e/e2e-lib

conf=$E2E_TMP/local.conf
cat >"$conf" <<CONF
[kitetop]
refresh = 1
[host here]
docker = none
CONF

# pane_is SESSION FLAG VALUE: tmux reads the pane's output on its own time,
# so the last bytes kitetop wrote may be parsed a moment after it exited
pane_is() {
	n=40
	while [ "$n" -gt 0 ]; do
		[ "$(tm display-message -p -t "$1" "#{$2}")" = "$3" ] && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}

# QUIT dumps core by design: none is wanted from a test
ulimit -c 0 2>/dev/null
# (numbers as on Linux: dash's kill -l does not map names to numbers)
for pair in QUIT:3 USR1:10 USR2:12 ALRM:14; do
	sig=${pair%:*}; num=${pair#*:}
	out=$E2E_TMP/rc.$sig
	# (the shell stays: tmux hides the cursor of a pane whose process is gone)
	e2e_start "s$sig" 100 30 "ulimit -c 0; $KT -c $conf; echo rc=\$? >$out; sleep 60"
	wait_for "s$sig" "1 Overview" 5
	check "SIG$sig: kitetop put the alternate screen on, the cursor off, the mouse on" \
		[ "$(tm display-message -p -t "s$sig" '#{alternate_on}:#{cursor_flag}:#{mouse_any_flag}')" = 1:0:1 ]
	shpid=$(tm display-message -p -t "s$sig" '#{pane_pid}')
	kpid=$(pgrep -P "$shpid" | head -n1)
	kill -s "$sig" "$kpid"
	n=100; while [ $n -gt 0 ] && ! [ -s "$out" ]; do sleep 0.05; n=$((n-1)); done
	check "SIG$sig ends kitetop with status $((128 + num))" grep -qx "rc=$((128 + num))" "$out"
	check "SIG$sig leaves the alternate screen" pane_is "s$sig" alternate_on 0
	check "SIG$sig shows the cursor" pane_is "s$sig" cursor_flag 1
	check "SIG$sig turns mouse reporting off" pane_is "s$sig" mouse_any_flag 0
done

# The replay shares the handlers: a signal ends it in order too.
rec=$E2E_TMP/local.rec
$KT -c "$conf" record "$rec" --for 2s 2>/dev/null
for pair in USR1:10 QUIT:3; do
	sig=${pair%:*}; num=${pair#*:}
	out=$E2E_TMP/replay.$sig
	e2e_start "r$sig" 100 30 "ulimit -c 0; $KT replay $rec; echo rc=\$? >$out; sleep 60"
	wait_re "r$sig" "REPLAY 20[0-9-]+" 5
	shpid=$(tm display-message -p -t "r$sig" '#{pane_pid}')
	kpid=$(pgrep -P "$shpid" | head -n1)
	kill -s "$sig" "$kpid"
	n=100; while [ $n -gt 0 ] && ! [ -s "$out" ]; do sleep 0.05; n=$((n-1)); done
	check "replay: SIG$sig ends it with status $((128 + num))" grep -qx "rc=$((128 + num))" "$out"
	check "replay: SIG$sig gives the terminal back" sh -c "
		n=40; while [ \$n -gt 0 ]; do
			[ \"\$(tmux -L $E2E_SOCK display-message -p -t r$sig '#{alternate_on}:#{cursor_flag}:#{mouse_any_flag}')\" = 0:1:0 ] && exit 0
			sleep 0.05; n=\$((n-1)); done; exit 1"
done

e2e_finish
