#!/bin/bash
# traffic_unknown_lab.sh — a drain whose SSH link dies after docker stop went out is
# never reported "failed": kitetop reconnects and verifies (the connector stopped, its
# connector gone from the Cloudflare stand-in's connections), or says "unknown" (exit 3,
# audit "unknown", what to check).  And undrain --dry-run of a host that is not drained
# says there is nothing to do.
#
# Everything is private to this test, on 127.0.0.61/62, stopped by pid in a trap:
#   a dockerd (own socket, data-root and exec-root under a temporary directory, vfs
#   storage), with the lab's image kitestacks/busybox:lab imported there from
#   /bin/busybox and tests/lab/image/lab-serve as tests/lab/up makes it;
#   two connectors on it: cf-a (/ready on 127.0.0.61:2000; its PID 1 is a shell that
#   ignores TERM, so a docker stop takes its whole t = 8 s) and cf-b (127.0.0.62:2000);
#   host a = an sshd on 127.0.0.61, host b = an sshd on 127.0.0.62, both with
#   SetEnv DOCKER_HOST = the private dockerd;
#   tests/lab/cloudflare-standin.py on 127.0.0.61, asking the private dockerd.
# The link is cut when the engine reports the stop's TERM (a docker events "kill"
# with signal 15): the request has been sent.  A: the sshd comes back 2 s later:
# exit 0, "verified after the link came back", audit ok.  B: it stays down: exit 3,
# audit unknown, and the engine shows the drain did happen.  C: the link holds but the
# Cloudflare stand-in is stopped at that moment and stays down: the connector's stop is
# verified, its leaving the edge is not: exit 3 after the 60 s wait, audit unknown.
# D: flip b a with a drained, a's link cut when cf-a starts and kept down: exit 3,
# audit unknown, b not drained (a flip never leaves both hosts drained).
# Takes about 2.5 minutes.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
PY=/usr/bin/python3
IMAGE=kitestacks/busybox:lab
ACCOUNT=0123abcd4567ef890123abcd4567ef89
TUNNEL=6ff42ae2-765d-4adf-8112-31c55c1551ef
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# wait_until SECONDS COMMAND...: polls every 0.2 s until COMMAND succeeds
wait_until() {
	local end=$(( $(date +%s) + $1 )); shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}

if [ "$(id -u)" != 0 ] || ! [ -x /usr/sbin/sshd ] || ! command -v dockerd >/dev/null ||
	! command -v docker >/dev/null || ! [ -x /bin/busybox ] || ! [ -x "$PY" ]; then
	echo "PASS: skipped (needs root, /usr/sbin/sshd, dockerd, docker, /bin/busybox, $PY)"; exit 0
fi
[ -x "$KT" ] || { fail "no $KT (make)"; exit 1; }

# short: containerd's sockets under the exec-root must fit a unix socket path
T=$(mktemp -d /tmp/kt-tu.XXXXXX)
chmod 755 "$T"
SOCK=$T/docker.sock
dk() { docker -H "unix://$SOCK" "$@"; }

