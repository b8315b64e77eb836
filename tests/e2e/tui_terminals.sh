#!/bin/sh
# The TUI on other terminals against the two-host lab, through tmux:
# TERM=linux and TERM=vt100 in a non-UTF-8 locale (LANG=C) give ASCII
# borders and glyphs, both hosts, no crash through the views and a resize;
# NO_COLOR gives no colour at all while the selection still shows (reverse).
# Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S /run/kitetop-lab/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf

for term in linux vt100; do
	s=$term
	e2e_start $s 100 30 "env TERM=$term LANG=C LC_ALL=C $KT -c $conf; echo rc=\$? >$E2E_TMP/$s.rc; sleep 30"
	check "$term, LANG=C: both hosts side by side" wait_re $s '^\+[=-] monk .*\+[=-] kscloud1 ' 15
	check "$term, LANG=C: containers listed" wait_for $s "kitestacks-metrics-api" 10
	check "$term, LANG=C: ASCII state glyphs and marks" wait_re $s '\|! !karakeep +unhealthy' 20
	check "$term, LANG=C: ASCII gauges" wait_re $s 'CPU \[[#-]+\]' 10
	check "$term, LANG=C: nothing but ASCII on the screen" sh -c "! $(command -v tmux) -L $E2E_SOCK capture-pane -p -t $s | LC_ALL=C grep -q \"\$(printf '[\\200-\\377]')\""
	tm send-keys -t $s Enter
	check "$term: Enter, the detail" wait_re $s 'detail: .* on monk' 5
	check "$term: the detail in ASCII" sh -c "sleep 1; ! $(command -v tmux) -L $E2E_SOCK capture-pane -p -t $s | LC_ALL=C grep -q \"\$(printf '[\\200-\\377]')\""
	tm send-keys -t $s Escape L
	check "$term: L, the logs" wait_re $s 'logs: .* on monk' 5
	tm send-keys -t $s Escape 2
	check "$term: 2, the services" wait_re $s 'SERVICE +monk +kscloud1' 5
	tm send-keys -t $s '?'
	check "$term: ?, the help" wait_for $s "help" 3
	tm send-keys -t $s Escape 1
	tm resize-window -t $s -x 40 -y 12
	check "$term: 40x12, one list across the hosts" wait_re $s "kavita@monk|kite-litellm@kscloud1" 5
	tm resize-window -t $s -x 100 -y 30
	check "$term: back to 100x30, alive" wait_for $s "kitestacks-metrics-api" 5
	tm send-keys -t $s q
	n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/$s.rc" ]; do sleep 0.05; n=$((n-1)); done
	check "$term: q quits with status 0" grep -qx "rc=0" "$E2E_TMP/$s.rc"
done

# NO_COLOR: not one colour sequence; the selection in reverse video
e2e_start nc 200 50 "env NO_COLOR=1 $KT -c $conf; echo rc=\$? >$E2E_TMP/nc.rc; sleep 30"
check "NO_COLOR: containers listed" wait_for nc "kitestacks-metrics-api" 15
tm send-keys -t nc j
sleep 0.5
tm capture-pane -e -p -t nc >"$E2E_TMP/nc.txt"
# (tmux's capture writes 39m and 49m, the default colours, everywhere)
check "NO_COLOR: no colour sequence on the screen" sh -c "! grep -Eq '\[((3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]+)*|[0-9;]*;(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]+)*)m' $E2E_TMP/nc.txt"
check "NO_COLOR: the selected row in reverse video" grep -Eq '\[([0-9;]*;)?7(;[0-9;]*)?m' "$E2E_TMP/nc.txt"
tm send-keys -t nc q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/nc.rc" ]; do sleep 0.05; n=$((n-1)); done
check "NO_COLOR: q quits with status 0" grep -qx "rc=0" "$E2E_TMP/nc.rc"
e2e_finish
