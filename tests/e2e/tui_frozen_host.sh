#!/bin/sh
# A frozen host (its SSH connections stop answering) turns its column's header
# from "● ssh N ms" to "✖ unreachable", with "ssh: fz stopped answering:
# nothing received for N s despite a keepalive", within 8 s: the transport
# notices a stalled link within its timeout (5 s), long before a TCP timeout,
# and does not wait for each source through it to time out on its own.  A private sshd on 127.0.0.73
# (started, frozen with SIGSTOP, thawed and stopped here, all by pid) serves
# host "fz", whose Docker is monk's engine and through which the lab's Redis
# is reached (via = fz).  Needs /usr/sbin/sshd, the lab's operator key, its
# Redis password and monk's engine (skips without).
. tests/e2e/e2e-lib
key=/run/kitetop-lab/operator_ed25519
sock=/run/kitetop-lab/monk/docker.sock
addr=127.0.0.73
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -S "$sock" ] || ! [ -r /run/kitetop-lab/redis.pass ]; then
	echo "SKIP: needs /usr/sbin/sshd, $key, the lab's Redis and monk's engine (make lab)"; e2e_finish; exit 0
fi
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
frozen=
start_sshd() {
	rm -f "$d/sshd.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
	n=100; while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.05; n=$((n-1)); done
	sshd_pid=$(cat "$d/sshd.pid" 2>/dev/null)
	[ -n "$sshd_pid" ]
}
# the sshd, its sessions and what they run (three levels), ours, by pid
tree() {
	echo "$sshd_pid"
	for p in $(ps -o pid= --ppid "$sshd_pid"); do
		echo "$p"
		for q in $(ps -o pid= --ppid "$p"); do echo "$q"; ps -o pid= --ppid "$q"; done
	done
}
cleanup() {
	[ -n "$frozen" ] && kill -CONT $frozen 2>/dev/null
	[ -n "$sshd_pid" ] && for p in $(tree); do kill "$p" 2>/dev/null; done
	sshd_pid=
}
trap cleanup EXIT
check "private sshd started on $addr:$port" start_sshd
cat >"$E2E_TMP/fz.conf" <<EOC
[kitetop]
refresh = 1
timeout = 5
[host fz]
address = $addr
ssh = root@$addr:$port
identity_file = $key
known_hosts = $d/known_hosts
docker = ssh
[redis]
address = 127.0.0.3:6379
password_file = /run/kitetop-lab/redis.pass
via = fz
EOC
chmod 600 "$E2E_TMP/fz.conf"
e2e_start r 160 30 "$KT -c $E2E_TMP/fz.conf"
check "the host is up, Redis through it answers" wait_re r '● redis [0-9]' 30
check "its header: ● ssh N ms" wait_re r 'fz .*● ssh [0-9]+ ms' 10
frozen=$(tree | tr '\n' ' ')
kill -STOP $frozen 2>/dev/null
t0=$(date +%s%3N)
if wait_re r 'fz .*✖ unreachable' 8; then
	pass "frozen: the header says unreachable within 8 s ($(( $(date +%s%3N) - t0 )) ms)"
else
	fail "frozen: the header says unreachable within 8 s"
fi
check "frozen: the column says why (stopped answering despite a keepalive)" \
	wait_re r 'ssh: fz stopped answering: nothing received for [0-9]+ s despite a keepalive' 2
check "frozen: the level is crit, naming fz" sh -c "tmux -L $E2E_SOCK capture-pane -p -t r | head -1 | grep -Eq '(^| )crit: fz: unreachable'"
kill -CONT $frozen 2>/dev/null; frozen=
check "thawed: ● ssh again, Redis answers" sh -c "
	n=900; while [ \$n -gt 0 ]; do
		s=\$(tmux -L $E2E_SOCK capture-pane -p -t r)
		printf '%s\n' \"\$s\" | grep -Eq 'fz .*● ssh [0-9]+ ms' && printf '%s\n' \"\$s\" | grep -Eq '● redis [0-9]' && exit 0
		sleep 0.05; n=\$((n-1))
	done; exit 1"
[ "$fails" -gt 0 ] && screen r | head -12
tm send-keys -t r q
e2e_finish
