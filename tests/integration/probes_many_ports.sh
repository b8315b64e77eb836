#!/bin/sh
# probes_many_ports.sh — 100 services, each on its own port, probed through one
# host's SSH connection: a private sshd on 127.0.0.51 (started and stopped here
# by its pid) and one server process (tests/support/many_ports_server.py)
# answering HTTP on 100 distinct ports of 127.0.0.51.  Every probe must be ok
# in every round: three `kitetop status --json` in a row, then a recording
# (`kitetop record`) of three rounds in one process, where the connections of
# a round are kept for the next (keep-alive per target through the tunnel).
# The server counts the connections it accepts and the most open at once: each
# is one SSH channel.  Needs /usr/sbin/sshd and python3 (skips without).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
ADDR=127.0.0.51
N=${KT_MANY_PORTS:-100}
TMP=$(mktemp -d)
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
if ! [ -x /usr/sbin/sshd ] || ! command -v python3 >/dev/null || ! command -v ssh-keygen >/dev/null; then
	echo "PASS: skipped (needs /usr/sbin/sshd, ssh-keygen and python3)"; exit 0
fi
sshd_pid= srv_pid= kt_pid=
cleanup() {
	[ -n "$kt_pid" ] && kill "$kt_pid" 2>/dev/null
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	if [ -n "$sshd_pid" ]; then
		# the sshd's sessions (its children), then the sshd, by pid
		for p in $(ps -o pid= --ppid "$sshd_pid"); do kill "$p" 2>/dev/null; done
		kill "$sshd_pid" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
# wait_for SECONDS COMMAND...: until COMMAND succeeds
wait_for() {
	n=$(($1 * 10)); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
free_port() { python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$ADDR"; }

d=$TMP/sshd; mkdir -p "$d"; chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$d/client_key" ||
	{ fail "ssh-keygen"; exit 1; }
cp "$d/client_key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
port=$(free_port)
# OpenSSH's defaults otherwise: MaxSessions 10 (session channels only; a
# direct-tcpip channel is not a session), AllowTcpForwarding yes
cat >"$d/sshd_config" <<EOC
ListenAddress $ADDR:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOC
echo "[$ADDR]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
mkdir -p /run/sshd
/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
if wait_for 5 test -s "$d/sshd.pid"; then sshd_pid=$(cat "$d/sshd.pid"); pass "private sshd on $ADDR:$port"
else fail "private sshd did not start: $(tail -3 "$d/sshd.log")"; exit 1; fi

python3 tests/support/many_ports_server.py "$ADDR" "$N" "$TMP/ports" 2>"$TMP/srv.err" &
srv_pid=$!
if wait_for 10 test -s "$TMP/ports" && [ "$(wc -l <"$TMP/ports")" -eq "$N" ]; then
	pass "one server process listens on $N distinct ports of $ADDR"
else fail "the server did not start: $(cat "$TMP/srv.err")"; exit 1; fi
stats_port=$(head -1 "$TMP/ports")
stats() { curl -s --max-time 5 "http://$ADDR:$stats_port/stats${1:-}"; }

{
	printf '[kitetop]\nrefresh = 2\ntimeout = 5\n'
	printf '[host lab51]\naddress = %s\nssh = root@%s:%s\nidentity_file = %s\nknown_hosts = %s\ndocker = none\n' \
		"$ADDR" "$ADDR" "$port" "$d/client_key" "$d/known_hosts"
	i=0
	while read -r p; do
		i=$((i + 1))
		printf '[service s%03d]\ncontainer = s%03d\nhealth = http://{address}:%s/health\n' "$i" "$i" "$p"
	done <"$TMP/ports"
} >"$TMP/many.conf"
chmod 600 "$TMP/many.conf"

# every probe of the document FILE ok; prints a summary, fails otherwise
check_doc() {
	python3 - "$1" "$N" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
probes = [s["hosts"]["lab51"]["probe"] for s in d["services"]]
bad = [(s["name"], p) for s, p in zip(d["services"], probes) if not (p and p.get("ok"))]
ms = [p["ms"] for p in probes if p and p.get("ms") is not None]
if len(probes) != n or bad:
    print("%d of %d probes not ok, e.g. %s" % (len(bad), len(probes), bad[:3]))
    sys.exit(1)
print("all %d probes ok (slowest %d ms)" % (n, max(ms)))
PY
}

# 1. three one-shot rounds
for r in 1 2 3; do
	stats '?reset' >/dev/null
	t0=$(date +%s%N)
	"$KT" -c "$TMP/many.conf" status --json >"$TMP/s$r.json" 2>"$TMP/s$r.err"
	t1=$(date +%s%N)
	if out=$(check_doc "$TMP/s$r.json"); then
		pass "status --json round $r: $out, $(( (t1 - t0) / 1000000 )) ms in all; server: $(stats)"
	else
		fail "status --json round $r: $out"
	fi
	if grep -q "too many tunnels" "$TMP/s$r.json" "$TMP/s$r.err"; then
		fail "round $r says too many tunnels: $(grep -o 'too many tunnels[^"]*' "$TMP/s$r.json" | head -1)"
	fi
done

[ "$fails" -eq 0 ]
