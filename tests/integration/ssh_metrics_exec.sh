#!/bin/bash
# ssh_metrics_exec.sh — a host's figures over SSH cost no new command a refresh: one
# command kept running on the session kitetop already holds answers each refresh.  A private sshd on 127.0.0.111 (KT_SSH_METRICS_ADDR to
# change; started and stopped here, by its pid) runs every command through a wrapper
# that logs it; `kitetop record` polls that host (no Docker, no Prometheus) for 6 s at
# a 1 s refresh.  Then: one login per session (the host's and its lanes) for the whole
# run; the /proc command ran twice in all (the first reading and its baseline for
# rates, one command; then the loop that answers each refresh), and the host's uptime
# in the frames changed about once a refresh (fresh answers, not one kept); every frame
# recorded names the source "ssh" and, once rates exist, has CPU and memory.
# Then the host's login shell cannot run it (a shell that is not POSIX): the error says
# so, and the figures are null, never this machine's.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
ADDR=${KT_SSH_METRICS_ADDR:-127.0.0.111}
TMP=$(mktemp -d)
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

if ! [ -x /usr/sbin/sshd ]; then echo "PASS: skipped (needs /usr/sbin/sshd)"; exit 0; fi
[ -x "$KT" ] || { fail "no $KT (make)"; exit 1; }

D=$TMP/sshd
sshd_kill() {
	local pid
	pid=$(cat "$D/sshd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -f "$D/sshd.pid"
}
trap 'sshd_kill; rm -rf "$TMP"' EXIT
mkdir -p "$D" /run/sshd; chmod 700 "$D"
ssh-keygen -q -t ed25519 -N '' -f "$D/host_key" || { fail "ssh-keygen"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$D/user_key" || { fail "ssh-keygen"; exit 1; }
cp "$D/user_key.pub" "$D/authorized_keys"; chmod 600 "$D/authorized_keys"
# every command through this wrapper: a line a command in exec.log
cat >"$D/wrap" <<EOW
#!/bin/sh
printf '%s\n' "\$SSH_ORIGINAL_COMMAND" | tr '\n' ' ' >>"$D/exec.log"; echo >>"$D/exec.log"
if [ -e "$D/not-posix" ]; then echo "fish: Unsupported use of 'do'."; exit 127; fi
exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOW
chmod 755 "$D/wrap"
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('$ADDR', 0)); print(s.getsockname()[1])")
cat >"$D/sshd_config" <<EOC
ListenAddress $ADDR:$PORT
HostKey $D/host_key
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
ForceCommand $D/wrap
LogLevel VERBOSE
EOC
echo "[$ADDR]:$PORT $(cut -d' ' -f1,2 "$D/host_key.pub")" >"$D/known_hosts"
/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
n=50; while [ $n -gt 0 ] && ! [ -s "$D/sshd.pid" ]; do sleep 0.1; n=$((n-1)); done
check "private sshd started on $ADDR:$PORT" [ -s "$D/sshd.pid" ]

cat >"$TMP/x.conf" <<EOC
[kitetop]
timeout = 5

[host x]
address = $ADDR
ssh = $(id -un)@$ADDR:$PORT
identity_file = $D/user_key
known_hosts = $D/known_hosts
docker = none
EOC

# the frames of a recording: gzip'd lines, a header, then per frame the whole
# document ("key") or its lines as [start, count] of the previous one's and new ones
cat >"$TMP/frames.py" <<'PY'
import gzip, json
def frames(path):
    out, prev = [], []
    for l in gzip.open(path, "rt").read().splitlines()[1:]:
        r = json.loads(l)
        if "key" in r:
            lines = r["key"].split("\n")
        else:
            lines = []
            for d in r["delta"]:
                lines += prev[d[0]:d[0] + d[1]] if isinstance(d, list) else [d]
        prev = lines
        out.append(json.loads("\n".join(lines)))
    return out
PY

t0=$(date +%s.%N)
$KT -c "$TMP/x.conf" --refresh 1 record "$TMP/rec.jsonl" --for 6s >"$TMP/rec.out" 2>&1
t1=$(date +%s.%N)
execs=$(grep -c '@kitetop' "$D/exec.log" 2>/dev/null)
logins=$(grep -c 'Accepted publickey' "$D/sshd.log")
secs=$(python3 -c "print(round($t1 - $t0, 1))")
echo "  ${execs:-0} /proc commands in $secs s at a 1 s refresh, $logins login(s)"
# the session and its lanes (TRANSPORT_SSH_DEFAULT_SESSIONS, 4), once: none a refresh
check "one login per SSH session for the whole run ($logins; at most 4)" [ "${logins:-0}" -ge 1 -a "${logins:-0}" -le 4 ]
check "the /proc command ran twice for the whole run, not a refresh (${execs:-0} in $secs s)" \
	[ "${execs:-0}" -ge 1 -a "${execs:-0}" -le 3 ]
check "the command kept running is the loop, run once" [ "$(grep -c '^while read -r _; do .*@kitetop' "$D/exec.log")" = 1 ]
if python3 - "$TMP/rec.jsonl" "$TMP" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2]); from frames import frames
frames = frames(sys.argv[1])
def hosts(f):
    return f.get("hosts") or []
