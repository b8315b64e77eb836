#!/bin/bash
# action_unknown_lab.sh — a restart whose SSH link dies after the request went out is
# never reported "failed".  Host "act" is a private sshd on 127.0.0.43 (started and
# killed here, by its pid) whose docker is the lab's monk engine; the container is this
# test's own (kt-unknown-PID, a shell as PID 1 that ignores TERM, so a restart takes its
# full 10 s stop timeout; removed at the end).  3 s into the restart the sshd and its
# sessions are killed.  A: the sshd comes back 2 s later: kitetop reconnects, verifies
# and says ok (exit 0, audit ok).  B: it stays down: exit 3, audit "unknown", the message
# says what to check, and the engine shows the restart did happen.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
SOCK=/run/kitetop-lab/monk/docker.sock
KEY=/run/kitetop-lab/operator_ed25519
TMP=$(mktemp -d)
C=kt-unknown-$$
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
dk() { docker -H "unix://$SOCK" "$@"; }

if [ "${KT_LAB_UP:-}" != 1 ]; then
	echo "PASS: skipped (KT_LAB_UP != 1: the lab is not up)"; exit 0
fi
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$KEY" ] || ! dk version >/dev/null 2>&1; then
	echo "PASS: skipped (needs /usr/sbin/sshd, $KEY and monk's engine)"; exit 0
fi
[ -x "$KT" ] || { fail "no ./kitetop (make)"; exit 1; }

# the private sshd and every process of its sessions, by pid
descendants() { local c; for c in $(ps -o pid= --ppid "$1"); do descendants "$c"; echo "$c"; done; }
sshd_kill() {
	local p pid
	pid=$(cat "$D/sshd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	for p in $(descendants "$pid") "$pid"; do kill -9 "$p" 2>/dev/null; done
	rm -f "$D/sshd.pid"
}
cleanup() {
	sshd_kill
	[ -n "${KPID:-}" ] && kill "$KPID" 2>/dev/null
	dk rm -f "$C" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

D=$TMP/sshd
mkdir -p "$D"; chmod 700 "$D"
ssh-keygen -q -t ed25519 -N '' -f "$D/host_key" || { fail "ssh-keygen"; exit 1; }
cp "$KEY.pub" "$D/authorized_keys"; chmod 600 "$D/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.43", 0)); print(s.getsockname()[1])')
cat >"$D/sshd_config" <<EOC
ListenAddress 127.0.0.43:$PORT
HostKey $D/host_key
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv DOCKER_HOST=unix://$SOCK
EOC
echo "[127.0.0.43]:$PORT $(cut -d' ' -f1,2 "$D/host_key.pub")" >"$D/known_hosts"
sshd_start() {
	/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
	local n=50; while [ $n -gt 0 ] && ! [ -s "$D/sshd.pid" ]; do sleep 0.1; n=$((n-1)); done
	[ -s "$D/sshd.pid" ]
}
check "private sshd started on 127.0.0.43:$PORT" sshd_start

AUDIT=$TMP/audit.log
cat >"$TMP/act.conf" <<EOF
[kitetop]
timeout = 5
audit_log = $AUDIT

[host act]
address = 127.0.0.43
ssh = $(id -un)@127.0.0.43:$PORT
identity_file = $KEY
known_hosts = $D/known_hosts
docker = ssh
docker_socket = $SOCK
EOF
chmod 600 "$TMP/act.conf"

# no --init: a shell as PID 1 gets no TERM it has no handler for, and it sets none
dk run -d --name "$C" --stop-timeout 10 --network host kitestacks/busybox:lab \
	sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null ||
	{ fail "cannot create the test container $C"; exit 1; }
sleep 1.1   # let a restart's StartedAt be plainly later
started() { dk inspect -f '{{.State.StartedAt}}' "$C"; }

# Runs the restart in the background and kills the link 3 s in.
restart_and_cut() { # NAME
	$KT -c "$TMP/act.conf" restart act "$C" --yes >"$TMP/$1.out" 2>"$TMP/$1.err" &
	KPID=$!
	sleep 3
	sshd_kill
}
finish() { # NAME -> rc in $TMP/NAME.rc
	wait "$KPID"; echo $? >"$TMP/$1.rc"; KPID=
}

# A: the link comes back 2 s later
before=$(started)
t0=$(date +%s)
restart_and_cut a
sleep 2
check "A: the sshd is back" sshd_start
finish a
rc=$(cat "$TMP/a.rc")
check "A: exit 0 after $(( $(date +%s) - t0 )) s ($(cat "$TMP/a.out" "$TMP/a.err"))" [ "$rc" = 0 ]
check "A: says it restarted, verified after the link came back" \
	grep -q "act: $C restarted, running since .*(verified after the link came back)" "$TMP/a.out"
check "A: audit: started then ok" \
	eval '[ "$(grep -c "\"result\":\"started\"" "$AUDIT")" = 1 ] && [ "$(grep -c "\"result\":\"ok\"" "$AUDIT")" = 1 ]'
check "A: StartedAt changed ($before -> $(started))" [ "$before" != "$(started)" ]
check "A: never said failed" eval '! grep -q failed "$TMP/a.err" "$AUDIT"'

# B: the link stays down
sleep 1.1
before=$(started)
t0=$(date +%s)
restart_and_cut b
finish b
rc=$(cat "$TMP/b.rc")
check "B: exit 3 after $(( $(date +%s) - t0 )) s ($(cat "$TMP/b.err"))" [ "$rc" = 3 ]
check "B: says unknown and what to check" \
	grep -q "^kitetop: unknown: the link to act died after the restart was sent; check with \`kitetop status\` or docker inspect $C" "$TMP/b.err"
check "B: audit: unknown, not failed" \
	eval '[ "$(grep -c "\"result\":\"unknown\"" "$AUDIT")" = 1 ] && ! grep -q "\"result\":\"failed\"" "$AUDIT"'
# the engine went on with it: give it the rest of the 10 s stop timeout
n=30; while [ $n -gt 0 ] && [ "$before" = "$(started)" ]; do sleep 0.5; n=$((n-1)); done
check "B: the restart did happen (StartedAt $before -> $(started))" [ "$before" != "$(started)" ]

echo "action_unknown_lab: $fails failed"
[ "$fails" -eq 0 ]
