#!/bin/sh
# Idle cost of the TUI: CPU over SECONDS (default 60) in a 200x50 tmux pane,
# with btop running beside it in the same run as the peer, resident memory at
# the end, and the bytes kitetop wrote to its terminal per refresh.
# usage: bench/idle.sh KITETOP CONFIG [SECONDS]
set -u
KT=$1 CONF=$2 SECS=${3:-60}
SOCK=kt-bench-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
TMP=$(mktemp -d)
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE   # a signal ends through the EXIT trap: no kitetop or btop left behind
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8

# CPU time of the whole process in ns: utime+stime of /proc/PID/stat, whose
# sum the kernel keeps equal to the scheduler's own runtime and which, unlike
# a sum over /proc/PID/task/*/schedstat, counts the threads that ended during
# the window (a round's probe workers: that sum missed ~0.05 % of a core).
# Its unit is the clock tick (10 ms): within 2 ticks: +-0.03 % of a core over 60 s.
hz_tick=$(getconf CLK_TCK)
ticks() { awk -v t="$hz_tick" '{printf "%.0f\n", ($14 + $15) * 1e9 / t}' /proc/"$1"/stat 2>/dev/null; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
child_of() { pgrep -P "$(tm display-message -p -t "$1" '#{pane_pid}')" | head -n1; }

tm new-session -d -s kt -x 200 -y 50 "exec $KT -c $CONF"
# KT_BENCH_KEYS: keys typed once it has started (e.g. 7: the Cluster view)
if [ -n "${KT_BENCH_KEYS:-}" ]; then
	sleep 2
	tm send-keys -t kt "$KT_BENCH_KEYS"
fi
have_btop=0
if command -v btop >/dev/null; then
	# btop at its default 2 s update, the same refresh as kitetop's default
	mkdir -p "$TMP/btop"
	tm new-session -d -s btop -x 200 -y 50 "exec env HOME=$TMP/btop btop"
	have_btop=1
fi
# Idle is the steady state: both are measured from KT_BENCH_WARMUP seconds
# (default 30) after start, past the connections, the first lists and
# inspects, the history queries and kitetop's first memory trim (at 20 s).
sleep "${KT_BENCH_WARMUP:-30}"
ktpid=$(tm display-message -p -t kt '#{pane_pid}')
[ "$have_btop" = 1 ] && btpid=$(tm display-message -p -t btop '#{pane_pid}')
tm pipe-pane -t kt -o "cat >$TMP/bytes"
k0=$(ticks "$ktpid"); [ "$have_btop" = 1 ] && b0=$(ticks "$btpid")
sleep "$SECS"
k1=$(ticks "$ktpid"); [ "$have_btop" = 1 ] && b1=$(ticks "$btpid")
tm pipe-pane -t kt
hz=1000000000
kcpu=$(awk -v d=$((k1 - k0)) -v hz="$hz" -v s="$SECS" 'BEGIN {printf "%.2f", d / hz / s * 100}')
echo "idle CPU: kitetop ${kcpu}% of one core over ${SECS} s (target <= 1%)"
if [ "$have_btop" = 1 ]; then
	bcpu=$(awk -v d=$((b1 - b0)) -v hz="$hz" -v s="$SECS" 'BEGIN {printf "%.2f", d / hz / s * 100}')
	ratio=$(awk -v k=$((k1 - k0)) -v b=$((b1 - b0)) 'BEGIN {if (b > 0) printf "%.2f", k / b; else print "n/a"}')
	echo "idle CPU: btop ${bcpu}% in the same run; kitetop/btop = ${ratio} (target <= 0.5)"
fi
echo "resident memory: kitetop $(rss_kb "$ktpid") KiB after $((SECS + ${KT_BENCH_WARMUP:-30})) s"
bytes=$(wc -c <"$TMP/bytes")
refresh=$(awk -F= '/^refresh/ {gsub(/[ \t;].*/, "", $2); print $2}' "$CONF" | head -n1)
refresh=${refresh:-2}
echo "terminal output: $bytes bytes in ${SECS} s = $(awk -v b="$bytes" -v s="$SECS" -v r="$refresh" 'BEGIN {printf "%.0f", b / (s / r)}') bytes per ${refresh} s refresh"
