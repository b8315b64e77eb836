#!/bin/sh
# The TUI's keys against the two-host lab, through tmux at 200x50: Enter shows
# the selected container's detail (image, a label, the health log), / filters
# containers and services by name, the logs' / search finds and highlights a
# line and says "no match", n N, o changes the order, Tab, a resize down to
# 30x10 and back, q leaves the terminal clean.
# Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S /run/kitetop-lab/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf

e2e_start k 200 50 "$KT -c $conf; echo rc=\$? >$E2E_TMP/k.rc; sleep 30"
check "both hosts reached" wait_re k 'monk.*ssh [0-9]+ ms.*kscloud1.*ssh [0-9]+ ms' 15
check "containers listed" wait_for k "kitestacks-metrics-api" 10

# / filters, live, case-insensitive; the footer says so
tm send-keys -t k / G r A
check "/: the prompt at the bottom" wait_re k '^filter: GrA' 3
check "/ GrA: grafana stays on both hosts" wait_re k '. grafana +healthy.*. grafana +healthy' 3
check "/ GrA: the others are gone" wait_gone k "kitestacks-metrics-api" 3
tm send-keys -t k Enter
check "Enter keeps the filter, said in the footer" wait_for k "filter: GrA   (/ edits, Esc clears" 3
tm send-keys -t k 2
check "2: the services matrix filtered too" wait_re k '^.grafana +. healthy .*. healthy' 3
check "2: only grafana" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q '^.karakeep'"
tm send-keys -t k 1

# Enter: the detail of the selected container (grafana, the only row)
tm send-keys -t k Enter
check "Enter: the detail of grafana on monk" wait_for k "detail: grafana on monk" 5
check "detail: its image" wait_re k 'image +kitestacks/busybox:lab' 10
check "detail: its compose project and service" wait_for k "compose    project grafana, service grafana" 3
check "detail: a label" wait_for k "com.docker.compose.service = grafana" 3
check "detail: the health log with exit codes" wait_re k 'health log \(last [0-9]+, newest first\)' 3
check "detail: a health result" wait_re k '20[0-9-]+T[0-9:]+Z +exit 0 +[0-9]+ ms' 3
check "detail: ports said (host network)" wait_for k "none (host network" 3
tm send-keys -t k / l a b e l Enter
check "detail: / label finds a line (no 'no match')" sh -c "sleep 0.5; ! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'no match'"
check "detail: the match highlighted (reverse)" sh -c "tmux -L $E2E_SOCK capture-pane -e -p -t k | grep -Eq '\[([0-9;]*;)?7(;[0-9;]*)?m(.\\[[0-9;]*m)*label'"
tm send-keys -t k Escape
check "Esc: back to the overview, filter kept" wait_for k "filter: GrA" 3
tm send-keys -t k Escape
check "Esc: the filter cleared" wait_for k "kitestacks-metrics-api" 3

# o: problems first (default), then by name (the header marks it), on kscloud1 (karakeep unhealthy)
tm send-keys -t k Tab
check "problems first: kscloud1's first row is a problem" sh -c "tmux -L $E2E_SOCK capture-pane -p -t k | grep -A1 ' CONTAINER ' | tail -1 | grep -Eq '┃[✖▲] ≠(kite-litellm|karakeep) '"
tm send-keys -t k o
check "o: by name, authentik first on kscloud1 (row)" sh -c "sleep 0.5; tmux -L $E2E_SOCK capture-pane -p -t k | grep -A1 ' CONTAINER▲ ' | tail -1 | grep -Eq '┃. authentik '"
# the other orders (CPU, memory, restarts, uptime), back to problems first
tm send-keys -t k o o o o o
check "o: round the cycle, back to problems first" wait_for k "order: state (problems first)" 3

# L on grafana of kscloud1, then search its lines
tm send-keys -t k / g r a f Enter L
check "L: grafana's logs on kscloud1" wait_re k 'logs: grafana on kscloud1.*lines' 5
check "L: lines arrive" wait_for k "response:200" 10
tm send-keys -t k / r e s p o n s e Enter
check "logs /: a match, highlighted" sh -c "sleep 0.5; tmux -L $E2E_SOCK capture-pane -e -p -t k | grep -Eq '\[([0-9;]*;)?7(;[0-9;]*)?m(.\\[[0-9;]*m)*response'"
check "logs /: searching stops following" wait_gone k "following" 3
tm send-keys -t k n N
check "logs n N: no 'no match'" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'no match'"
tm send-keys -t k / z q x z q x Enter
check "logs /: 'no match' said" wait_for k "no match for 'zqxzqx'" 3
tm send-keys -t k Escape Escape
check "Esc Esc: the overview, unfiltered" wait_for k "kitestacks-metrics-api" 5

tm send-keys -t k '?'
check "?: the help shows the new keys" sh -c "sleep 0.5; tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'order: state (problems first)' && tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'detail of the selected container'"
tm send-keys -t k Escape

tm resize-window -t k -x 80 -y 24
tm send-keys -t k '?'
check "80x24: the help says it scrolls" wait_for k "j k scroll, Esc closes" 3
tm send-keys -t k G
check "80x24: G in the help shows its end" wait_for k "Configuration and more: man kitetop" 3
tm send-keys -t k Escape
tm resize-window -t k -x 30 -y 10
sleep 0.5
tm resize-window -t k -x 200 -y 50
check "resize 200x50 -> 30x10 -> 200x50: alive" wait_for k "kitestacks-metrics-api" 5
tm send-keys -t k q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/k.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/k.rc"
check "q: the normal screen back (no alternate screen)" [ "$(tm display -p -t k '#{alternate_on}')" = 0 ]
check "q: the cursor visible again" [ "$(tm display -p -t k '#{cursor_flag}')" = 1 ]
check "q: the dashboard is gone from the screen" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'kitestacks-metrics-api'"
e2e_finish
