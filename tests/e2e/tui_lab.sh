#!/bin/sh
# The TUI against the two-host lab (tests/lab), over SSH, at 200x50, 80x24 and
# 50x20: both hosts side by side where the width allows, the unhealthy and the
# missing container marked, a resize down to 30x10 and back, q leaves cleanly.
# Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
# run-all says whether its `up` worked (KT_LAB_UP); run alone, look for the lab
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf

e2e_start wide 200 50 "$KT -c $conf; echo rc=\$? >$E2E_TMP/wide.rc"
check "200x50: both hosts reached over ssh" wait_for wide "kscloud1" 10
check "200x50: monk and kscloud1 side by side, each with its ssh round trip" wait_re wide 'monk.*ssh [0-9]+ ms.*kscloud1.*ssh [0-9]+ ms' 10
check "200x50: containers listed" wait_for wide "kitestacks-metrics-api" 10
check "200x50: karakeep unhealthy on kscloud1, marked" wait_for wide "≠karakeep" 30
check "200x50: kite-litellm missing on kscloud1" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -E '✖ ≠kite-litellm +missing' >/dev/null"
check "200x50: kavita exited on monk" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -E '✖ ≠kavita +exited' >/dev/null"
check "200x50: CPU and memory columns" sh -c "tmux -L $E2E_SOCK capture-pane -p -t wide | grep -q 'CPU      MEM'"
check "200x50: the shared strip shows postgres and redis" wait_re wide 'postgres 15\.[0-9]+ +[0-9]+/[0-9]+ conns.*redis 7\.' 10
check "200x50: the shared strip shows authentik live/ready per host" wait_re wide 'authentik 2025\.10\.1.*monk live/ready +kscloud1 live/ready' 10
screen wide >"$E2E_TMP/wide.txt"

tm send-keys -t wide g j j
tm send-keys -t wide L
check "L: the selected container's logs (the cloudflared stand-in's /ready hits)" wait_re wide 'logs: cloudflared on monk.*lines following' 5
check "L: log lines arrive" wait_for wide "response:200" 10
tm send-keys -t wide t
check "t: timestamps" wait_re wide '20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9:]+Z 127' 3
tm send-keys -t wide k
check "k: scrolling stops following" wait_gone wide "following" 3
tm send-keys -t wide Escape
check "Esc: back to the overview" wait_for wide "kitestacks-metrics-api" 3

tm send-keys -t wide 2
check "2: the services matrix, hosts across" wait_re wide 'SERVICE +monk +kscloud1' 3
check "2: karakeep unhealthy on kscloud1 only, its probe 404 there" wait_re wide 'karakeep +. healthy +200 [0-9]+ms +. unhealthy +404 [0-9]+ms' 10
check "2: kite-litellm missing on kscloud1, its probe refused" wait_re wide 'kite-litellm +. healthy +200 [0-9]+ms +. missing +connection refused' 2
check "2: kavita exited on monk, its probe refused" wait_re wide 'kavita +. exited \([0-9]+\) +connection refused +. healthy +200 [0-9]+ms' 2
check "2: failed probes in full" wait_re wide 'kavita monk: connection refused \(monk could not connect to 127\.0\.0\.2:5000\)' 2
tm send-keys -t wide 1
check "1: back to the overview" wait_for wide "kitestacks-metrics-api" 3

tm resize-window -t wide -x 80 -y 24
check "80x24: both hosts still side by side" wait_re wide '━ monk .*─ kscloud1 ' 3
check "80x24: fewer columns (no MEM)" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -q ' MEM'"
tm resize-window -t wide -x 50 -y 20
check "50x20: one host with a tab strip, each tab with its level's glyph" wait_re wide '^ (●|▲|✖|◌) monk +(●|▲|✖|◌) kscloud1' 3
check "50x20: monk's column" wait_for wide "┏━ monk" 3
tm send-keys -t wide Tab
check "50x20: Tab shows the other host" wait_for wide "┏━ kscloud1" 3
tm resize-window -t wide -x 30 -y 10
tm resize-window -t wide -x 200 -y 50
check "resize 30x10 and back keeps it alive" wait_for wide "kitestacks-metrics-api" 5
tm send-keys -t wide q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/wide.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/wide.rc"
e2e_finish