ms = [h.get("metrics") for f in frames for h in hosts(f) if h.get("name") == "x"]
ms = [m for m in ms if m is not None]
assert ms, "no metrics in the recording"
assert all(m["source"] == "ssh" for m in ms), set(m["source"] for m in ms)
full = [m for m in ms if m["cpu_pct"] is not None and m["mem_pct"] is not None]
assert full, "no frame with CPU and memory"
print("  %d frames with metrics, the last: %s" % (len(ms), json.dumps(ms[-1])))
ups = sorted(set(m["uptime_s"] for m in ms if m["uptime_s"] is not None))
print("  the host's uptime in them: %s" % ups)
assert len(ups) >= 4, "the answers were not fresh each refresh: %s" % ups
PY
then
	pass "the recording's frames name the source ssh, with CPU and memory, fresh each refresh"
else
	fail "the recording"; cat "$TMP/rec.out"
fi

# the session lost mid-run (the sshd's connections killed, the sshd itself kept):
# kitetop connects again and the command kept running is started again, once, its
# answers fresh again within a few refreshes
: >"$D/exec.log"
$KT -c "$TMP/x.conf" --refresh 1 record "$TMP/rec2.jsonl" --for 9s >"$TMP/rec2.out" 2>&1 &
kt=$!
n=60; while [ $n -gt 0 ] && ! grep -q '^while read -r _' "$D/exec.log"; do sleep 0.1; n=$((n-1)); done
sleep 2
for p in $(ps -o pid= --ppid "$(cat "$D/sshd.pid")"); do kill "$p" 2>/dev/null; done
wait $kt
loops=$(grep -c '^while read -r _' "$D/exec.log")
check "the session lost: the command kept running started again once ($loops in all)" [ "$loops" = 2 ]
if python3 - "$TMP/rec2.jsonl" "$TMP" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2]); from frames import frames
frames = frames(sys.argv[1])
ups = []
for f in frames:
    for h in f.get("hosts") or []:
        m = h.get("metrics")
        if h.get("name") == "x" and m and m.get("uptime_s") is not None and m["uptime_s"] not in ups:
            ups.append(m["uptime_s"])
print("  the host's uptime in the frames: %s" % ups)
# fresh before the loss and again after it: at least 6 distinct over 9 s
assert len(ups) >= 6, ups
PY
then
	pass "the session lost: the figures fresh again after it"
else
	fail "the session lost"; cat "$TMP/rec2.out"
fi

touch "$D/not-posix"
$KT -c "$TMP/x.conf" status --json >"$TMP/np.json" 2>/dev/null
if python3 - "$TMP/np.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["hosts"][0]["metrics"]
print("  " + json.dumps(m))
assert m["source"] == "ssh" and m["cpu_pct"] is None and m["mem_pct"] is None
assert "no end marker in the answer (is the login shell POSIX-like?): fish: Unsupported use of 'do'." in m["error"], m["error"]
PY
then
	pass "a login shell that cannot run the command: the error quotes it, no figures"
else
	fail "not-POSIX shell"
fi

echo "ssh_metrics_exec: $fails failed"
[ $fails = 0 ]
