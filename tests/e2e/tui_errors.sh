#!/bin/bash
# tui_errors.sh — a truncated error can be read whole: Enter on a host with
# no container to show (unreachable) opens its errors in full, wrapped, over
# the overview; Esc goes back.  The overview says the SSH error once (its
# sources' errors that only repeat it are not listed again).  Two hosts: one at 127.0.0.153:22, where
# nothing listens; one a private sshd on 127.0.0.151:2223 whose host key is
# not in known_hosts (a long error with its fix: the key's fingerprint and
# the line to add).  The errors view must hold each error exactly as
# `status --json` gives it, every word, at 70 columns.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
. tests/e2e/e2e-lib
D=$E2E_TMP/sshd
SSHD_PID=
cleanup() {
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	tm kill-server 2>/dev/null
}
trap cleanup EXIT
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || [ ! -r /run/kitetop-lab/operator_ed25519 ]; then
	echo "PASS: skipped (needs root, /usr/sbin/sshd and /run/kitetop-lab/operator_ed25519)"; e2e_finish; exit $?
fi
mkdir -p "$D" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey" >/dev/null
cat >"$D/sshd_config" <<CONF
ListenAddress 127.0.0.151:2223
HostKey $D/hostkey
PidFile $D/sshd.pid
AuthorizedKeysFile none
PasswordAuthentication no
UsePAM no
CONF
/usr/sbin/sshd -f "$D/sshd_config" || { fail "private sshd did not start"; e2e_finish; exit 1; }
n=100; while [ ! -s "$D/sshd.pid" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
SSHD_PID=$(cat "$D/sshd.pid" 2>/dev/null)
: >"$D/known_hosts"
cat >"$E2E_TMP/err.conf" <<CONF
[kitetop]
refresh = 1
timeout = 2
[host gone]
address = 127.0.0.153
ssh = root@127.0.0.153:22
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = $D/known_hosts
docker = none
[host newkey]
address = 127.0.0.151
ssh = root@127.0.0.151:2223
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = $D/known_hosts
docker = none
CONF
timeout 30 $KT -c "$E2E_TMP/err.conf" status --json >"$E2E_TMP/st.json"
python3 -c "
import json
for h in json.load(open('$E2E_TMP/st.json'))['hosts']:
    open('$E2E_TMP/' + h['name'] + '.err', 'w').write(h['error'] or '')"
check "status: newkey's error is long (over 70 characters): $(wc -c <"$E2E_TMP/newkey.err")" \
	[ "$(wc -c <"$E2E_TMP/newkey.err")" -gt 70 ]

# whole NAME: the error of host NAME, every word, in the view's text
whole() {
	tm capture-pane -p -t e >"$E2E_TMP/screen"
	python3 - "$E2E_TMP/$1.err" "$E2E_TMP/screen" <<'PY'
import sys
# every character but the spaces (a word longer than the width is cut)
err = ''.join(open(sys.argv[1]).read().split())
text = ''.join(''.join(l.strip('┃│|') for l in open(sys.argv[2]).read().splitlines()).split())
sys.exit(0 if err and err in text else 1)
PY
}
e2e_start e 70 40 "$KT -c $E2E_TMP/err.conf"
check "both hosts unreachable" wait_re e 'unreachable.*' 10
tm send-keys -t e Enter
check "Enter on gone: its errors open" wait_for e "errors: gone" 5
check "gone's SSH error whole" whole gone
tm send-keys -t e Escape
check "Esc: back to the overview" wait_gone e "errors: gone" 5
tm send-keys -t e Tab
tm send-keys -t e Enter
check "Tab, Enter on newkey: its errors open" wait_for e "errors: newkey" 5
check "newkey's SSH error whole, with its fix" whole newkey
check "the sources that fail with it are named, not repeated" wait_re e '\(.*tailscale: the same error, through this session\)' 3
tm send-keys -t e q
check "q: back to the overview (not quit)" wait_gone e "errors: newkey" 5
check "the dashboard still runs" wait_for e "1 Overview" 3

# one host, Docker over its SSH session, at 100 columns: the overview says
# the session's error once and points at Enter
cat >"$E2E_TMP/one.conf" <<CONF
[kitetop]
refresh = 1
timeout = 2
[host gone]
address = 127.0.0.153
ssh = root@127.0.0.153:22
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = $D/known_hosts
docker = ssh
CONF
e2e_start o 100 20 "$KT -c $E2E_TMP/one.conf"
tm kill-session -t e   # after the next one started: the server stays up
check "the overview points at Enter for the errors in full" wait_for o "(Enter: the errors in full)" 10
check "the overview says gone's SSH error once, not once per source" \
	sh -c "[ \$(tmux -L $E2E_SOCK capture-pane -p -t o | grep -c 'cannot connect to 127.0.0.153') = 1 ]"
e2e_finish
