#!/bin/sh
# Boxes that overflow scroll and say so, as a person sees them in tmux: the
# help (?) as wide as its longest description at 200 columns, and at 80x24
# with "more below" / "more above" in its bottom border as j moves it; the
# Data view (3) at 80x24 against the lab: PostgreSQL's rows past the box
# (databases, longest query, locks, replication) and Redis' reached with
# j / G, the marks saying what is hidden; the Services matrix at 100x14
# scrolling with its selection, with the same marks.
. tests/e2e/e2e-lib

printf '[host here]\n' >"$E2E_TMP/local.conf"
long='logs of the selected container (Services: of the service on every host)'
e2e_start h 200 50 "$KT -c $E2E_TMP/local.conf"
wait_for h "1 Overview" 5
tm send-keys -t h '?'
check "help at 200 columns: the longest description whole" wait_for h "$long" 5

e2e_start s 80 24 "$KT -c $E2E_TMP/local.conf"
tm kill-session -t h   # after the next one started: the server stays up
wait_for s "1 Overview" 5
tm send-keys -t s '?'
check "help at 80x24: its bottom border says what is below" wait_re s '↓ [0-9]+ more below' 5
check "help at 80x24: nothing said above at the top" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t s | grep -q 'more above'"
tm send-keys -t s j
check "help, j: one line more above" wait_for s '↑ 1 more above' 5
tm send-keys -t s G
check "help, G: the last note in view" wait_for s 'Configuration and more: man kitetop' 5
check "help, G: nothing more below" wait_gone s 'more below' 5

if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -r /run/kitetop-lab/pg.pass ]; }; then
	echo "SKIP: the Data view's part needs the lab (make lab)"; e2e_finish; exit $?
fi
e2e_start d 80 24 "$KT -c examples/kitestacks-lab.conf"
tm kill-session -t s   # after the next one started: the server stays up
wait_for d "1 Overview" 5
tm send-keys -t d 3
check "Data at 80x24: PostgreSQL answers" wait_for d "PostgreSQL 15" 10
check "Data at 80x24: the box says what is below" wait_re d '↓ [0-9]+ more below' 5
tm send-keys -t d j
check "Data, j: one line more above" wait_for d '↑ 1 more above' 5
tm send-keys -t d G
check "Data, G: the databases listed" wait_re d '^.databases +[a-z]' 5
check "Data, G: the longest query's line" wait_re d '^.longest query ' 5
check "Data, G: waiting locks" wait_re d '^.waiting locks +[0-9]' 5
check "Data, G: replication" wait_re d '^.replication +(no standby|this server|[a-z])' 5
check "Data, G: Redis' figures below PostgreSQL's" wait_re d '^.persistence +AOF' 5
check "Data, G: nothing more below" wait_gone d 'more below' 5
tm send-keys -t d g
check "Data, g: back at the top" wait_for d 'Shared database, per host:' 5

# the Services matrix at 14 rows: 13 services, it scrolls with the selection
e2e_start v 100 14 "$KT -c examples/kitestacks-lab.conf"
tm kill-session -t d   # after the next one started: the server stays up
wait_for v "1 Overview" 5
tm send-keys -t v 2
check "Services at 100x14: the box says what is below" wait_re v '↓ [0-9]+ more below' 10
check "Services at 100x14: the last service not yet in view" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t v | grep -q '^.watchtower '"
tm send-keys -t v j j j j j j j j j j j j j j
check "Services, j to the end: the last service in view" wait_re v '^.watchtower ' 5
check "Services, j to the end: the box says what is above" wait_re v '↑ [0-9]+ more above' 5

# the Traffic view at 10 rows keeps the selected host in view
e2e_start t 100 10 "$KT -c examples/kitestacks-lab.conf"
tm kill-session -t v   # after the next one started: the server stays up
wait_for t "1 Overview" 5
tm send-keys -t t 4
check "Traffic at 100x10: monk's row" wait_re t '^.monk +cloudflared' 10
tm send-keys -t t Tab
check "Traffic, Tab: kscloud1's row in view" wait_re t '^.kscloud1 +cloudflared' 5
check "Traffic, Tab: the box says monk is above" wait_for t '↑ 1 more above' 5
e2e_finish
