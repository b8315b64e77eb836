#!/bin/sh
# recovery_lab.sh — how fast kitetop sees a host again after an outage.
# A private sshd on 127.0.0.41 (started, killed and restarted here, always by
# its pid) serves host "rec", whose docker is monk's engine and through which
# the lab's Redis (127.0.0.3:6379) is reached (`via = rec`).  The TUI runs in
# tmux with refresh 1; the sshd and its sessions go away for about 40 s, long
# enough for a 1 s backoff doubling without a cap to pass 15 s, then come back:
#   - by itself, the host reconnects within the backoff's cap (15 s, +20 %
#     jitter), and its containers and Redis are fresh within 5 s of that (the
#     connection wakes the sources that go through the host);
#   - with R pressed right after the restart, within 2 s.
# RECOVERY_LIMIT_S / RECOVERY_R_LIMIT_S override the limits (to measure an
# older build without failing).
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

d=$E2E_TMP/sshd
mkdir -p "$d"; chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || { fail "ssh-keygen"; e2e_finish; exit 1; }
cp "$key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.41", 0)); print(s.getsockname()[1])')
cat >"$d/sshd_config" <<EOC
ListenAddress 127.0.0.41:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv DOCKER_HOST=unix:///run/kitetop-lab/monk/docker.sock
EOC
echo "[127.0.0.41]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"

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
address = 127.0.0.41
ssh = root@127.0.0.41:$port
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
# "ssh: cannot connect ..."), and Redis's status line with its version.
fresh() {
	s=$(screen r 2>/dev/null)
	printf '%s\n' "$s" | grep -Eq -- 'rec .*ssh [0-9]+ ms' &&
	    printf '%s\n' "$s" | grep -qF -- 'forgejo' &&
	    printf '%s\n' "$s" | grep -Eq -- '^ *● redis [0-9]' &&
	    ! printf '%s\n' "$s" | grep -Eq -- 'unreachable|cannot connect|lost|stale'
}
down() {
	s=$(screen r 2>/dev/null)
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

check "private sshd started on 127.0.0.41:$port" sshd_start
e2e_start r 160 50 "$KT -c $E2E_TMP/rec.conf; echo rc=\$? >$E2E_TMP/r.rc; sleep 60"
ms=$(until_ms fresh 30)
check "host rec and Redis via rec fresh at the start (${ms} ms)" [ "$ms" -lt 30000 ]
[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.start"
[ "$ms" -ge 30000 ] && screen r | tail -30

host_up() { screen r 2>/dev/null | grep -Eq -- 'rec .*ssh [0-9]+ ms'; }

# outage WITH_R: kills the sshd, waits for the screen to say so, keeps it down
# for the rest of $outage s, restarts it (pressing R at once when WITH_R is 1)
# and prints two times in ms: from the restart until the host is connected
# again, and from then until its containers and Redis are fresh.
outage() {
	t_kill=$(now_ms)
	sshd_kill
	until_ms down 30 >/dev/null || { screen r >"$E2E_TMP/down.txt"; echo "-1 -1"; return; }
	[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.down$1"
	left=$(( outage * 1000 - ($(now_ms) - t_kill) ))
	[ "$left" -gt 0 ] && sleep "$(( left / 1000 )).$(( left % 1000 / 100 ))"
	sshd_start || { echo "-2 -2"; return; }
	[ "$1" = 1 ] && tm send-keys -t r R
	a=$(until_ms host_up 70)
	b=$(until_ms fresh 70)
	[ -n "${RECOVERY_DEBUG:-}" ] && screen r >"$RECOVERY_DEBUG.fresh$1"
	echo "$a $b"
}

# Without R the reconnection itself may take up to the backoff's cap, 15 s
# plus its 20 % jitter (plus the connection's own time); what must be quick
# is everything else once the host is back.
set -- $(outage 0)
if [ "$1" -lt 0 ]; then
	fail "host rec and Redis turn unreachable once the sshd is gone"; cat "$E2E_TMP/down.txt"
else
	pass "host rec and Redis turn unreachable once the sshd is gone"
fi
echo "recovery without R: reconnected after $1 ms, fresh $2 ms later ($(( $1 + $2 )) ms in all)"
check "reconnected by itself within the 15 s cap + 20 % ($1 ms)" in_range "$1" 0 19000
check "containers and Redis via rec fresh within $limit s of the reconnection ($2 ms)" \
	in_range "$2" 0 $(( limit * 1000 ))
[ "$2" -gt $(( limit * 1000 )) ] && screen r | tail -25

set -- $(outage 1)
echo "recovery with R: reconnected after $1 ms, fresh $2 ms later ($(( $1 + $2 )) ms in all)"
check "fresh again within $rlimit s with R pressed at the restart ($(( $1 + $2 )) ms)" \
	in_range "$(( $1 + $2 ))" 0 $(( rlimit * 1000 ))
[ "$(( $1 + $2 ))" -gt $(( rlimit * 1000 )) ] && screen r | tail -25

tm send-keys -t r q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/r.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/r.rc"
# before e2e_finish removes the folder holding the pid file
sshd_kill
e2e_finish
