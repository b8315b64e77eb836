#!/bin/sh
# Words that must not mislead, as a person sees them in tmux: the Data view
# with PostgreSQL down (a [postgres] pointing at 127.0.0.151:5432, where
# nothing listens) says its error once and does not claim that no service
# is a database (which services use it is unknown until it answers); a
# theme file with an unknown key is said at start (a message on screen, the
# key on stderr after the dashboard leaves), not accepted silently; a key
# that does nothing and a filter that matches nothing say so.  With
# the lab: the Traffic view shows a tunnel container's name whole
# (edge-connector, 14 characters), the connector id whole when there is
# room, and a row of errors that starts with no "; " (the Cloudflare API
# pointed at 127.0.0.152:8443, where nothing listens).
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
# (in the view: the header above it names the worst problem, this one)
check "Postgres down: its error said once" \
	sh -c "[ \$(tmux -L $E2E_SOCK capture-pane -p -t p | tail -n +2 | grep -c 'postgres: connection refused') = 1 ]"

printf '[host here]\n' >"$E2E_TMP/local.conf"
printf 'theme[title_fg]="red"\ntheme[bogus_fg]="blue"\n' >"$E2E_TMP/odd.theme"
e2e_start t 120 30 "$KT -c $E2E_TMP/local.conf --theme $E2E_TMP/odd.theme 2>$E2E_TMP/theme.err; echo rc=\$? >$E2E_TMP/theme.rc"
tm kill-session -t p   # after the next one started: the server stays up
check "theme with an unknown key: said on screen at start" wait_for t "theme odd: line 2: unknown key 'bogus_fg' (ignored)" 5
tm send-keys -t t q
n=100; while [ ! -s "$E2E_TMP/theme.rc" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
check "theme with an unknown key: the dashboard still ran (rc=0)" grep -q 'rc=0' "$E2E_TMP/theme.rc"
check "theme with an unknown key: named on stderr" grep -q "kitetop: theme odd: line 2: unknown key 'bogus_fg'" "$E2E_TMP/theme.err"

# a key that does nothing says so; a filter that matches nothing says so
printf '[host here]\n[service web]\ncontainer = nginx\n' >"$E2E_TMP/svc.conf"
e2e_start k 120 30 "$KT -c $E2E_TMP/svc.conf"
tm kill-session -t t   # after the next one started: the server stays up
wait_for k "1 Overview" 5
tm send-keys -t k Z
check "an unbound key: 'Z does nothing here'" wait_for k "Z does nothing here (? lists the keys)" 3
tm send-keys -t k / z z q Enter
check "a filter that matches nothing says so" wait_for k "filter: zzq  matches nothing" 10
tm send-keys -t k Escape / w e Enter
check "a filter that matches a service: not said" wait_for k "filter: we   (" 10

if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -r /run/kitetop-lab/cloudflare.token ]; }; then
	echo "SKIP: the Traffic view's part needs the lab (make lab)"; e2e_finish; exit $?
fi
{ printf '[kitetop]\nrefresh = 2\ntimeout = 3\n'
  lab_host monk 127.0.0.2 ssh /run/kitetop-lab/monk/docker.sock
  printf 'tunnel_container = cloudflared\ntunnel_ready = http://{address}:2000/ready\n'
  lab_host kscloud1 127.0.0.3 ssh /run/kitetop-lab/kscloud1/docker.sock
  printf 'tunnel_container = edge-connector\n'
  printf '[cloudflare]\naccount_id = 0123abcd4567ef890123abcd4567ef89\n'
  printf 'tunnel_id = 6ff42ae2-765d-4adf-8112-31c55c1551ef\n'
  printf 'token_file = /run/kitetop-lab/cloudflare.token\napi_url = http://127.0.0.152:8443/client/v4\n'
} >"$E2E_TMP/traffic.conf"
e2e_start r 160 30 "$KT -c $E2E_TMP/traffic.conf"
tm kill-session -t k   # after the next one started: the server stays up
wait_for r "1 Overview" 5
tm send-keys -t r 4
check "Traffic: monk's cloudflared ready" wait_re r 'monk +cloudflared +. running +ready' 15
check "Traffic: edge-connector whole" wait_re r 'kscloud1 +edge-connector +. missing' 10
check "Traffic: the connector id whole with 160 columns" \
	wait_re r 'ready [0-9]+ +[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} ' 10
check "Traffic: the API's error under monk's row" wait_re r '^. +API: cloudflare: connection refused' 10
check "Traffic: no row starts with '; '" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t r | grep -Eq '^. +; '"
[ "$fails" -gt 0 ] && screen r 2>/dev/null | head -12
e2e_finish
