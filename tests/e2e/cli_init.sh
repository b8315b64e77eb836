#!/bin/sh
# `kitetop init` against the two-host lab (read only), as a newcomer with a
# working `ssh monk` uses it: a scratch HOME whose ~/.ssh/config names the lab's
# hosts (with the lab's key and known_hosts), a scratch XDG_CONFIG_HOME.
#   - init --stdout 127.0.0.2 127.0.0.3: a configuration that loads, both hosts
#     reached, Docker's version and the containers found, progress on stderr;
#   - init (hosts from ~/.ssh/config, the pattern skipped) writes the XDG file,
#     and kitetop started with no -c shows both hosts in the dashboard;
#   - init again refuses to overwrite it (exit 1, file unchanged);
#   - a host with nothing listening (127.0.0.121) and one that accepts and
#     never speaks SSH (127.0.0.122, a private listener) are reported with
#     their reason and a fix, probed in parallel with the others, each within
#     its timeout.
# Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
KT=$(cd "$(dirname "$KT")" && pwd)/$(basename "$KT")
home=$E2E_TMP/home
xdg=$E2E_TMP/config
mkdir -p "$home/.ssh"
cat >"$home/.ssh/config" <<'EOF'
Host monk
	HostName 127.0.0.2
Host kscloud1
	HostName 127.0.0.3
Host *
	User root
	IdentityFile /run/kitetop-lab/operator_ed25519
	IdentitiesOnly yes
	UserKnownHostsFile /run/kitetop-lab/known_hosts
EOF
chmod 600 "$home/.ssh/config"
kt() { HOME=$home XDG_CONFIG_HOME=$xdg "$KT" "$@"; }

# --- init --stdout with two hosts
kt init --stdout 127.0.0.2 127.0.0.3 >"$E2E_TMP/two.conf" 2>"$E2E_TMP/two.err"
rc=$?
check "init --stdout: exit 0" [ "$rc" -eq 0 ]
check "init --stdout: both hosts in the configuration" \
	sh -c "grep -qx '\[host 127.0.0.2\]' $E2E_TMP/two.conf && grep -qx '\[host 127.0.0.3\]' $E2E_TMP/two.conf"
check "init --stdout: the report on stderr: reachable, Docker's version, the containers" \
	grep -Eq '^127\.0\.0\.2: reachable \([0-9.]+ s\), Docker 20\.[0-9.]+\+?[a-z0-9]*, 1[0-9] containers; found cloudflared, authentik$' "$E2E_TMP/two.err"
check "init --stdout: progress on stderr" grep -Eq '^kitetop init: \[2/2\] 127\.0\.0\.[23]: reachable' "$E2E_TMP/two.err"
check "init --stdout: the services found, by container" \
	sh -c "grep -A1 -x '\[service cloudflared\]' $E2E_TMP/two.conf | grep -qx 'container = cloudflared'"
check "init --stdout: nothing written to the XDG path" [ ! -e "$xdg/kitetop/kitetop.conf" ]
kt -c "$E2E_TMP/two.conf" status --json >"$E2E_TMP/two.json" 2>"$E2E_TMP/two.status.err"
check "the configuration printed loads: status --json reaches both hosts" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/two.json'))
hs = {h['name']: h for h in d['hosts']}
assert set(hs) == {'127.0.0.2', '127.0.0.3'}, hs.keys()
assert all(h['reachable'] for h in hs.values()), hs
"

# --- init with the hosts of ~/.ssh/config, written to the XDG path
kt init >"$E2E_TMP/write.out" 2>"$E2E_TMP/write.err"
rc=$?
conf=$xdg/kitetop/kitetop.conf
check "init: exit 0" [ "$rc" -eq 0 ]
check "init: says where it wrote" grep -qF "wrote $conf" "$E2E_TMP/write.out"
check "init: the Host entries of ~/.ssh/config, the pattern skipped" \
	sh -c "grep -qx '\[host monk\]' $conf && grep -qx '\[host kscloud1\]' $conf && [ \$(grep -c '^\[host ' $conf) -eq 2 ]"
check "init: ssh = the alias, address = its HostName" \
	sh -c "grep -A2 -x '\[host monk\]' $conf | grep -qx 'ssh = monk' && grep -A2 -x '\[host monk\]' $conf | grep -qx 'address = 127.0.0.2'"
check "init: the report on stdout" grep -Eq '^kscloud1: reachable .*Docker 20\.' "$E2E_TMP/write.out"
sum=$(cksum <"$conf")

# --- the dashboard with the configuration written (no -c: the XDG path)
e2e_start dash 160 40 "HOME=$home XDG_CONFIG_HOME=$xdg $KT; echo rc=\$? >$E2E_TMP/dash.rc"
check "dashboard: both hosts, each with its ssh round trip" wait_re dash 'monk.*ssh [0-9]+ ms.*kscloud1.*ssh [0-9]+ ms' 15
check "dashboard: their containers listed" wait_for dash "kitestacks-metrics-api" 10
check "dashboard: CPU of both hosts, read over SSH (init writes no prom_selector)" \
	wait_re dash 'CPU .*[0-9]+(\.[0-9])?%.*CPU .*[0-9]+(\.[0-9])?%' 15
