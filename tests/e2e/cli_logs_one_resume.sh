#!/bin/sh
# `kitetop logs HOST CONTAINER --follow` (one container, as `docker logs -f`
# prints it) resumes after its host's SSH drops and comes back: a private
# sshd on 127.0.0.72 (started, killed and started again here, by its pid)
# serves host "lg", whose Docker is monk's engine (SetEnv DOCKER_HOST on the
# sshd's side); a container of this test's own (kt-one-resume-PID, removed
# at the end) prints a numbered line every 0.2 s.  After the sshd is back the
# lines go on within 5 s, after one gap mark, with the break said once on
# stderr, no number twice and none lost (the engine kept those printed while
# the host was away).  Needs /usr/sbin/sshd, the lab's operator key and
# monk's engine (skips without).
. tests/e2e/e2e-lib
key=/run/kitetop-lab/operator_ed25519
sock=/run/kitetop-lab/monk/docker.sock
addr=127.0.0.72
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -S "$sock" ] || ! command -v docker >/dev/null; then
	echo "SKIP: needs /usr/sbin/sshd, $key and monk's engine (make lab)"; e2e_finish; exit 0
fi
C=kt-one-resume-$$
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
SetEnv DOCKER_HOST=unix://$sock SHLVL=1
EOC
echo "[$addr]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
sshd_pid=
kt_pid=
dk() { docker -H "unix://$sock" "$@"; }
wait_file_re() { # wait_file_re FILE ERE SECONDS
	n=$(($3 * 20))
	while [ $n -gt 0 ]; do grep -Eq "$2" "$1" 2>/dev/null && return 0; sleep 0.05; n=$((n-1)); done
	return 1
}
start_sshd() {
	rm -f "$d/sshd.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
	n=100; while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.05; n=$((n-1)); done
	sshd_pid=$(cat "$d/sshd.pid" 2>/dev/null)
	[ -n "$sshd_pid" ]
}
# the sshd and its sessions (its children and theirs), ours, by pid
kill_sshd() {
	[ -n "$sshd_pid" ] || return 0
	for p in $(ps -o pid= --ppid "$sshd_pid"); do
		for q in $(ps -o pid= --ppid "$p"); do kill "$q" 2>/dev/null; done
		kill "$p" 2>/dev/null
	done
	kill "$sshd_pid" 2>/dev/null
	sshd_pid=
}
cleanup() {
	[ -n "$kt_pid" ] && kill "$kt_pid" 2>/dev/null
	kill_sshd
	dk rm -f "$C" >/dev/null 2>&1
}
trap cleanup EXIT
# the container's newest number, from its engine
engine_last() { dk logs --tail 1 "$C" 2>/dev/null | sed -n 's/^line \([0-9][0-9]*\)$/\1/p'; }
printed_last() { sed -n 's/^line \([0-9][0-9]*\)$/\1/p' "$E2E_TMP/out" | tail -n1; }
# until the engine's newest number is at least $1
engine_past() {
	n=200
	while [ $n -gt 0 ]; do
		v=$(engine_last); [ -n "$v" ] && [ "$v" -ge "$1" ] && return 0
		sleep 0.05; n=$((n-1))
	done
	return 1
}

check "private sshd started on $addr:$port" start_sshd
dk run -d --name "$C" --network none kitestacks/busybox:lab \
	sh -c 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.2; done' >/dev/null
check "the test's own container runs" sh -c "docker -H unix://$sock inspect $C >/dev/null"
cat >"$E2E_TMP/lg.conf" <<EOC
[kitetop]
refresh = 1
timeout = 5
[host lg]
ssh = root@$addr:$port
identity_file = $key
known_hosts = $d/known_hosts
docker = ssh
EOC
chmod 600 "$E2E_TMP/lg.conf"

$KT -c "$E2E_TMP/lg.conf" logs lg "$C" --follow >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
kt_pid=$!
check "lines are followed" wait_file_re "$E2E_TMP/out" "^line [0-9]+$" 15
check "lines go on" engine_past $(( $(printed_last) + 5 ))
kill_sshd
check "the break is said on stderr" wait_file_re "$E2E_TMP/err" "trying again" 30
# the host stays away while the container prints ten more lines
down_at=$(printed_last)
check "the container goes on while the host is away" engine_past $(( down_at + 10 ))
check "private sshd started again" start_sshd
t0=$(date +%s%3N)
check "the gap is marked within 5 s" wait_file_re "$E2E_TMP/out" "connection lost [0-9:]+, resumed [0-9:]+" 5
echo "resumed $(( $(date +%s%3N) - t0 )) ms after the sshd was back"
check "lines go on after the mark" engine_past $(( down_at + 20 ))
check "a line after the mark is out" wait_file_re "$E2E_TMP/out" "^line $(( down_at + 15 ))\$" 10
kill "$kt_pid" 2>/dev/null; wait "$kt_pid" 2>/dev/null; kt_pid=
sed -n 's/^line \([0-9][0-9]*\)$/\1/p' "$E2E_TMP/out" >"$E2E_TMP/nums"
check "one gap mark" [ "$(grep -c 'connection lost' "$E2E_TMP/out")" = 1 ]
check "the break said once on stderr" [ "$(grep -c 'trying again' "$E2E_TMP/err")" = 1 ]
check "nothing else on stdout" sh -c "! grep -Ev '^line [0-9]+\$|connection lost' $E2E_TMP/out"
check "no number twice" sh -c "[ -z \"\$(sort -n $E2E_TMP/nums | uniq -d)\" ]"
check "the numbers in order" sh -c "sort -n -c $E2E_TMP/nums"
check "no number lost" sh -c "[ \$(wc -l <$E2E_TMP/nums) = \$((\$(tail -n1 $E2E_TMP/nums) - \$(head -n1 $E2E_TMP/nums) + 1)) ]"
check "the mark between the last line before and the first after" sh -c \
	"grep -B1 -A1 'connection lost' $E2E_TMP/out | sed -n '1p;3p' | grep -c '^line' | grep -qx 2"
if [ "$fails" -gt 0 ]; then
	echo "--- what kitetop printed (around the mark), and its errors:"
	grep -B3 -A3 'connection lost' "$E2E_TMP/out"; tail -n 4 "$E2E_TMP/out"; cat "$E2E_TMP/err"; tail -n 5 "$d/sshd.log"
fi
e2e_finish
