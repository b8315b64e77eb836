#!/bin/bash
# actions_lab.sh — `kitetop restart|stop|start HOST CONTAINER` against the lab's monk,
# over SSH, on a container of this test's own (kt-actions-PID, busybox sleep, removed at
# the end; the lab's own containers are never touched): restart changes StartedAt, stop
# and start change the state, a container that dies at once fails the start's check,
# --dry-run changes nothing, read-only refuses every verb (exit 1), no terminal without
# --yes refuses, an unknown host or container fails, an unwritable audit log refuses
# (the container untouched), every attempt is in the audit log (0600), and a host whose
# SSH is down (refused, or a listener that never speaks) fails with a clear error within
# the timeout.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
SOCK=/run/kitetop-lab/monk/docker.sock
TMP=$(mktemp -d)
C=kt-actions-$$
CRASH=kt-actions-crash-$$
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
dk() { docker -H "unix://$SOCK" "$@"; }
cleanup() {
	dk rm -f "$C" "$CRASH" "kt-actions-slow-$$" >/dev/null 2>&1
	[ -n "${LPID:-}" ] && kill "$LPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if [ "${KT_LAB_UP:-}" = 0 ] || ! dk version >/dev/null 2>&1; then
	echo "SKIP: the lab is not up (make lab)"; exit 0
fi
[ -x "$KT" ] || { fail "no ./kitetop (make)"; exit 1; }

AUDIT=$TMP/state/kitetop/audit.log
conf() { # FILE SSH [EXTRA]
	cat >"$1" <<EOF
[kitetop]
timeout = ${TIMEOUT:-5}
audit_log = ${AUDIT_PATH:-$AUDIT}
${3:-}

[host monk]
address = 127.0.0.2
ssh = $2
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = /run/kitetop-lab/known_hosts
docker = ssh
docker_socket = $SOCK
EOF
}
conf "$TMP/lab.conf" root@127.0.0.2:22
started() { dk inspect -f '{{.State.StartedAt}}' "$1"; }
state() { dk inspect -f '{{.State.Status}}' "$1"; }
lines() { [ -f "$AUDIT" ] && wc -l <"$AUDIT" || echo 0; }

dk run -d --name "$C" --init --network host kitestacks/busybox:lab sleep 100000 >/dev/null ||
	{ fail "cannot create the test container $C"; exit 1; }
sleep 1.1   # StartedAt has nanoseconds, but let a restart be seen as later anyway

# restart: StartedAt changes, the audit log has "started" and "ok"
before=$(started "$C")
out=$($KT -c "$TMP/lab.conf" restart monk "$C" --yes 2>"$TMP/err"); rc=$?
check "restart: exit 0" [ "$rc" = 0 ]
check "restart: says so ($out)" grep -q "^monk: $C restarted, running since" <<<"$out"
check "restart: StartedAt changed ($before -> $(started "$C"))" [ "$before" != "$(started "$C")" ]
check "restart: still running" [ "$(state "$C")" = running ]
check "restart: stderr quiet (not a terminal)" [ ! -s "$TMP/err" ]
check "audit log: file mode 0600" [ "$(stat -c %a "$AUDIT")" = 600 ]
check "audit log: directory mode 0700" [ "$(stat -c %a "$(dirname "$AUDIT")")" = 700 ]

# stop, then start
out=$($KT -c "$TMP/lab.conf" stop monk "$C" -y); rc=$?
check "stop: exit 0 ($out)" [ "$rc" = 0 ]
check "stop: the container exited" [ "$(state "$C")" = exited ]
out=$($KT -c "$TMP/lab.conf" stop monk "$C" -y); rc=$?
check "stop again: exit 0, already stopped ($out)" eval '[ "$rc" = 0 ] && grep -q "already stopped" <<<"$out"'
out=$($KT -c "$TMP/lab.conf" start monk "$C" -y); rc=$?
check "start: exit 0 ($out)" [ "$rc" = 0 ]
check "start: the container runs" [ "$(state "$C")" = running ]

# a container that dies at once: the start's check fails
dk create --name "$CRASH" --init --network host kitestacks/busybox:lab sh -c 'sleep 0.3; exit 3' >/dev/null
$KT -c "$TMP/lab.conf" start monk "$CRASH" --yes >/dev/null 2>"$TMP/err"; rc=$?
check "start of a container that exits at once: exit 1" [ "$rc" = 1 ]
check "  with the reason ($(cat "$TMP/err"))" grep -q "exited at once (exit code 3)" "$TMP/err"

# --dry-run: says what it would do, changes nothing, writes nothing
n=$(lines); before=$(started "$C")
out=$($KT -c "$TMP/lab.conf" restart monk "$C" --dry-run); rc=$?
check "dry run: exit 0 ($out)" [ "$rc" = 0 ]
check "dry run: says what it would do" grep -q "dry run: would restart $C on monk; $C is running" <<<"$out"
check "dry run: StartedAt unchanged" [ "$before" = "$(started "$C")" ]
check "dry run: no audit line" [ "$(lines)" = "$n" ]

# read-only (flag and configuration): every verb refused, exit 1, nothing changed
for v in restart stop start; do
	$KT -c "$TMP/lab.conf" --read-only "$v" monk "$C" --yes >/dev/null 2>"$TMP/err"; rc=$?
	check "--read-only $v: exit 1, 'refused: read-only'" eval '[ "$rc" = 1 ] && grep -qx "kitetop: refused: read-only" "$TMP/err"'
done
conf "$TMP/ro.conf" root@127.0.0.2:22 "read_only = yes"
$KT -c "$TMP/ro.conf" restart monk "$C" </dev/null >/dev/null 2>"$TMP/err"; rc=$?
check "read_only = yes: refused without asking, exit 1" eval '[ "$rc" = 1 ] && grep -qx "kitetop: refused: read-only" "$TMP/err"'
check "read-only: StartedAt unchanged, still running" eval '[ "$before" = "$(started "$C")" ] && [ "$(state "$C")" = running ]'

# no terminal, no --yes: refused with the reason
$KT -c "$TMP/lab.conf" restart monk "$C" </dev/null >/dev/null 2>"$TMP/err"; rc=$?
check "no terminal, no --yes: exit 1 ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && grep -q "no terminal to ask on (give --yes)" "$TMP/err"'
check "  and nothing done" [ "$before" = "$(started "$C")" ]

# unknown host, unknown container
$KT -c "$TMP/lab.conf" restart nohost "$C" --yes >/dev/null 2>"$TMP/err"; rc=$?
check "unknown host: exit 1 ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && grep -q "no host .nohost." "$TMP/err"'
$KT -c "$TMP/lab.conf" restart monk kt-no-such-container --yes >/dev/null 2>"$TMP/err"; rc=$?
check "unknown container: exit 1 ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && grep -q "failed: monk: docker: no such container kt-no-such-container" "$TMP/err"'

# an audit log that cannot be written refuses the action before it touches anything
touch "$TMP/afile"
AUDIT_PATH=$TMP/afile/audit.log conf "$TMP/noaudit.conf" root@127.0.0.2:22
$KT -c "$TMP/noaudit.conf" restart monk "$C" --yes >/dev/null 2>"$TMP/err"; rc=$?
check "unwritable audit log: exit 1 ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && grep -q "refused: cannot open the audit log" "$TMP/err"'
check "  and the container was not restarted" [ "$before" = "$(started "$C")" ]

# SSH down: a refused port, and a listener that never speaks SSH
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.20",0)); print(s.getsockname()[1])')
TIMEOUT=2 conf "$TMP/down.conf" "root@127.0.0.20:$port"
t0=$(date +%s%N)
$KT -c "$TMP/down.conf" restart monk "$C" --yes >/dev/null 2>"$TMP/err"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "SSH refused: exit 1 in ${ms} ms ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && [ "$ms" -lt 4000 ]'
check "  says it cannot reach monk over SSH" grep -q "failed: cannot reach monk over SSH" "$TMP/err"
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.20",0)); s.listen(8)
print(s.getsockname()[1], flush=True); time.sleep(120)' >"$TMP/port" &
LPID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
TIMEOUT=2 conf "$TMP/mute.conf" "root@127.0.0.20:$(cat "$TMP/port")"
t0=$(date +%s%N)
$KT -c "$TMP/mute.conf" restart monk "$C" --yes >/dev/null 2>"$TMP/err"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "SSH silent: exit 1 within the timeout (2 s + 1 s) in ${ms} ms ($(cat "$TMP/err"))" eval '[ "$rc" = 1 ] && [ "$ms" -lt 5000 ]'
check "  says it cannot reach monk over SSH" grep -q "failed: cannot reach monk over SSH" "$TMP/err"
kill "$LPID" 2>/dev/null; LPID=

# a signal while the action runs: cancelled, audited as failed, not left "started"
SLOW=kt-actions-slow-$$
dk run -d --name "$SLOW" --network host kitestacks/busybox:lab sleep 100000 >/dev/null   # no --init: TERM ignored, stop waits 10 s
$KT -c "$TMP/lab.conf" stop monk "$SLOW" --yes >/dev/null 2>"$TMP/err" &
kpid=$!
sleep 2
t0=$(date +%s%N)
kill -TERM "$kpid"; wait "$kpid"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "TERM during a stop: exit 143 in ${ms} ms ($(cat "$TMP/err"))" eval '[ "$rc" = 143 ] && [ "$ms" -lt 2000 ] && grep -q "interrupted: stop $SLOW cancelled" "$TMP/err"'
check "  the last audit line: that stop failed, cancelled" eval 'tail -1 "$AUDIT" | grep -q "\"target\":\"$SLOW\",\"action\":\"stop\",\"forced\":false,\"result\":\"failed\",\"error\":\"monk: docker: cancelled\""'
dk rm -f "$SLOW" >/dev/null 2>&1

# the audit log: every attempt, as JSON lines
python3 - "$AUDIT" "$C" "$CRASH" >"$TMP/audit.txt" 2>&1 <<'PY'
import json, sys
path, c, crash = sys.argv[1:4]
rows = [json.loads(l) for l in open(path)]
keys = ["time", "id", "user", "hostname", "host", "target", "action", "forced", "result", "error", "duration_ms"]
assert all(list(r.keys()) == keys for r in rows), "fields"
got = [(r["action"], r["target"], r["result"]) for r in rows]
want = [("restart", c, "started"), ("restart", c, "ok"),
        ("stop", c, "started"), ("stop", c, "ok"), ("stop", c, "started"), ("stop", c, "ok"),
        ("start", c, "started"), ("start", c, "ok"),
        ("start", crash, "started"), ("start", crash, "failed"),
        ("restart", c, "refused"), ("stop", c, "refused"), ("start", c, "refused"),
        ("restart", c, "refused"),
        ("restart", "kt-no-such-container", "failed"),
        ("restart", c, "failed"), ("restart", c, "failed"),
        ("stop", "kt-actions-slow-" + c.rsplit("-", 1)[1], "started"),
        ("stop", "kt-actions-slow-" + c.rsplit("-", 1)[1], "failed")]
assert got == want, "got %s" % got
assert all(r["host"] == "monk" and r["forced"] is False for r in rows)
assert all(r["id"] == rows[i - 1]["id"] for i, r in enumerate(rows) if r["result"] in ("ok",) )
assert rows[9]["error"].endswith("exited at once (exit code 3)")
assert rows[10]["error"] == "read-only"
assert "cannot reach monk over SSH" in rows[15]["error"]
assert rows[1]["duration_ms"] > 0
print("ok", len(rows), "lines")
PY
check "audit log: every attempt in order, started/outcome pairs share an id ($(tail -1 "$TMP/audit.txt"))" grep -q "^ok" "$TMP/audit.txt"

dk rm -f "$C" "$CRASH" >/dev/null 2>&1
check "the test containers are gone" sh -c "! docker -H unix://$SOCK inspect $C >/dev/null 2>&1"
echo "actions_lab: $fails failed"
[ "$fails" -eq 0 ]
