#!/bin/bash
# ssh_rtt.sh — the SSH round trip is the same thing in `kitetop status` and
# in the dashboard: a request answered on the session (the keepalive), not
# the opening of a channel (which on OpenSSH takes 40-60 ms while the round
# trip on loopback is about 1 ms).  Against a private sshd on 127.0.0.151
# with nothing else on its session: status --json's ssh_rtt_ms three times
# and the dashboard's "ssh N ms", each under 10 ms.  Needs root, sshd and
# the lab's operator key (any ed25519 key would do; that one is at hand).
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
ssh-keygen -y -f /run/kitetop-lab/operator_ed25519 >"$D/authorized_keys"
cat >"$D/sshd_config" <<CONF
ListenAddress 127.0.0.151:2222
HostKey $D/hostkey
PidFile $D/sshd.pid
AuthorizedKeysFile $D/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
UsePAM no
StrictModes no
CONF
/usr/sbin/sshd -f "$D/sshd_config" || { fail "private sshd did not start"; e2e_finish; exit 1; }
n=100; while [ ! -s "$D/sshd.pid" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
SSHD_PID=$(cat "$D/sshd.pid" 2>/dev/null)
echo "[127.0.0.151]:2222 $(cut -d' ' -f1,2 "$D/hostkey.pub")" >"$D/known_hosts"
cat >"$E2E_TMP/rtt.conf" <<CONF
[kitetop]
refresh = 1
[host priv]
address = 127.0.0.151
ssh = root@127.0.0.151:2222
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = $D/known_hosts
docker = none
CONF
for i in 1 2 3; do
	rtt=$(timeout 30 $KT -c "$E2E_TMP/rtt.conf" status --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["hosts"][0]["ssh_rtt_ms"])')
	check "status --json run $i: the round trip on loopback under 10 ms ($rtt ms)" \
		python3 -c "import sys; sys.exit(0 if '$rtt' != 'None' and int('$rtt') < 10 else 1)"
done
e2e_start t 120 30 "$KT -c $E2E_TMP/rtt.conf"
check "the dashboard: the round trip on loopback under 10 ms" wait_re t 'ssh [0-9] ms' 15
e2e_finish
