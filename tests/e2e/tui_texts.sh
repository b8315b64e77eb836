#!/bin/sh
# Words that must not mislead, as a person sees them in tmux: the Data view
# with PostgreSQL down (a [postgres] pointing at 127.0.0.151:5432, where
# nothing listens) says its error once and does not claim that no service
# is a database (which services use it is unknown until it answers); a
# theme file with an unknown key is said at start (a message on screen, the
# key on stderr after the dashboard leaves), not accepted silently.
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
tm kill-session -t p

printf '[host here]\n' >"$E2E_TMP/local.conf"
printf 'theme[title_fg]="red"\ntheme[bogus_fg]="blue"\n' >"$E2E_TMP/odd.theme"
e2e_start t 120 30 "$KT -c $E2E_TMP/local.conf --theme $E2E_TMP/odd.theme 2>$E2E_TMP/theme.err; echo rc=\$? >$E2E_TMP/theme.rc"
check "theme with an unknown key: said on screen at start" wait_for t "theme odd: line 2: unknown key 'bogus_fg' (ignored)" 5
tm send-keys -t t q
n=100; while [ ! -s "$E2E_TMP/theme.rc" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
check "theme with an unknown key: the dashboard still ran (rc=0)" grep -q 'rc=0' "$E2E_TMP/theme.rc"
check "theme with an unknown key: named on stderr" grep -q "kitetop: theme odd: line 2: unknown key 'bogus_fg'" "$E2E_TMP/theme.err"
e2e_finish
