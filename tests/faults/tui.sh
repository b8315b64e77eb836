#!/bin/bash
# tui.sh — the terminal side of a fault: a resize storm and the ending signals
# while kitetop's threads are stuck on the network.  Host "frz" is a private
# sshd on 127.0.0.82 (docker none) through which a private Redis (127.0.0.86)
# is reached (via = frz, so kitetop keeps a socket folder of its own for the
# forward); host "slow" is the fake engine answering one byte every 0.5 s.
# Once the sshd is frozen (SIGSTOP, sessions included):
#   - 300 resizes in a row: the keys still answer meanwhile (the storm runs
#     while they are timed), and afterwards the screen is drawn at the final
#     size;
#   - TERM, HUP and INT: kitetop ends within 2 s with 128 + the signal, the
#     terminal given back (tui_signals.sh checks the other signals on a
#     healthy dashboard), and no kitetop-ssh-* folder left behind.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
cd "$(dirname "$0")/../.." || exit 1
. tests/faults/lib.sh
faults_skip_unless_root
faults_need_sshd
command -v redis-server >/dev/null || { echo "PASS: skipped (needs redis-server)"; exit 0; }
timeout_s=2
detect_limit=$((timeout_s + 1))
trap faults_exit EXIT

sd=$E2E_TMP/sshd
check "private sshd up on 127.0.0.82" eval 'sshd_new "$sd" 127.0.0.82 && sshd_start "$sd"'
rport=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.86', 0)); print(s.getsockname()[1])")
bg_start "$E2E_TMP/redis.pid" redis-server --bind 127.0.0.86 --port "$rport" --save '' \
	--appendonly no --protected-mode no --dir "$E2E_TMP"
n=100; while [ $n -gt 0 ] && ! redis-cli -h 127.0.0.86 -p "$rport" ping 2>/dev/null | grep -q PONG; do sleep 0.05; n=$((n - 1)); done
check "private redis-server on 127.0.0.86:$rport" eval 'redis-cli -h 127.0.0.86 -p "$rport" ping >/dev/null'
echo slow >"$E2E_TMP/engine.mode"
bg_start "$E2E_TMP/fake.pid" python3 -u "$FAULTS_DIR/fake-engine.py" "$E2E_TMP/engine.sock" "$E2E_TMP/engine.mode"

cat >"$E2E_TMP/tui.conf" <<EOC
[kitetop]
refresh = 1
timeout = $timeout_s
[host frz]
address = 127.0.0.82
ssh = root@127.0.0.82:$SSHD_PORT
identity_file = $FAULT_KEY
known_hosts = $sd/known_hosts
docker = none
[host slow]
docker = unix://$E2E_TMP/engine.sock
[redis]
address = 127.0.0.86:$rport
via = frz
EOC
chmod 600 "$E2E_TMP/tui.conf"

# start NAME: a dashboard, fresh, then the host frozen and kitetop seeing it
start() {
	sshd_signal "$sd" CONT
	e2e_start "$1" 140 40 "$KT -c $E2E_TMP/tui.conf; echo rc=\$? >$E2E_TMP/$1.rc; sleep 60"
	watch_until "$1" 20 --has '━ frz ━.* ssh [0-9]+ ms ━' --has '● redis 7' --has 'docker: .*time'
	check "$1: frz, Redis via frz and slow's timeout shown at the start (${MS} ms)" [ $? = 0 ]
	KPID=$(pgrep -P "$(tm display-message -p -t "$1" '#{pane_pid}')" | head -n1)
	check "$1: kitetop keeps a socket folder for the forward" \
		eval 'ls -d "$XDG_RUNTIME_DIR"/kitetop-ssh-"$KPID"-* >/dev/null 2>&1'
	sshd_signal "$sd" STOP
	watch_detect "$1" --has '✖ redis'
	check "$1: host frozen: ✖ redis within $detect_limit s (${MS} ms)" [ $? = 0 ]
}

# ---- resize storm --------------------------------------------------------------------
keys_control
start rs
: >"$KEYS.ctl"
keys_reset
( for i in $(seq 150); do
	tm resize-window -t rs -x 80 -y 24 2>/dev/null
	tm resize-window -t rs -x 200 -y 60 2>/dev/null
done; tm resize-window -t rs -x 123 -y 37 ) &
storm=$!
t0=$(now_ms)
python3 "$FAULTS_DIR/ktwatch.py" -L "$E2E_SOCK" -t rs --hold 30 --keys "$KEYS" \
	${KEYS_CTL:+--control "$KEYS_CTL" --control-keys "$KEYS.ctl"} >/dev/null &
wpid=$!
wait "$storm"
storm_ms=$(( $(now_ms) - t0 ))
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
tm send-keys -t rs Escape   # (a filter prompt the watcher may have left open)
# the presses during the storm, and a few after it
watch_hold rs 2
# a resize redraws everything, and tmux itself is busy with 300 of them: the
# presses meanwhile are held to KEY_STORM_MAX_MS (default 500; a UI waiting on
# the frozen host would take the timeout or more), the 50 ms target is reported
KEY_MAX_MS=${KEY_STORM_MAX_MS:-500} keys_check "resize storm (300 resizes in $storm_ms ms)"
drawn_at() { # COLS ROWS: the footer on row ROWS, and a bottom border (of the
	# columns or of the panel under them) spanning all COLS
	local s line
	s=$(screen rs)
	printf '%s\n' "$s" | sed -n "${2}p" | grep -q 'help' || return 1
	while IFS= read -r line; do
		case $line in ┗*|└*) [ "${#line}" = "$1" ] && return 0 ;; esac
	done <<<"$s"
	return 1
}
n=60; while [ $n -gt 0 ] && ! drawn_at 123 37; do sleep 0.05; n=$((n - 1)); done
check "resize storm: drawn at the final 123x37" drawn_at 123 37
[ $n = 0 ] && screen rs | tail -3
check "resize storm: kitetop still runs" kill -0 "$KPID"
result "resize storm (300, host frozen)" "-" "$(keys_cell)" "drawn at the final size" "-"
cp "$KEYS.ctl" "$KEYS"
result "keys on a healthy kitetop in the same tmux meanwhile (the control)" "-" "$(keys_cell)" "-" "-"
kitetop_quit rs "$E2E_TMP/rs.rc"

# ---- signals -------------------------------------------------------------------------------
for pair in TERM:15 HUP:1 INT:2; do
	sig=${pair%:*}; num=${pair#*:}
	start "s$sig"
	t0=$(now_ms)
	kill -s "$sig" "$KPID"
	n=200; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/s$sig.rc" ]; do sleep 0.01; n=$((n - 1)); done
	ms=$(( $(now_ms) - t0 ))
	check "SIG$sig with the host frozen: ends within 2 s with status $((128 + num)) (${ms} ms)" \
		eval "[ $ms -le 2000 ] && grep -qx 'rc=$((128 + num))' '$E2E_TMP/s$sig.rc'"
	check "SIG$sig: terminal restored" terminal_restored "s$sig"
	check "SIG$sig: its socket folder removed" eval '! ls -d "$XDG_RUNTIME_DIR"/kitetop-ssh-"$KPID"-* >/dev/null 2>&1'
	result "SIG$sig, host frozen" "-" "-" "exit $(sed 's/rc=//' "$E2E_TMP/s$sig.rc") in $ms ms, terminal restored" "-"
done
sshd_signal "$sd" CONT

faults_finish
