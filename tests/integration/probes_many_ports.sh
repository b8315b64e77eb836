#!/bin/sh
# kt-lane: beside (private daemons of its own; the lab read only): make test runs it beside the others
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
M=$((N * 3))     # ports in all: the last phase probes them all, over the channel bound
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

python3 tests/support/many_ports_server.py "$ADDR" "$M" "$TMP/ports" 2>"$TMP/srv.err" &
srv_pid=$!
if wait_for 10 test -s "$TMP/ports" && [ "$(wc -l <"$TMP/ports")" -eq "$M" ]; then
	pass "one server process listens on $M distinct ports of $ADDR"
else fail "the server did not start: $(cat "$TMP/srv.err")"; exit 1; fi
stats_port=$(head -1 "$TMP/ports")
stats() { curl -s --max-time 5 "http://$ADDR:$stats_port/stats${1:-}"; }

# make_conf COUNT FILE: a host and COUNT services, each on its own port
make_conf() {
	{
		printf '[kitetop]\nrefresh = 2\ntimeout = 5\n'
		printf '[host lab51]\naddress = %s\nssh = root@%s:%s\nidentity_file = %s\nknown_hosts = %s\ndocker = none\n' \
			"$ADDR" "$ADDR" "$port" "$d/client_key" "$d/known_hosts"
		i=0
		head -n "$1" "$TMP/ports" | while read -r p; do
			i=$((i + 1))
			printf '[service s%03d]\ncontainer = s%03d\nhealth = http://{address}:%s/health\n' "$i" "$i" "$p"
		done
	} >"$2"
	chmod 600 "$2"
}
make_conf "$N" "$TMP/many.conf"
make_conf "$M" "$TMP/more.conf"
# and one whose port nothing listens on: it must fail, in time, alone
printf '[service zdead]\ncontainer = zdead\nhealth = http://{address}:%s/health\n' "$(free_port)" >>"$TMP/more.conf"

# check_doc FILE [COUNT]: every probe of the document ok; prints a summary
check_doc() {
	python3 - "$1" "${2:-$N}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
svcs = [s for s in d["services"] if s["name"] != "zdead"]
dead = [s["hosts"]["lab51"]["probe"] for s in d["services"] if s["name"] == "zdead"]
probes = [s["hosts"]["lab51"]["probe"] for s in svcs]
bad = [(s["name"], p) for s, p in zip(svcs, probes) if not (p and p.get("ok"))]
ms = [p["ms"] for p in probes if p and p.get("ms") is not None]
if len(probes) != n or bad:
    print("%d of %d probes not ok, e.g. %s" % (len(bad), len(probes), bad[:3]))
    sys.exit(1)
extra = ""
if dead:
    # the target down: a failure in words, within the timeout (5 s)
    p = dead[0]
    if p is None or p["ok"] or "refused" not in (p["error"] or "") or p["ms"] is None or p["ms"] >= 5000:
        print("the probe of the port nothing listens on: %s" % p)
        sys.exit(1)
    extra = "; the dead port's probe failed in %d ms: %s" % (p["ms"], p["error"])
print("all %d probes ok (slowest %d ms)%s" % (n, max(ms), extra))
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

# 2. rounds in one process, 30 s apart (the probes' interval): `kitetop record`
# for 70 s makes three; every frame after the first round has every probe ok,
# and the connections of the first round serve the next two (keep-alive per
# target through the tunnel: about 100 connections for 300 requests)
stats '?reset' >/dev/null
"$KT" -c "$TMP/many.conf" record "$TMP/rec.gz" --for 70s >"$TMP/rec.out" 2>"$TMP/rec.err"
st=$(stats)
if out=$(python3 - "$TMP/rec.gz" "$N" "$st" <<'PY'
import gzip, json, sys
n = int(sys.argv[2])
st = json.loads(sys.argv[3])
prev, frames, probed, worst = [], 0, 0, 0
with gzip.open(sys.argv[1], "rt") as f:
    lines = f.read().splitlines()
for line in lines[1:]:
    fr = json.loads(line)
    if "key" in fr:
        doc = fr["key"].split("\n")
    else:
        doc = []
        for op in fr["delta"]:
            doc += prev[op[0]:op[0] + op[1]] if isinstance(op, list) else [op]
    prev = doc
    frames += 1
    text = "\n".join(doc)
    assert "too many tunnels" not in text, "frame %d says too many tunnels" % frames
    d = json.loads(text)
    probes = [s["hosts"]["lab51"]["probe"] for s in d["services"]]
    if all(p and p.get("error") == "no answer yet" for p in probes):
        continue   # before the first round
    probed += 1
    bad = [(s["name"], p) for s, p in zip(d["services"], probes) if not (p and p.get("ok"))]
    assert len(probes) == n and not bad, "frame %d: %d probes not ok, e.g. %s" % (frames, len(bad), bad[:3])
    worst = max([worst] + [p["ms"] for p in probes])
rounds = st["requests"] // n
assert rounds >= 3 and st["requests"] == rounds * n, "the server saw %s" % st
# keep-alive: the later rounds reuse the first round's connections
assert st["accepts"] <= n + n // 10, "%d connections for %d rounds: not kept" % (st["accepts"], rounds)
assert st["peak"] <= 128 + 1, st
print("%d frames, %d with probes, all ok (slowest probe %d ms); %d rounds: %d requests "
      "over %d connections, at most %d open at once" % (frames, probed, worst, rounds,
      st["requests"], st["accepts"], st["peak"]))
PY
); then
	pass "record, rounds in one process: $out"
else
	fail "record: $out; $(tail -3 "$TMP/rec.err")"
fi

# 3. three times as many services as that: more than one SSH connection's
# channels (TRANSPORT_SSH_MAX_CHANNELS, 128), over the host's 4 connections
# (TRANSPORT_SSH_DEFAULT_SESSIONS): none fails, and never more open at once
# than those connections carry (the queue behind one connection's 128 is
# itest_ssh_queue's)
stats '?reset' >/dev/null
t0=$(date +%s%N)
"$KT" -c "$TMP/more.conf" status --json >"$TMP/m.json" 2>"$TMP/m.err"
t1=$(date +%s%N)
st=$(stats)
peak=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["peak"])' "$st")
if out=$(check_doc "$TMP/m.json" "$M") && [ "$peak" -le $((4 * 128 + 1)) ]; then
	pass "$M services: $out, $(( (t1 - t0) / 1000000 )) ms in all; at most $peak connections open at once; server: $st"
else
	fail "$M services: $out; server: $st"
fi

[ "$fails" -eq 0 ]
