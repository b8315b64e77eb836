#!/bin/sh
# bench-scale: kitetop against HOSTS fake Docker engines of CONTAINERS
# containers each (bench/scale/fake_dockerd.py; default 8 x 500), their
# `docker = unix:///...` sockets (no SSH), at refresh 2 s in a 200x50 tmux
# pane with btop beside it in the same run, as bench/idle.sh measures:
#   CPU of kitetop and of btop over SECONDS (default 60) after a warm-up
#     (KT_BENCH_WARMUP, default 30 s), and of the fake engines;
#   kitetop's resident memory at the end;
#   the requests each engine answered per 2 s refresh, by endpoint;
# then, kitetop alone in a pty (bench/scale/keys.py): key latency while
# scrolling (j one at a time, j held, PgDn through every host's list) and
# the frame time.
# Which path kitetop takes for the containers' CPU and memory (said in the
# output): SCALE_PATH=cgroup (the default) gives each fake engine a tree of
# cgroup files in a real host's shape (v1, cgroupfs driver; SCALE_CGROUP=v2
# for v2) in /dev/shm, which kitetop reads as it reads /sys/fs/cgroup
# (KITETOP_CGROUP_ROOT, its "%h" the host's name): one read per host per
# refresh, no stats request.  SCALE_PATH=stats gives none: kitetop falls
# back to Docker's stats API (an engine whose host's cgroups it cannot
# read), asked only for the containers whose rows are on screen.
# usage: bench/scale/run.sh KITETOP [HOSTS] [CONTAINERS] [SECONDS]
set -u
KT=$1 HOSTS=${2:-8} NCONT=${3:-500} SECS=${4:-60}
MODE=${SCALE_PATH:-cgroup} CGV=${SCALE_CGROUP:-v1}
HERE=$(cd "$(dirname "$0")" && pwd)
SOCK=kt-scale-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
TMP=$(mktemp -d)
CG=
[ "$MODE" = cgroup ] && CG=$(mktemp -d /dev/shm/kt-scale-cg.XXXXXX)
trap 'tm kill-server 2>/dev/null; [ -s "$TMP/fake.pid" ] && kill "$(cat "$TMP/fake.pid")" 2>/dev/null; rm -rf "$TMP"; [ -n "$CG" ] && rm -rf "$CG"' EXIT
trap 'exit 1' INT TERM HUP PIPE
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset KITETOP_CONFIG
export XDG_STATE_HOME="$TMP/state"

hz_tick=$(getconf CLK_TCK)
ticks() { awk -v t="$hz_tick" '{printf "%.0f\n", ($14 + $15) * 1e9 / t}' /proc/"$1"/stat 2>/dev/null; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pct() { awk -v d="$1" -v s="$SECS" 'BEGIN {printf "%.2f", d / 1e9 / s * 100}'; }

case $MODE in
cgroup)
	set -- --cgroup-root "$CG/fake%d" --cgroup "$CGV"
	export KITETOP_CGROUP_ROOT="$CG/%h"
	path="cgroup $CGV files (cgroupfs driver) under $CG/HOST, one read per host per refresh" ;;
stats)
	set --
	unset KITETOP_CGROUP_ROOT
	path="Docker's stats API (no cgroup files: kitetop's fallback; this version asks it only for the rows on screen)" ;;
*) echo "bench-scale: SCALE_PATH is cgroup or stats"; exit 2 ;;
esac
python3 "$HERE/fake_dockerd.py" --dir "$TMP" --hosts "$HOSTS" --containers "$NCONT" \
	--pidfile "$TMP/fake.pid" "$@" >"$TMP/fake.log" 2>&1 &
n=1200
while [ "$n" -gt 0 ] && ! { [ -S "$TMP/engine-$((HOSTS - 1)).sock" ] && [ -s "$TMP/fake.pid" ]; }; do
	sleep 0.05; n=$((n - 1))
