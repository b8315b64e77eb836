#!/bin/sh
# The TUI on this machine's own metrics: first frame, figures, help, resize
# down to "terminal too small" and back, quitting with q, and the terminal
# restored after q, SIGTERM, SIGHUP and Ctrl-C.
. tests/e2e/e2e-lib

conf=$E2E_TMP/local.conf
cat >"$conf" <<CONF
[kitetop]
refresh = 1
[host here]
CONF

e2e_start main 120 40 "$KT -c $conf; echo rc=\$? >$E2E_TMP/main.rc"
check "first frame shows the header and the host column" wait_for main "1 Overview" 5
check "host column titled with its name" wait_for main "here" 2
check "CPU figure appears with a percentage" sh -c "
	n=100; while [ \$n -gt 0 ]; do
		tmux -L $E2E_SOCK capture-pane -p -t main | grep -Eq 'CPU.*[0-9]+(\.[0-9])?%' && exit 0
		sleep 0.05; n=\$((n-1)); done; exit 1"
check "memory, disk, load and uptime rows" sh -c "tmux -L $E2E_SOCK capture-pane -p -t main | grep -q MEM &&
	tmux -L $E2E_SOCK capture-pane -p -t main | grep -q DISK &&
	tmux -L $E2E_SOCK capture-pane -p -t main | grep -q LOAD"
check "ages shown next to the figures" sh -c "tmux -L $E2E_SOCK capture-pane -p -t main | grep -Eq '% +[0-9]+s'"

tm send-keys -t main '?'
check "? opens the help generated from the key table" wait_for main "pause / resume refreshing" 2
check "help lists quit" wait_for main "close this help" 1
tm send-keys -t main Escape
check "Esc closes the help" wait_gone main "close this help" 2

tm send-keys -t main 'p'
check "p pauses (header says PAUSED)" wait_for main "PAUSED" 2
tm send-keys -t main 'p'
check "p again resumes" wait_gone main "PAUSED" 4

tm send-keys -t main 'T'
check "T switches to the next theme" wait_for main "theme: light" 2

tm resize-window -t main -x 18 -y 5
check "18x5 says terminal too small" wait_for main "terminal too smal" 2
tm resize-window -t main -x 50 -y 20
check "recovers when enlarged (narrow layout)" wait_for main "CPU" 3
tm resize-window -t main -x 200 -y 50
check "wide layout" wait_for main "1 Overview" 2

tm send-keys -t main 'q'
# (the exit status comes from the shell around kitetop: tmux 3.3 does not
# always reap a pane's process promptly, so #{pane_dead_status} can lag)
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/main.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits" [ -s "$E2E_TMP/main.rc" ]
check "q exits with status 0" grep -qx "rc=0" "$E2E_TMP/main.rc"

# The terminal must be back in cooked mode after each way of ending.
for how in TERM HUP INT; do
	out=$E2E_TMP/stty.$how
	e2e_start "sig$how" 100 30 "$KT -c $conf; echo rc=\$? >$out; stty -a >>$out"
	wait_for "sig$how" "1 Overview" 5
	shpid=$(tm display-message -p -t "sig$how" '#{pane_pid}')
	kpid=$(pgrep -P "$shpid" | head -n1)
	if [ "$how" = INT ]; then tm send-keys -t "sig$how" C-c; else kill -"$how" "$kpid"; fi
	n=100; while [ $n -gt 0 ] && ! grep -q icanon "$out" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
	check "SIG$how ends kitetop" grep -q "^rc=1[0-9][0-9]" "$out"
	check "SIG$how restores the terminal (echo, icanon)" sh -c "grep -Eq '(^| )icanon' $out && grep -Eq '(^| )echo( |\$)' $out"
done

e2e_finish
