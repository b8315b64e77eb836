#!/bin/sh
# Paused (p), the dashboard shows that its figures grow old: after three
# refreshes without a poll, the overview's container rows are dimmed (SGR 2
# in the default theme), as the gauges already were; resumed, they are not.
# The shared strip's PostgreSQL and Redis figures say their age and dim.
# Against the lab's monk (read-only), refresh 1 s, in tmux with escapes.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -r /run/kitetop-lab/operator_ed25519 ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
{ printf '[kitetop]\nrefresh = 1\ntimeout = 3\n'
  lab_host monk 127.0.0.2 ssh /run/kitetop-lab/monk/docker.sock
} >"$E2E_TMP/p.conf"
# dimmed ROW [SECONDS]: until the row named ROW is drawn dimmed (want=1) or
# not (want=0)
dimmed() {
	n=$(( ${3:-5} * 10 ))
	while [ "$n" -gt 0 ]; do
		tm capture-pane -e -p -t p >"$E2E_TMP/esc" 2>/dev/null
		if python3 - "$E2E_TMP/esc" "$1" "$2" <<'PY'
import re, sys
want = sys.argv[3] == '1'
for line in open(sys.argv[1], encoding='utf-8', errors='replace'):
    i = line.find(' ' + sys.argv[2] + ' ')
    if i < 0:
        continue
    # the last SGR before the name: dim has the attribute 2
    sgr = re.findall(r'\x1b\[([0-9;]*)m', line[:i])
    dim = any('2' in s.split(';') for s in sgr[-3:])
    sys.exit(0 if dim == want else 1)
sys.exit(1)
PY
		then return 0; fi
		sleep 0.1; n=$((n - 1))
	done
	return 1
}
e2e_start p 120 30 "$KT -c $E2E_TMP/p.conf"
check "monk's containers listed" wait_for p " watchtower " 15
check "fresh: watchtower's row not dimmed" dimmed watchtower 0 5
tm send-keys -t p p
check "paused: the toast says so" wait_for p "refresh paused" 3
check "paused over 3 refreshes: watchtower's row dimmed" dimmed watchtower 1 10
tm send-keys -t p p
check "resumed: watchtower's row fresh again" dimmed watchtower 0 10

# the shared strip (PostgreSQL, Redis, the shared database's check) ages too
e2e_start s 200 30 "$KT -c examples/kitestacks-lab.conf"
tm kill-session -t p   # after the next one started: the server stays up
check "the shared strip: postgres" wait_re s 'postgres 1[0-9.]+ +[0-9]+/[0-9]+ conns' 20
check "fresh: no age in the strip" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t s | grep -q 'dbs ([0-9]*s old)'"
tm send-keys -t s p
check "paused: postgres' figures say their age" wait_re s 'dbs \([0-9]+s old\)' 20
check "paused: redis' figures say their age" wait_re s 'KiB \([0-9]+s old\)|B \([0-9]+s old\)' 10
a=$(tm capture-pane -p -t s | grep -o 'dbs ([0-9]*s old)' | head -1)
check "paused: the ages grow (from '$a')" sh -c "[ -n \"$a\" ]" && check "paused: '$a' moves on" wait_gone s "$a" 5
e2e_finish
