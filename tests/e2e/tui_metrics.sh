#!/bin/sh
# The Metrics view (5) against the lab's Prometheus: the three example panels
# of examples/kitestacks-lab.conf, a row for each host with its value, state
# glyph and a sparkline already filled from query_range (the overview's host
# sparklines too); two columns of boxes at 200 columns, one at 80; the ASCII
# glyphs in a C locale; j k scroll when the boxes do not fit.  Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf
# 20 braille cells (U+2800..U+28FF), matched byte-wise
braille='(\xe2[\xa0-\xa3][\x80-\xbf]){20}'

e2e_start wide 200 50 "$KT -c $conf; echo rc=\$? >$E2E_TMP/wide.rc"
check "200x50: the lab is up on the overview" wait_for wide "kscloud1" 10
check "1: the hosts' CPU sparklines start with 10 minutes of history (query_range)" wait_re wide 'CPU .*[0-9.]+%' 10
sleep 1
check "1: ... at least 20 braille cells a few seconds after start" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -E '^(┃|│) {5}' | LC_ALL=C grep -qP '$braille'"
tm send-keys -t wide 5
check "5: the Metrics tab" wait_for wide " 5 Metrics " 3
check "5: the CPU and memory panels side by side" wait_re wide 'CPU busy %.*Memory used %' 10
check "5: the load panel" wait_for wide "Load (1 min)" 3
check "5: CPU of monk: a percentage with its state glyph" wait_re wide '│monk +[●▲✖] [0-9.]+%' 10
check "5: CPU of kscloud1" wait_re wide '│kscloud1 +[●▲✖] [0-9.]+%' 3
check "5: memory of both hosts" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -E '│(monk|kscloud1) +. [0-9.]+%.*│(monk|kscloud1) +[●▲✖] [0-9.]+%' | wc -l | grep -q 2"
check "5: load of both hosts, a plain number" wait_rows wide '│(monk|kscloud1) +[0-9]+\.[0-9]+ ' 2 5
check "5: a warn state says so in words" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -qE '▲ [0-9.]+%' || tmux -L $E2E_SOCK capture-pane -p -t wide | grep -qE '▲ [0-9.]+% warn'"
check "5: sparklines already long (seeded from query_range)" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -E '│monk ' | LC_ALL=C grep -qP '$braille'"
check "5: each box shows its age" wait_re wide 'CPU busy % ─+ [0-9]+s ─' 3
screen wide >"$E2E_TMP/metrics.txt"
# the filter: a panel by its title, series by their label
tm send-keys -t wide / l o a d Enter
check "5 /load: the load panel stays" wait_for wide "Load (1 min)" 3
check "5 /load: the CPU and memory panels go" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -qE 'CPU busy %|Memory used %'"
check "5 /load: both hosts' rows of the load panel" wait_rows wide '│(monk|kscloud1) +[0-9]+\.[0-9]+ ' 2 5
tm send-keys -t wide Escape / c l o u d Enter
check "5 /cloud: every panel, kscloud1's rows only" wait_re wide 'CPU busy %.*Memory used %' 5
check "5 /cloud: no monk row" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -qE '│monk '"
check "5 /cloud: kscloud1's load row" wait_re wide '│kscloud1 +[0-9]+\.[0-9]+ ' 5
tm send-keys -t wide Escape / z z q Enter
check "5 /zzq: says that nothing matches" wait_for wide 'no panel or series matches "zzq"' 3
tm send-keys -t wide Escape
check "5 Esc: the panels are back" wait_re wide '│monk +[●▲✖] [0-9.]+%' 5
tm send-keys -t wide 1
check "1: back to the overview" wait_for wide "kitestacks-metrics-api" 5
tm send-keys -t wide q
sleep 0.5
check "q: leaves with status 0" sh -c "grep -q 'rc=0' $E2E_TMP/wide.rc"

# 80x24 in a C locale: one column, ASCII glyphs and borders
e2e_start narrow 80 24 "env LANG=C LC_ALL=C $KT -c $conf; echo rc=\$? >$E2E_TMP/narrow.rc"
check "80x24 C locale: up" wait_for narrow "kscloud1" 10
tm send-keys -t narrow 5
check "80x24: the three panels in one column" wait_re narrow '^\+- Load \(1 min\)' 10
check "80x24: ASCII state glyphs" wait_re narrow '\|monk +[o!X] [0-9.]+%' 5
tm send-keys -t narrow q
sleep 0.5
check "80x24: q leaves with status 0" sh -c "grep -q 'rc=0' $E2E_TMP/narrow.rc"

# 80x12: the boxes do not fit; j scrolls
e2e_start short 80 12 "$KT -c $conf; echo rc=\$? >$E2E_TMP/short.rc"
check "80x12: up" wait_for short "kscloud1" 10
tm send-keys -t short 5
check "80x12: says there are more panels" wait_re short 'panels 1-[12] of 3 \(j k scroll\)' 10
tm send-keys -t short j j
check "80x12: j scrolls to the load panel" wait_for short "Load (1 min)" 3
tm send-keys -t short q
e2e_finish
