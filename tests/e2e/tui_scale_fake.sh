#!/bin/sh
# The lists' order (o) and the Services view's scrolling against 8 fake
# Docker engines of 30 containers each (bench/scale/fake_dockerd.py, private
# unix sockets, no lab needed), at 200x50: the Overview's restarts order puts
# fake0's most restarted first (RS▼ in its header), the implicit services
# (every container name is on all 8 hosts) show 6 host columns and
# "2 more ▸", l scrolls them, o orders them by their restarts summed over
# the hosts.  The fake engines are stopped by their pid.
. tests/e2e/e2e-lib
FAKE=$E2E_TMP/fake
mkdir -p "$FAKE"
trap '[ -s "$FAKE/pid" ] && kill "$(cat "$FAKE/pid")" 2>/dev/null; e2e_finish >/dev/null' EXIT
python3 bench/scale/fake_dockerd.py --dir "$FAKE" --hosts 8 --containers 30 --pidfile "$FAKE/pid" \
	>"$E2E_TMP/fake.log" 2>&1 &
n=100
while [ "$n" -gt 0 ] && ! { [ -S "$FAKE/engine-7.sock" ] && [ -s "$FAKE/pid" ]; }; do sleep 0.05; n=$((n - 1)); done
conf=$E2E_TMP/fake.conf
{
	printf '[kitetop]\nrefresh = 2\ntimeout = 5\n'
	for i in 0 1 2 3 4 5 6 7; do printf '\n[host fake%d]\ndocker = unix://%s/engine-%d.sock\n' $i "$FAKE" $i; done
} >"$conf"

# wait_ok SECONDS COMMAND...: until COMMAND succeeds (the restart counts come
# with the inspects, a few containers each refresh)
wait_ok() {
	n=$(( $1 * 20 )); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.05; n=$((n - 1)); done
	return 1
}

e2e_start f 200 50 "$KT -c $conf"
check "8 fake hosts: containers listed" wait_for f "svc-029" 15
# o twice: name, CPU (its column shown, or, in a narrow column, named
# after CONTAINER), then memory and restarts
tm send-keys -t f o o
check "o o: by CPU, marked" wait_re f 'CPU▼' 3
tm send-keys -t f o o
check "o o o o: by restarts, said" wait_for f "order: restarts, most first" 3
check "o o o o: RS▼ in the headers" wait_for f "RS▼" 3
# fake0's restarts: svc-022 4, svc-011 2, the rest 0 (ties by name: job-000 ...)
check "restarts order: fake0's first row is svc-022" wait_ok 20 sh -c "$(command -v tmux) -L $E2E_SOCK capture-pane -p -t f | grep -A1 'CONTAINER.*RS▼' | tail -n1 | grep -q '┃. svc-022 '"
check "restarts order: then svc-011" wait_ok 5 sh -c "$(command -v tmux) -L $E2E_SOCK capture-pane -p -t f | grep -A2 'CONTAINER.*RS▼' | tail -n1 | grep -q '┃. svc-011 '"
tm send-keys -t f 2
check "2: the implicit services, 6 host columns" wait_re f 'SERVICE  RST▼ +fake0 +fake1 +fake2 +fake3 +fake4 +fake5 +┃' 5
check "2: '2 more ▸' on the border" wait_for f "2 more ▸" 3
# summed over the 8 hosts: svc-011 19, svc-022 15, job-000 13
check "2: by restarts summed over the hosts, svc-011 first" wait_ok 20 sh -c "$(command -v tmux) -L $E2E_SOCK capture-pane -p -t f | grep -A1 'SERVICE  RST▼' | tail -n1 | grep -q '┃svc-011 '"
check "2: then svc-022, then job-000" wait_ok 5 sh -c "$(command -v tmux) -L $E2E_SOCK capture-pane -p -t f | grep -A3 'SERVICE  RST▼' | tail -n2 | tr -d '\n' | grep -q '┃svc-022 .*┃job-000 '"
tm send-keys -t f l l
check "l l: fake2 first, '◂ 2 more'" wait_re f 'RST▼ +fake2 +fake3 +fake4 +fake5 +fake6 +fake7 +┃' 3
check "l l: nothing more to the right" wait_re f '━ ◂ 2 more  2 ━' 3
tm send-keys -t f o
check "o: by uptime, UP▲" wait_re f 'SERVICE  UP▲ +fake2 ' 3
tm send-keys -t f o
check "o: back to state, the header unmarked" wait_re f 'SERVICE \(implicit\) +fake2 ' 3
tm send-keys -t f q
trap - EXIT
kill "$(cat "$FAKE/pid")" 2>/dev/null
e2e_finish
