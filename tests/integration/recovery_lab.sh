#!/bin/sh
# kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others
# recovery_lab.sh — how fast kitetop sees a host again after an outage.
# A private sshd on $RECOVERY_ADDR (127.0.0.71; started, killed and restarted
# here, always by its pid) serves host "rec", whose docker is monk's engine
# (read only) and through which the lab's Redis (127.0.0.3:6379) is reached
# (`via = rec`).  The TUI runs in tmux with refresh 1.  Each outage kills the
# sshd and its sessions and keeps them down long enough for the reconnection
# backoff (1 s doubling) to reach its cap of 15 s, then starts the sshd again
# and times how long until the host, its containers and Redis are fresh:
#   - without R, RECOVERY_TRIALS outages of RECOVERY_OUTAGE_S (3 x 40 s; the
#     first RECOVERY_FIRST_OUTAGE_S, 60 s): within 5 s each (the transport
#     probes the SSH port once a second while it waits, and reconnects as
#     soon as the server answers), and kitetop's CPU while the host is down
#     (the first outage) stays under RECOVERY_CPU_PCT (1 %);
#   - with R pressed right after the restart (RECOVERY_R_TRIALS outages of
#     20 s): within 2 s each.
# RECOVERY_LIMIT_S / RECOVERY_R_LIMIT_S override the limits (to measure an
# older build without failing).  Prints min / median / max of each series.
cd "$(dirname "$0")/../.." || exit 1
key=/run/kitetop-lab/operator_ed25519
if [ "${KT_LAB_UP:-0}" != 1 ] || ! [ -r /run/kitetop-lab/redis.pass ]; then
	echo "PASS: skipped (the lab is not up; KT_LAB_UP=1 with make lab)"; exit 0
fi
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -r "$key.pub" ]; then
	echo "PASS: skipped (needs /usr/sbin/sshd and $key)"; exit 0
fi
. tests/e2e/e2e-lib
limit=${RECOVERY_LIMIT_S:-5}
rlimit=${RECOVERY_R_LIMIT_S:-2}
outage=${RECOVERY_OUTAGE_S:-40}
first_outage=${RECOVERY_FIRST_OUTAGE_S:-60}
trials=${RECOVERY_TRIALS:-3}
r_outage=${RECOVERY_R_OUTAGE_S:-20}
r_trials=${RECOVERY_R_TRIALS:-2}
cpu_pct=${RECOVERY_CPU_PCT:-1}
addr=${RECOVERY_ADDR:-127.0.0.71}

