#!/bin/sh
# A followed log resumes after its host's SSH drops and comes back: a private
# sshd on 127.0.0.42 (started, killed and started again here, by its pid)
# serves host "lg", whose Docker is monk's engine (SetEnv DOCKER_HOST on the
# sshd's side); a container of this test's own (kt-resume-PID, removed at
# the end) prints a numbered line every 0.2 s.  `kitetop logs SERVICE --all-hosts --follow`
# (a service's logs, the logs API's stream as the TUI's `L` uses it)
# must go on after the sshd is back, with one gap mark and no number twice.
# Needs /usr/sbin/sshd, the lab's operator key and monk's engine (skips without).
. tests/e2e/e2e-lib
key=/run/kitetop-lab/operator_ed25519
sock=/run/kitetop-lab/monk/docker.sock
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -S "$sock" ] || ! command -v docker >/dev/null; then
	echo "SKIP: needs /usr/sbin/sshd, $key and monk's engine (make lab)"; e2e_finish; exit 0
fi
C=kt-resume-$$
d=$E2E_TMP/sshd
mkdir -p "$d"; chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || { fail "ssh-keygen"; e2e_finish; exit 1; }
cp "$key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.42", 0)); print(s.getsockname()[1])')
cat >"$d/sshd_config" <<EOC
ListenAddress 127.0.0.42:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv DOCKER_HOST=unix://$sock
EOC
echo "[127.0.0.42]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
sshd_pid=
kt_pid=
wait_file_re() { # wait_file_re FILE ERE SECONDS
	n=$(($3 * 10))
	while [ $n -gt 0 ]; do grep -Eq "$2" "$1" 2>/dev/null && return 0; sleep 0.1; n=$((n-1)); done
	return 1
}
start_sshd() {
	rm -f "$d/sshd.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
	n=50; while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.1; n=$((n-1)); done
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
	docker -H "unix://$sock" rm -f "$C" >/dev/null 2>&1
}
trap cleanup EXIT
check "private sshd started on 127.0.0.42:$port" start_sshd
docker -H "unix://$sock" run -d --name "$C" --network none kitestacks/busybox:lab \
	sh -c 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.2; done' >/dev/null
check "the test's own container runs" sh -c "docker -H unix://$sock inspect $C >/dev/null"
cat >"$E2E_TMP/lg.conf" <<EOC
[kitetop]
refresh = 1
timeout = 5
[host lg]
ssh = root@127.0.0.42:$port
identity_file = $key
known_hosts = $d/known_hosts
docker = ssh
[service rs]
container = $C
EOC
chmod 600 "$E2E_TMP/lg.conf"

$KT -c "$E2E_TMP/lg.conf" logs rs --all-hosts --since 1m --follow >"$E2E_TMP/out" 2>"$E2E_TMP/err" &
kt_pid=$!
check "lines are followed" wait_file_re "$E2E_TMP/out" "line [0-9]+" 15
sleep 1
kill_sshd
sleep 4
check "private sshd started again" start_sshd
check "the gap is marked" wait_file_re "$E2E_TMP/out" "connection lost [0-9:]+, resumed [0-9:]+" 60
sleep 3
kill "$kt_pid" 2>/dev/null; wait "$kt_pid" 2>/dev/null; kt_pid=
sed -n 's/.*line \([0-9][0-9]*\).*/\1/p' "$E2E_TMP/out" >"$E2E_TMP/nums"
check "one gap mark" [ "$(grep -c 'connection lost' "$E2E_TMP/out")" = 1 ]
check "new numbered lines after the mark" sh -c "sed -n '/connection lost/,\$p' $E2E_TMP/out | grep -q 'line [0-9]'"
check "no number twice" sh -c "[ -z \"\$(sort -n $E2E_TMP/nums | uniq -d)\" ]"
check "the numbers in order" sh -c "sort -n -c $E2E_TMP/nums"
# the lines printed while the sshd was down come after the mark, from the
# engine: none is lost
check "no number lost" sh -c "[ \$(wc -l <$E2E_TMP/nums) = \$((\$(tail -n1 $E2E_TMP/nums) - \$(head -n1 $E2E_TMP/nums) + 1)) ]"
if [ "$fails" -gt 0 ]; then
	echo "--- what kitetop printed (the end), and its errors:"; tail -n 8 "$E2E_TMP/out"; cat "$E2E_TMP/err"; tail -n 5 "$d/sshd.log"
fi
e2e_finish