descendants() { local c; for c in $(ps -o pid= --ppid "$1"); do descendants "$c"; echo "$c"; done; }
sshd_kill() { # NAME: the sshd and every process of its sessions, by pid
	local p pid
	pid=$(cat "$T/$1/sshd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	for p in $(descendants "$pid") "$pid"; do kill -9 "$p" 2>/dev/null; done
	rm -f "$T/$1/sshd.pid"
}
pid_kill() { # PIDFILE: TERM, then KILL after 15 s
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait_until 15 eval "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null
	rm -f "$1"
}
cleanup() {
	[ -n "${KPID:-}" ] && kill "$KPID" 2>/dev/null
	[ -n "${EPID:-}" ] && kill "$EPID" 2>/dev/null
	sshd_kill a; sshd_kill b
	pid_kill "$T/standin.pid"
	if [ -S "$SOCK" ]; then dk rm -f cf-a cf-b >/dev/null 2>&1; fi
	pid_kill "$T/dockerd.pid"
	awk -v r="$T/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

freeport() { "$PY" -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$1"; }

# ---- the private dockerd and its image ----
mkdir -p "$T/data" "$T/exec"
dockerd --host "unix://$SOCK" --data-root "$T/data" --exec-root "$T/exec" \
	--pidfile "$T/dockerd.pid" --iptables=false --ip-forward=false --ip-masq=false \
	--bridge=none --storage-driver vfs --containerd-namespace "kt-tu-$$" \
	--containerd-plugins-namespace "kt-tu-$$-plugins" --cgroup-parent "/kt-tu-$$" \
	--log-level warn >"$T/dockerd.log" 2>&1 &
check "private dockerd answers on $SOCK" wait_until 30 dk version
r=$T/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/www" "$r/usr/local/bin" "$r/root"
cp /bin/busybox "$r/bin/busybox"
"$r/bin/busybox" --install -s "$r/bin"
cp tests/lab/image/lab-serve "$r/usr/local/bin/lab-serve"
echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
tar -C "$r" --numeric-owner --transform "s|^$r/bin/busybox\$|/bin/busybox|" -cf "$T/image.tar" . &&
	dk import -c 'CMD ["/bin/sh"]' "$T/image.tar" "$IMAGE" >/dev/null
check "image $IMAGE imported" eval 'dk image inspect "$IMAGE" >/dev/null'

READY='{"status":200,"readyConnections":4,"connectorId":"{uuid}"}'
# cf-a: PID 1 a shell that ignores TERM (no --init): a stop takes its whole t
dk run -d --name cf-a --network host "$IMAGE" sh -c \
	"trap '' TERM; lab-serve serve 127.0.0.61:2000 /ready '$READY' & while :; do sleep 1; done" >/dev/null
dk run -d --name cf-b --init --network host "$IMAGE" lab-serve serve 127.0.0.62:2000 /ready "$READY" >/dev/null
check "connectors answer /ready on 127.0.0.61:2000 and 127.0.0.62:2000" \
	wait_until 15 eval 'curl -sf http://127.0.0.61:2000/ready && curl -sf http://127.0.0.62:2000/ready'

# ---- the Cloudflare stand-in ----
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/cf.token"; chmod 600 "$T/cf.token"
CFPORT=$(freeport 127.0.0.61)
standin_start() {
	"$PY" -u tests/lab/cloudflare-standin.py --listen "127.0.0.61:$CFPORT" --token-file "$T/cf.token" \
		--account "$ACCOUNT" --tunnel "$TUNNEL" \
		--host "a,127.0.0.61,$SOCK,http://127.0.0.61:2000/ready,cf-a" \
		--host "b,127.0.0.62,$SOCK,http://127.0.0.62:2000/ready,cf-b" >>"$T/standin.log" 2>&1 &
	echo $! >"$T/standin.pid"
}
standin_start
API=http://127.0.0.61:$CFPORT/client/v4/accounts/$ACCOUNT/cfd_tunnel/$TUNNEL/connections
live() { # the number of connectors the stand-in lists with a live connection
	curl -s --max-time 5 -H "Authorization: Bearer $(cat "$T/cf.token")" "$API" |
		"$PY" -c 'import json,sys
print(sum(any(not k["is_pending_reconnect"] for k in c["conns"]) for c in json.load(sys.stdin)["result"]))'
}
check "the stand-in lists both connectors live" wait_until 15 eval '[ "$(live)" = 2 ]'

# ---- two private sshd ----
ssh-keygen -q -t ed25519 -N '' -f "$T/operator" || { fail "ssh-keygen"; exit 1; }
: >"$T/known_hosts"
for h in a b; do
	a=127.0.0.61; [ $h = b ] && a=127.0.0.62
	mkdir -p "$T/$h"; chmod 700 "$T/$h"
	ssh-keygen -q -t ed25519 -N '' -f "$T/$h/host_key"
	cp "$T/operator.pub" "$T/$h/authorized_keys"; chmod 600 "$T/$h/authorized_keys"
	port=$(freeport $a)
	eval "PORT_$h=$port"
	cat >"$T/$h/sshd_config" <<EOC
ListenAddress $a:$port
HostKey $T/$h/host_key
PidFile $T/$h/sshd.pid
AuthorizedKeysFile $T/$h/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
SetEnv DOCKER_HOST=unix://$SOCK SHLVL=1
EOC
	echo "[$a]:$port $(cut -d' ' -f1,2 "$T/$h/host_key.pub")" >>"$T/known_hosts"
done
mkdir -p /run/sshd
sshd_start() { # NAME
	/usr/sbin/sshd -f "$T/$1/sshd_config" -E "$T/$1/sshd.log" && wait_until 5 test -s "$T/$1/sshd.pid"
}
check "private sshd a on 127.0.0.61:$PORT_a" sshd_start a
check "private sshd b on 127.0.0.62:$PORT_b" sshd_start b

AUDIT=$T/audit.log
host_conf() { # NAME ADDR PORT CONTAINER STOP_TIMEOUT
	cat <<EOF

[host $1]
address = $2
ssh = root@$2:$3
identity_file = $T/operator
known_hosts = $T/known_hosts
docker = ssh
docker_socket = $SOCK
tunnel_container = $4
tunnel_ready = http://{address}:2000/ready
tunnel_origin_ip = $2
stop_timeout = $5
EOF
}
{
	printf '[kitetop]\ntimeout = 5\naudit_log = %s\n' "$AUDIT"
	host_conf a 127.0.0.61 "$PORT_a" cf-a 8
	host_conf b 127.0.0.62 "$PORT_b" cf-b 5
	printf '\n[cloudflare]\naccount_id = %s\ntunnel_id = %s\ntoken_file = %s\napi_url = %s\n' \
		"$ACCOUNT" "$TUNNEL" "$T/cf.token" "http://127.0.0.61:$CFPORT/client/v4"
} >"$T/kt.conf"
chmod 600 "$T/kt.conf"
state() { dk inspect -f '{{.State.Status}}' "$1"; }
results() { grep -o '"result":"[a-z]*"' "$AUDIT" 2>/dev/null | cut -d'"' -f4 | tr '\n' ' '; }

# ---- undrain --dry-run of a host that runs: nothing to do ----
"$KT" -c "$T/kt.conf" undrain a --dry-run >"$T/d1.out" 2>"$T/d1.err"; rc=$?
check "undrain a --dry-run while cf-a runs: exit 0, nothing to do ($(cat "$T/d1.out" "$T/d1.err"))" \
	eval '[ $rc = 0 ] && grep -q "^dry run: nothing to do: a is not drained: cf-a runs" "$T/d1.out"'
check "... and it does not say it would start the connector" \
	eval '! grep -Eqi "would undrain|start cf-a" "$T/d1.out"'
check "... nothing audited, cf-a still running" eval '[ ! -s "$AUDIT" ] && [ "$(state cf-a)" = running ]'

# act_and_cut NAME EVENT CUT ARGS...: runs kitetop ARGS in the background and, once the
# engine reports EVENT on cf-a ("kill 15": docker stop's TERM; "start"), cuts the link to
# a (CUT=link: a's sshd killed) or stops the Cloudflare stand-in (CUT=standin).  The
# events are read from a time before kitetop starts: none is missed however late the
# stream subscribes.
act_and_cut() {
	local name=$1 ev=$2 cut=$3 since
	shift 3
	since=$(date +%s.%N)
	# docker itself, not dk: $! must be its pid
	docker -H "unix://$SOCK" events --since "$since" --filter container=cf-a \
		--format '{{.Action}} {{index .Actor.Attributes "signal"}}' >"$T/$name.events" 2>&1 &
	EPID=$!
	"$KT" -c "$T/kt.conf" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	KPID=$!
	if wait_until 30 grep -q "^$ev" "$T/$name.events"; then
		if [ "$cut" = standin ]; then
			pid_kill "$T/standin.pid"
			pass "$name: the Cloudflare stand-in stopped when the engine reported $ev on cf-a"
		else
			sshd_kill a
			pass "$name: the link to a cut when the engine reported $ev on cf-a"
		fi
	else
		fail "$name: the engine never reported $ev on cf-a ($(cat "$T/$name.events" "$T/$name.err"))"
	fi
	kill "$EPID" 2>/dev/null; wait "$EPID" 2>/dev/null; EPID=
}
finish() { # -> $rc
	wait "$KPID"; rc=$?; KPID=
}

# ---- A: the link comes back 2 s later ----
t0=$(date +%s)
act_and_cut A "kill 15" link drain a --yes
sleep 2
check "A: the sshd is back" sshd_start a
finish
check "A: exit 0 after $(( $(date +%s) - t0 )) s ($(cat "$T/A.out" "$T/A.err"))" [ "$rc" = 0 ]
check "A: says a drained, verified after the link came back, its connector without live connection" \
	grep -q "^a drained: cf-a stopped (exit code 137) (verified after the link came back); its connector .* the tunnel's connections" "$T/A.out"
check "A: audit started, ok ($(results))" [ "$(results)" = "started ok " ]
check "A: cf-a exited" [ "$(state cf-a)" = exited ]
check "A: never said failed" eval '! grep -q failed "$T/A.out" "$T/A.err" "$AUDIT"'

# ---- undrain --dry-run of the drained host: would start it ----
"$KT" -c "$T/kt.conf" undrain a --dry-run >"$T/d2.out" 2>"$T/d2.err"; rc=$?
check "undrain a --dry-run while drained: would start cf-a ($(cat "$T/d2.out" "$T/d2.err"))" \
	eval '[ $rc = 0 ] && grep -q "^dry run: would undrain cf-a on a; start cf-a on a (now: DRAINED" "$T/d2.out"'

# ---- undrain a (the link whole) ----
"$KT" -c "$T/kt.conf" undrain a --yes >"$T/u.out" 2>"$T/u.err"; rc=$?
check "undrain a: exit 0 ($(cat "$T/u.out" "$T/u.err"))" eval '[ $rc = 0 ] && grep -q "^a undrained: ready, 4 connections, 4 at the edge, listed by the API as connector .* after [0-9]* s; cf-a started, running since" "$T/u.out"'
check "both connectors live again" wait_until 30 eval '[ "$(live)" = 2 ]'

# ---- B: the link stays down ----
: >"$AUDIT"
t0=$(date +%s)
act_and_cut B "kill 15" link drain a --yes
finish
check "B: exit 3 after $(( $(date +%s) - t0 )) s ($(cat "$T/B.err"))" [ "$rc" = 3 ]
check "B: says unknown and what to check" grep -q "^kitetop: unknown: not known whether a is drained: the link to a died after the stop was sent; check with \`kitetop status\` or docker inspect cf-a" "$T/B.err"
check "B: audit started, unknown ($(results))" [ "$(results)" = "started unknown " ]
check "B: never said failed" eval '! grep -q "\"result\":\"failed\"" "$AUDIT" && ! grep -q "^kitetop: failed" "$T/B.err"'
# the engine went on with it: the answer "failed" would have been a lie
wait_until 15 eval '[ "$(state cf-a)" = exited ] && [ "$(live)" = 1 ]'
check "B: the drain did happen (cf-a $(state cf-a), $(live) connector(s) live)" \
	eval '[ "$(state cf-a)" = exited ] && [ "$(live)" = 1 ]'

# ---- C: the Cloudflare API dies during the drain and stays down ----
check "C: the sshd of a is back" sshd_start a
"$KT" -c "$T/kt.conf" undrain a --yes >"$T/u2.out" 2>"$T/u2.err"; rc=$?
check "C: undrain a first: exit 0 ($(cat "$T/u2.out" "$T/u2.err"))" [ $rc = 0 ]
check "C: both connectors live again" wait_until 30 eval '[ "$(live)" = 2 ]'
: >"$AUDIT"
t0=$(date +%s)
act_and_cut C "kill 15" standin drain a --yes
finish
check "C: exit 3 after $(( $(date +%s) - t0 )) s ($(cat "$T/C.out" "$T/C.err"))" [ "$rc" = 3 ]
check "C: says cf-a stopped, the API did not answer, what to check" \
	grep -q "^kitetop: unknown: not known whether a is drained at the edge: cf-a stopped (exit code 137), but the Cloudflare API did not answer for 60 s (.*); check with: kitetop status" "$T/C.err"
check "C: audit started, unknown ($(results))" [ "$(results)" = "started unknown " ]
check "C: cf-a exited" [ "$(state cf-a)" = exited ]

# ---- D: a flip whose undrain has an unknown outcome does not drain FROM ----
# a is drained (C); flip b a undrains a first: its link is cut when cf-a starts and
# stays down, so a's health cannot be seen and b must keep the traffic.
standin_start
check "D: the stand-in is back, b's connector live" wait_until 15 eval '[ "$(live)" = 1 ]'
check "D: the sshd of a is back" sshd_start a
: >"$AUDIT"
t0=$(date +%s)
act_and_cut D start link flip b a --yes
finish
check "D: exit 3 after $(( $(date +%s) - t0 )) s ($(cat "$T/D.out" "$T/D.err"))" [ "$rc" = 3 ]
check "D: says b was not drained and what is unknown about a" \
	grep -q "^kitetop: unknown: flip: b not drained (the flip stops before its drain); not known whether a is undrained: " "$T/D.err"
check "D: audit started, unknown ($(results))" [ "$(results)" = "started unknown " ]
check "D: b's connector still runs and is live (cf-b $(state cf-b))" \
	eval '[ "$(state cf-b)" = running ] && [ "$(live)" -ge 1 ]'

echo "traffic_unknown_lab: $fails failed"
[ "$fails" -eq 0 ]