d=$E2E_TMP/sshd
mkdir -p "$d"; chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || { fail "ssh-keygen"; e2e_finish; exit 1; }
cp "$key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
port=$(python3 -c 'import socket, sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$addr")
cat >"$d/sshd_config" <<EOC
ListenAddress $addr:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
# SHLVL=1: bash (built with SSH_SOURCE_BASHRC) then skips ~/.bashrc for ssh
# commands, as the lab's own sshd does (tests/lab/up)
SetEnv DOCKER_HOST=unix:///run/kitetop-lab/monk/docker.sock SHLVL=1
EOC
echo "[$addr]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"

# The pid is read from the pid file each time: outage() runs in a subshell,
# whose variables do not come back.
sshd_start() {
	rm -f "$d/sshd.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
	n=100; while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.05; n=$((n-1)); done
	[ -s "$d/sshd.pid" ]
}
# the sshd and its sessions (its children), ours, by pid
sshd_kill() {
	pid=$(cat "$d/sshd.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	for p in $(ps -o pid= --ppid "$pid") "$pid"; do kill "$p" 2>/dev/null; done
	n=100; while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
	rm -f "$d/sshd.pid"
}
trap 'sshd_kill' EXIT
now_ms() { date +%s%3N; }
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

cat >"$E2E_TMP/rec.conf" <<EOC
[kitetop]
refresh = 1
[host rec]
address = $addr
ssh = root@$addr:$port
identity_file = $key
known_hosts = $d/known_hosts
docker = ssh
[redis]
address = 127.0.0.3:6379
password_file = /run/kitetop-lab/redis.pass
via = rec
EOC
chmod 600 "$E2E_TMP/rec.conf"

# What "fresh" looks like on the overview: the host's frame with its SSH
# round trip, one of monk's containers listed, no error line left (docker's
# "ssh: cannot connect ..."), no source through it failing in its header,
# and Redis's status line with its version.
# The Recent events panel under the column (its lines start with a light
# border) names past outages and is left out, and so is the header's line.
screen_now() { screen r 2>/dev/null | sed 1d | grep -v '^[│┌└]'; }
fresh() {
	s=$(screen_now)
	printf '%s\n' "$s" | grep -Eq -- 'rec .*ssh [0-9]+ ms' &&
	    printf '%s\n' "$s" | grep -qF -- 'forgejo' &&
	    printf '%s\n' "$s" | grep -Eq -- '^ *● redis [0-9]' &&
	    ! printf '%s\n' "$s" | grep -Eq -- 'unreachable|cannot connect|lost|stale|failing'
}
down() {
	s=$(screen_now)
	printf '%s\n' "$s" | grep -q 'unreachable' && printf '%s\n' "$s" | grep -Eq -- '✖ redis'
}
# until COND holds or SECONDS pass; prints the ms it took
until_ms() {
	t0=$(now_ms); lim=$(( $2 * 1000 ))
	while :; do
		if "$1"; then echo $(( $(now_ms) - t0 )); return 0; fi
		[ $(( $(now_ms) - t0 )) -ge "$lim" ] && { echo "$lim"; return 1; }
		sleep 0.05
	done
}

check "private sshd started on $addr:$port" sshd_start
e2e_start r 160 50 "$KT -c $E2E_TMP/rec.conf; echo rc=\$? >$E2E_TMP/r.rc; sleep 60"
ms=$(until_ms fresh 30)
check "host rec and Redis via rec fresh at the start (${ms} ms)" [ "$ms" -lt 30000 ]
[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.start"
[ "$ms" -ge 30000 ] && screen r | tail -30

host_up() { screen r 2>/dev/null | grep -Eq -- 'rec .*ssh [0-9]+ ms'; }

# kitetop's pid: the child of the shell tmux runs in the pane
kt_pid=$(ps -o pid= --ppid "$(tm display-message -p -t r '#{pane_pid}')" | tr -d ' ' | head -n1)
# its CPU time so far, in clock ticks (utime + stime)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$kt_pid/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

# outage WITH_R SECONDS: kills the sshd, waits for the screen to say so, keeps
# it down for the rest of SECONDS, restarts it (pressing R at once when WITH_R
# is 1) and prints three figures: ms from the restart until the host is
# connected again, ms from then until its containers and Redis are fresh, and
# kitetop's CPU while the host was down, in hundredths of a percent of a core
# (from the screen saying so until the restart).
outage() {
	t_kill=$(now_ms)
	sshd_kill
	until_ms down 30 >/dev/null || { screen r >"$E2E_TMP/down.txt"; echo "-1 -1 -1"; return; }
	[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.down$1"
	c0=$(cpu_ticks); w0=$(now_ms)
	left=$(( $2 * 1000 - (w0 - t_kill) ))
	[ "$left" -gt 0 ] && sleep "$(( left / 1000 )).$(( left % 1000 / 100 ))"
	c1=$(cpu_ticks); w1=$(now_ms)
	sshd_start || { echo "-2 -2 -2"; return; }
	[ "$1" = 1 ] && tm send-keys -t r R
	a=$(until_ms host_up 70)
	b=$(until_ms fresh 70)
	[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.fresh$1"
	echo "$a $b $(( (c1 - c0) * 10000000 / hz / (w1 - w0 + 1) ))"
}

# min / median / max of the numbers given
stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "min %d, median %d, max %d ms", v[1], (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2, v[NR] }'; }

check "kitetop's pid found ($kt_pid)" [ -r "/proc/$kt_pid/stat" ]
all=
k=1
while [ "$k" -le "$trials" ]; do
	secs=$outage
	[ "$k" = 1 ] && secs=$first_outage
	set -- $(outage 0 "$secs")
	if [ "$1" -lt 0 ]; then
		fail "trial $k: host rec and Redis turn unreachable once the sshd is gone"
		cat "$E2E_TMP/down.txt"; break
	fi
	t=$(( $1 + $2 ))
	all="$all $t"
	echo "trial $k (${secs} s down, without R): reconnected after $1 ms, fresh $2 ms later ($t ms in all)"
	if [ "$k" = 1 ]; then
		echo "kitetop's CPU while the host was down: $(( $3 / 100 )).$(printf %02d $(( $3 % 100 ))) % of a core"
		check "CPU while the host is down under $cpu_pct % ($3 / 100 %)" [ "$3" -lt $(( cpu_pct * 100 )) ]
	fi
	check "trial $k: fresh again within $limit s of the restart, without R ($t ms)" \
		in_range "$t" 0 $(( limit * 1000 ))
	[ "$t" -gt $(( limit * 1000 )) ] && screen r | tail -25
	k=$((k + 1))
done
[ -n "$all" ] && echo "recovery without R over $(echo $all | wc -w | tr -d ' ') trials: $(stats $all)"

all=
k=1
while [ "$k" -le "$r_trials" ]; do
	set -- $(outage 1 "$r_outage")
	[ "$1" -lt 0 ] && { fail "R trial $k: the outage is seen"; break; }
	t=$(( $1 + $2 ))
	all="$all $t"
	echo "trial $k (${r_outage} s down, R at the restart): reconnected after $1 ms, fresh $2 ms later ($t ms in all)"
	check "R trial $k: fresh again within $rlimit s with R pressed at the restart ($t ms)" \
		in_range "$t" 0 $(( rlimit * 1000 ))
	[ "$t" -gt $(( rlimit * 1000 )) ] && screen r | tail -25
	k=$((k + 1))
done
[ -n "$all" ] && echo "recovery with R over $(echo $all | wc -w | tr -d ' ') trials: $(stats $all)"

tm send-keys -t r q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/r.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/r.rc"
# before e2e_finish removes the folder holding the pid file
sshd_kill
e2e_finish