check "dashboard: MEM of both hosts, read over SSH" wait_re dash 'MEM .*[0-9]+(\.[0-9])?%.*MEM .*[0-9]+(\.[0-9])?%' 5
tm send-keys -t dash q
n=100; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/dash.rc" ]; do sleep 0.05; n=$((n-1)); done
check "dashboard: q quits with status 0" grep -qx "rc=0" "$E2E_TMP/dash.rc"

# --- never overwrites
kt init >"$E2E_TMP/again.out" 2>"$E2E_TMP/again.err"
rc=$?
check "init again: exit 1" [ "$rc" -eq 1 ]
check "init again: says the file exists and is never overwritten" \
	grep -qF "$conf already exists; init never overwrites a configuration" "$E2E_TMP/again.err"
check "init again: the file is unchanged" [ "$(cksum <"$conf")" = "$sum" ]

# --- hosts that do not answer: reported with their reason, bounded, in parallel
python3 -c '
import os, socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.122", 22)); s.listen(8)
open(sys.argv[1], "w").write(str(os.getpid()))
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(end - time.time())
    try:
        conns.append(s.accept()[0])   # accepted, never a word of SSH
    except socket.timeout:
        break
' "$E2E_TMP/silent.pid" &
n=100; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/silent.pid" ]; do sleep 0.05; n=$((n-1)); done
silent_pid=$(cat "$E2E_TMP/silent.pid" 2>/dev/null)
trap '[ -n "$silent_pid" ] && kill "$silent_pid" 2>/dev/null' EXIT
t0=$(date +%s)
kt init --stdout 127.0.0.121 127.0.0.122 monk >"$E2E_TMP/bad.conf" 2>"$E2E_TMP/bad.err"
rc=$?
t1=$(date +%s)
check "unreachable: init still writes (exit 0)" [ "$rc" -eq 0 ]
check "unreachable: nothing listening, the reason" \
	grep -qx '127.0.0.121: NOT reachable: ssh: cannot connect to 127.0.0.121 port 22: Connection refused' "$E2E_TMP/bad.err"
check "unreachable: nothing listening, the fix" \
	grep -qx '    fix: is sshd running on 127.0.0.121, on that port? `ssh 127.0.0.121` must work first' "$E2E_TMP/bad.err"
check "unreachable: a silent listener, the reason" \
	grep -Eq '^127\.0\.0\.122: NOT reachable: ssh: 127\.0\.0\.122 port 22 accepted the connection but did not complete' "$E2E_TMP/bad.err"
check "unreachable: the reachable host still reported" grep -Eq '^monk: reachable' "$E2E_TMP/bad.err"
check "unreachable: the total" grep -qx '1 of 3 hosts reachable, 1 with Docker' "$E2E_TMP/bad.err"
check "unreachable: in the configuration, with the reason, as a comment" \
	grep -qx '; 127.0.0.121: NOT reachable: ssh: cannot connect to 127.0.0.121 port 22: Connection refused' "$E2E_TMP/bad.conf"
check "unreachable: bounded by the probe's timeout, probed in parallel (took $((t1 - t0)) s)" \
	[ $((t1 - t0)) -le 12 ]

# --- the error log: --log FILE with status, log = yes with the dashboard
kt -c "$E2E_TMP/bad.conf" --log "$E2E_TMP/status.log" status >/dev/null 2>&1
check "--log FILE: status logs the unreachable host's error in full, with its time" \
	grep -Eq '^20[0-9-]+T[0-9:.]+Z 127\.0\.0\.121 ssh: error: ssh: cannot connect to 127\.0\.0\.121 port 22: Connection refused$' "$E2E_TMP/status.log"
sed 's/^; log = yes$/log = yes/' "$E2E_TMP/bad.conf" >"$E2E_TMP/logged.conf"
log=$XDG_STATE_HOME/kitetop/kitetop.log
e2e_start logged 160 40 "HOME=$home $KT -c $E2E_TMP/logged.conf --refresh 0.5; echo rc=\$? >$E2E_TMP/logged.rc"
wait_log() { # PATTERN SECONDS
	n=$(( $2 * 20 ))
	while [ $n -gt 0 ]; do grep -Eq -- "$1" "$log" 2>/dev/null && return 0; sleep 0.05; n=$((n - 1)); done
	return 1
}
check "log = yes: the dashboard logs to \$XDG_STATE_HOME/kitetop/kitetop.log" \
	wait_log ' 127\.0\.0\.121 ssh: error: ssh: cannot connect to 127\.0\.0\.121 port 22: Connection refused$' 10
# the silent host's handshake times out after 8 s, while 127.0.0.121 is retried (1, 2, 4 s)
check "log = yes: the silent host's timeout logged too" wait_log ' 127\.0\.0\.122 ssh: error: ' 20
check "log = yes: one line for 127.0.0.121 across its retries, not one per refresh" \
	[ "$(grep -c ' 127\.0\.0\.121 ssh: ' "$log")" -eq 1 ]
tm send-keys -t logged q
n=100; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/logged.rc" ]; do sleep 0.05; n=$((n-1)); done
check "log = yes: q quits with status 0" grep -qx "rc=0" "$E2E_TMP/logged.rc"
kill "$silent_pid" 2>/dev/null
e2e_finish
