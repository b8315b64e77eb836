#!/bin/sh
# Resident memory over a long run: kitetop in a 200x50 tmux pane for MINUTES
# (default 10), VmRSS sampled every 30 s; prints the samples, the figure at the
# end (target <= 12 MB) and the growth between minute 2 and the end (target:
# flat).  usage: bench/rss.sh KITETOP CONFIG [MINUTES]
set -u
KT=$1 CONF=$2 MINS=${3:-10}
SOCK=kt-rss-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
trap 'exit 1' INT TERM HUP PIPE   # a signal ends through the EXIT trap: nothing left behind
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
tm new-session -d -s kt -x 200 -y 50 "exec $KT -c $CONF"
sleep 1
pid=$(tm display-message -p -t kt '#{pane_pid}')
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
t=0 at2=
while [ "$t" -lt $((MINS * 60)) ]; do
	sleep 30
	t=$((t + 30))
	r=$(rss) || { echo "rss: kitetop ended early"; exit 1; }
	[ "$t" = 120 ] && at2=$r
	printf 'rss: %4d s %6d KiB\n' "$t" "$r"
done
end=$(rss)
echo "resident memory: kitetop $end KiB after $MINS min (target <= 12288 KiB)"
[ -n "$at2" ] && echo "growth from minute 2 to minute $MINS: $((end - at2)) KiB (target: flat)"