done
[ -S "$TMP/engine-$((HOSTS - 1)).sock" ] || { echo "bench-scale: the fake engines did not start"; cat "$TMP/fake.log"; exit 1; }
fakepid=$(cat "$TMP/fake.pid")
conf=$TMP/kitetop.conf
{
	printf '[kitetop]\nrefresh = 2\ntimeout = 5\n'
	i=0
	while [ "$i" -lt "$HOSTS" ]; do
		printf '\n[host fake%d]\ndocker = unix://%s/engine-%d.sock\n' "$i" "$TMP" "$i"
		i=$((i + 1))
	done
} >"$conf"
counters() { # all engines' counters: "ENGINE ENDPOINT COUNT" lines
	i=0
	while [ "$i" -lt "$HOSTS" ]; do
		curl -s --max-time 5 --unix-socket "$TMP/engine-$i.sock" http://fake/_counters |
			python3 -c 'import json, sys
for k, v in json.load(sys.stdin).items(): print(sys.argv[1], k, v)' "$i"
		i=$((i + 1))
	done
}

echo "bench-scale: $HOSTS fake engines x $NCONT containers, kitetop at refresh 2 s in 200x50"
echo "path measured: $path"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
tm new-session -d -s kt -x 200 -y 50 "exec $KT -c $conf"
have_btop=0
if command -v btop >/dev/null; then
	mkdir -p "$TMP/btop"
	tm new-session -d -s btop -x 200 -y 50 "exec env HOME=$TMP/btop btop"
	have_btop=1
fi
sleep "${KT_BENCH_WARMUP:-30}"
ktpid=$(tm display-message -p -t kt '#{pane_pid}')
[ "$have_btop" = 1 ] && btpid=$(tm display-message -p -t btop '#{pane_pid}')
counters >"$TMP/c0"
k0=$(ticks "$ktpid"); f0=$(ticks "$fakepid"); [ "$have_btop" = 1 ] && b0=$(ticks "$btpid")
sleep "$SECS"
k1=$(ticks "$ktpid"); f1=$(ticks "$fakepid"); [ "$have_btop" = 1 ] && b1=$(ticks "$btpid")
counters >"$TMP/c1"
echo "CPU: kitetop $(pct $((k1 - k0)))% of one core over $SECS s ($(awk -v d=$((k1 - k0)) -v s="$SECS" 'BEGIN {printf "%.1f", d / 1e6 / (s / 2)}') ms of CPU per 2 s refresh)"
if [ "$have_btop" = 1 ]; then
	ratio=$(awk -v k=$((k1 - k0)) -v b=$((b1 - b0)) 'BEGIN {if (b > 0) printf "%.2f", k / b; else print "n/a"}')
	echo "CPU: btop $(pct $((b1 - b0)))% in the same run; kitetop/btop = $ratio"
else
	echo "CPU: btop is not installed: no peer measured"
fi
echo "CPU: the fake engines (one python3 process) $(pct $((f1 - f0)))%"
echo "resident memory: kitetop $(rss_kb "$ktpid") KiB after $((SECS + ${KT_BENCH_WARMUP:-30})) s"
tm capture-pane -p -t kt >"$TMP/screen"
grep -q 'svc-0' "$TMP/screen" || echo "WARNING: kitetop's screen shows no container (see below)"
echo "requests per engine per 2 s refresh, by endpoint (mean over the $HOSTS engines; min-max):"
awk -v secs="$SECS" -v hosts="$HOSTS" '
	FNR == NR { c0[$1 " " $2] = $3; next }
	{ d = $3 - c0[$1 " " $2]; r = d / (secs / 2); sum[$2] += r
	  if (!($2 in mn) || r < mn[$2]) mn[$2] = r; if (!($2 in mx) || r > mx[$2]) mx[$2] = r; seen[$2]++ }
	END { for (e in sum) { if (seen[e] < hosts) mn[e] = 0
	        printf "  %-22s %8.1f  (%.1f-%.1f)\n", e, sum[e] / hosts, mn[e], mx[e]; tot += sum[e] / hosts }
	      printf "  %-22s %8.1f\n", "all", tot }' "$TMP/c0" "$TMP/c1" | sort
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
tm kill-session -t kt
[ "$have_btop" = 1 ] && tm kill-session -t btop
[ "${SCALE_KEYS:-1}" = 0 ] && exit 0   # SCALE_KEYS=0: the idle figures only
echo "keys (kitetop alone, in a 200x50 pty):"
python3 "$HERE/keys.py" "$KT" "$conf" "$NCONT" "$HOSTS" | sed 's/^/  /'
