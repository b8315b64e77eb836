#!/bin/bash
# tui_cut_lines.sh — a line too long for its box in the Data and Services
# views can be read whole: at 80x24 it ends in "…" where it is cut, and
# Enter opens every line so cut in full, wrapped, in the text view
# ("Data: in full", "Services: in full"); Esc goes back.  The long lines are
# real errors: a private PostgreSQL 15 (tests/e2e/pgprivate-lib, on
# 127.0.0.194) asked for a database with a long name that does not exist,
# and a health probe answered 503 with a long message by a small HTTP
# server on 127.0.0.196.  Each must be on the screen, every word, as
# `status --json` gives it.  Every daemon is ours, stopped by pid.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/e2e-lib
PGP_IP=127.0.0.194
. tests/e2e/pgprivate-lib
HTTP_PID=
cleanup() {
	[ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null
	tm kill-server 2>/dev/null
	pgp_cleanup
}
trap cleanup EXIT
if [ "$(id -u)" != 0 ] || [ ! -x /usr/lib/postgresql/15/bin/initdb ] || ! command -v python3 >/dev/null; then
	echo "PASS: skipped (needs root, python3 and PostgreSQL 15's initdb for the private cluster)"
	e2e_finish; exit $?
fi
if ! pgp_start "$(mktemp -d -t kt-pgp.XXXXXX)"; then
	fail "private PostgreSQL on 127.0.0.194 did not start"; e2e_finish; exit 1
fi
# a health endpoint that is down for maintenance and says so at length
python3 - "$E2E_TMP/http.pid" <<'PY' &
import http.server, os, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (b"the web service is down for maintenance until the nightly database "
                b"migration of the accounts schema finishes; see the operations channel")
        self.send_response(503)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.196", 8999), H)
open(sys.argv[1], "w").write(str(os.getpid()))
s.serve_forever()
PY
HTTP_PID=$!
n=100; while [ ! -s "$E2E_TMP/http.pid" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
check "private HTTP server up on 127.0.0.196:8999" [ -s "$E2E_TMP/http.pid" ]

DB=accounts_of_the_customers_in_the_north_eastern_region
cat >"$E2E_TMP/cut.conf" <<CONF
[kitetop]
refresh = 1
timeout = 3
[host here]
address = 127.0.0.1
docker = none
[postgres]
conninfo = host=$PGP_IP port=$PGP_PORT dbname=$DB user=kitetop connect_timeout=3
[service web]
container = web
health = http://127.0.0.196:8999/health
CONF
timeout 30 $KT -c "$E2E_TMP/cut.conf" status --json >"$E2E_TMP/st.json"
python3 - "$E2E_TMP" <<'PY'
import json, sys
d = json.load(open(sys.argv[1] + "/st.json"))
open(sys.argv[1] + "/pg.err", "w").write(d["postgres"]["error"] or "")
open(sys.argv[1] + "/probe.err", "w").write(d["services"][0]["hosts"]["here"]["probe"]["error"] or "")
PY
check "status: PostgreSQL's error is longer than the screen ($(wc -c <"$E2E_TMP/pg.err") characters)" \
	[ "$(wc -c <"$E2E_TMP/pg.err")" -gt 80 ]
check "status: the probe's error is longer than the screen ($(wc -c <"$E2E_TMP/probe.err") characters)" \
	[ "$(wc -c <"$E2E_TMP/probe.err")" -gt 80 ]

# whole FILE: every word of FILE's error in the screen's text (the box's
# sides dropped, the lines joined: the text view wraps at spaces)
whole() {
	tm capture-pane -p -t c >"$E2E_TMP/screen"
	python3 - "$1" "$E2E_TMP/screen" <<'PY'
import sys
err = ''.join(open(sys.argv[1]).read().split())
text = ''.join(''.join(l.strip().strip('┃│|').strip() for l in open(sys.argv[2]).read().splitlines()).split())
sys.exit(0 if err and err in text else 1)
PY
}
not_whole() { ! whole "$1"; }

e2e_start c 80 24 "$KT -c $E2E_TMP/cut.conf"
wait_for c "1 Overview" 5
tm send-keys -t c 3
check "3: the Data view shows PostgreSQL's error" wait_for c "postgres: database accounts_of" 10
check "Data: the error is cut (not whole on screen)" \
	sh -c "! tmux -L $E2E_SOCK capture-pane -p -t c | grep -qF '$DB does not exist'"
check "Data: the cut line ends in …" wait_re c '┃postgres: database accounts_of.*…┃' 3
check "Data: not whole before Enter" not_whole "$E2E_TMP/pg.err"
tm send-keys -t c Enter
check "Enter: the lines cut open in full" wait_for c "Data: in full" 5
check "Data: PostgreSQL's error whole, every word" whole "$E2E_TMP/pg.err"
tm send-keys -t c Escape
check "Esc: back to the Data view" wait_gone c "Data: in full" 5

tm send-keys -t c 2
check "2: the Services view shows the probe's failure" wait_for c "HTTP 503" 10
check "Services: the probe's line ends in …" wait_re c 'HTTP 503.*…┃' 3
tm send-keys -t c Enter
check "Enter: the lines cut open in full" wait_for c "Services: in full" 5
check "Services: the probe's error whole, every word" whole "$E2E_TMP/probe.err"
tm send-keys -t c q
check "q: back to the Services view (not quit)" wait_gone c "Services: in full" 5
check "the dashboard still runs" wait_for c "2 Services" 3
e2e_finish
