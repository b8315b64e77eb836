#!/bin/sh
# Words that must not mislead, as a person sees them in tmux: the Data view
# with PostgreSQL down (a [postgres] pointing at 127.0.0.151:5432, where
# nothing listens) says its error once and does not claim that no service
# is a database (which services use it is unknown until it answers).
. tests/e2e/e2e-lib

cat >"$E2E_TMP/pgdown.conf" <<'CONF'
[kitetop]
refresh = 1
timeout = 2
[host here]
[postgres]
conninfo = host=127.0.0.151 port=5432 dbname=postgres user=kitetop connect_timeout=2
[service authentik]
container = authentik
CONF
e2e_start p 100 30 "$KT -c $E2E_TMP/pgdown.conf"
wait_for p "1 Overview" 5
tm send-keys -t p 3
check "Postgres down: its error in the Data view" wait_for p "postgres: connection refused" 10
check "Postgres down: not 'no configured service is a database'" \
	sh -c "! tmux -L $E2E_SOCK capture-pane -p -t p | grep -q 'no configured service is a database'"
check "Postgres down: the apps' connections unknown until it answers" wait_for p "unknown until the database answers" 3
check "Postgres down: its error said once" \
	sh -c "[ \$(tmux -L $E2E_SOCK capture-pane -p -t p | grep -c 'postgres: connection refused') = 1 ]"
e2e_finish
