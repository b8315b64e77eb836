#!/bin/sh
# jump_lab.sh — hosts behind jump hosts (ProxyJump, and kitetop's own jump =).
# tests/integration/jump-lab starts a target sshd (127.0.0.102) and a second
# jump host (127.0.0.103) in a private network namespace that only the first
# jump host (127.0.0.101) reaches; the target's sessions use monk's Docker
# engine (read-only: `kitetop status` lists its containers).  Checked:
#   - direct, the target is refused; through the jump host it is reachable and
#     its containers are listed (kitetop's jump =, and ~/.ssh/config's
#     ProxyJump through aliases); jump = none ignores ProxyJump;
#   - a chain of two (the second hop reachable only through the first);
#   - a wrong host key on a jump host (first or second hop), a key the jump
#     host refuses, a target the jump host cannot reach, the jump host down:
#     each refused, unreachable, with the hop named.
# Every daemon is ours, stopped by pid in the trap.  Needs root,
# openssh-server, util-linux, iproute2, the lab's operator key and monk's
# engine (skips without).
cd "$(dirname "$0")/../.." || exit 1
key=/run/kitetop-lab/operator_ed25519
sock=/run/kitetop-lab/monk/docker.sock
if [ "$(id -u)" -ne 0 ] || ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -S "$sock" ] ||
	! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
	echo "PASS: skipped (needs root, /usr/sbin/sshd, unshare, ip, $key and monk's engine)"; exit 0
fi
. tests/e2e/e2e-lib
d=$E2E_TMP/jump
trap 'sh tests/integration/jump-lab stop "$d"; rm -rf "$E2E_TMP"' EXIT
if ! sh tests/integration/jump-lab start "$d"; then
	fail "jump-lab start"; e2e_finish; exit 1
fi
pass "jump lab up: target 127.0.0.102 and jump host 127.0.0.103 in a private namespace, jump host 127.0.0.101"

# conf NAME [EXTRA LINES]: a one-host config, the host "inner" = root@127.0.0.102,
# with the identity file $ID and the known_hosts $KH
ID=$key
KH=$d/known_hosts
conf() {
	f=$E2E_TMP/$1.conf
	shift
	{
		printf '[kitetop]\ntimeout = 5\n[host inner]\nssh = root@127.0.0.102\n'
		printf 'identity_file = %s\nknown_hosts = %s\n' "$ID" "$KH"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$f"
	echo "$f"
}
# status CONF: kitetop status's output in $E2E_TMP/out
status() { timeout 60 "$KT" -c "$1" status >"$E2E_TMP/out" 2>&1; }
has() { grep -Fq -- "$1" "$E2E_TMP/out"; }
show() { sed 's/^/    | /' "$E2E_TMP/out" | head -8; }
reachable_with_containers() {
	has "inner (root@127.0.0.102) ssh " && has "portainer" && has "kitestacks-metrics-api" &&
		! has "unreachable"
}

status "$(conf direct)"
check "direct: the target is refused" has "inner: unreachable: ssh: cannot connect to 127.0.0.102 port 22: Connection refused" || show

status "$(conf jump 'jump = root@127.0.0.101')"
check "jump = root@127.0.0.101: reachable, monk's containers listed" reachable_with_containers || show
check "the jump host saw kitetop sign in" grep -q "Accepted publickey for root" "$d/j1.log"

n2=$(grep -c "Accepted publickey" "$d/j2.log")
status "$(conf chain 'jump = root@127.0.0.101,ssh://root@127.0.0.103:22')"
check "a chain of two: reachable, containers listed" reachable_with_containers || show
check "the second jump host (reached only through the first) saw kitetop sign in" \
	test "$(grep -c "Accepted publickey" "$d/j2.log")" -gt "$n2"

# ~/.ssh/config: aliases, ProxyJump through an alias, a chain mixing both
mkdir -p "$E2E_TMP/home/.ssh"
cat >"$E2E_TMP/home/.ssh/config" <<EOC
Host inner
  HostName 127.0.0.102
  ProxyJump bastion
Host inner2
  HostName 127.0.0.102
  ProxyJump bastion,root@127.0.0.103
Host plain
  HostName 127.0.0.102
  ProxyJump none
Host bastion
  HostName 127.0.0.101
Host *
  User root
  IdentityFile $key
  UserKnownHostsFile $d/known_hosts
EOC
hconf() { # hconf NAME TARGET [EXTRA]
	printf '[kitetop]\ntimeout = 5\n[host inner]\nssh = %s\n%s\n' "$2" "${3:-}" >"$E2E_TMP/$1.conf"
	echo "$E2E_TMP/$1.conf"
}
hstatus() { HOME=$E2E_TMP/home timeout 60 "$KT" -c "$1" status >"$E2E_TMP/out" 2>&1; }
reachable_alias() { has "inner (inner) ssh " && has "portainer" && ! has "unreachable"; }
hstatus "$(hconf alias inner)"
check "~/.ssh/config: ProxyJump bastion (an alias): reachable, containers listed" reachable_alias || show
hstatus "$(hconf alias2 inner2)"
check "~/.ssh/config: ProxyJump bastion,root@127.0.0.103: reachable" \
	sh -c 'grep -Fq "inner (inner2) ssh " "$1" && grep -Fq portainer "$1"' sh "$E2E_TMP/out" || show
hstatus "$(hconf plain plain)"
check "~/.ssh/config: ProxyJump none: a direct connection (refused)" \
	has "ssh: cannot connect to 127.0.0.102 port 22: Connection refused" || show
hstatus "$(hconf none inner 'jump = none')"
check "jump = none overrides ProxyJump: a direct connection (refused)" \
	has "ssh: cannot connect to 127.0.0.102 port 22: Connection refused" || show

# a wrong host key for the first hop, then for the second
awk -v k="$(cut -d' ' -f1,2 "$d/target_key.pub")" '$1 == "127.0.0.101" { print $1, k; next } { print }' \
	"$d/known_hosts" >"$E2E_TMP/kh_bad1"
awk -v k="$(cut -d' ' -f1,2 "$d/target_key.pub")" '$1 == "127.0.0.103" { print $1, k; next } { print }' \
	"$d/known_hosts" >"$E2E_TMP/kh_bad2"
KH=$E2E_TMP/kh_bad1
status "$(conf bad1 'jump = root@127.0.0.101')"
check "a wrong host key on the jump host: refused, the hop named" \
	has "inner: unreachable: ssh: jump host 127.0.0.101 (127.0.0.101:22): host key mismatch for 127.0.0.101" || show
KH=$E2E_TMP/kh_bad2
status "$(conf bad2 'jump = root@127.0.0.101,root@127.0.0.103')"
check "a wrong host key on the second jump host: refused, that hop named" \
	has "inner: unreachable: ssh: jump host 127.0.0.103 (127.0.0.103:22): host key mismatch for 127.0.0.103" || show

# a key that no host accepts: the jump host refuses it first
KH=$d/known_hosts
ssh-keygen -q -t ed25519 -N '' -f "$E2E_TMP/stranger"
ID=$E2E_TMP/stranger
status "$(conf stranger 'jump = root@127.0.0.101')"
ID=$key
check "a key the jump host refuses: authentication fails there, the hop named" \
	has "inner: unreachable: ssh: jump host 127.0.0.101 (127.0.0.101:22): 127.0.0.101 refused every key offered for user root" || show

# a target that the jump host cannot reach (nothing on 127.0.0.104 in there)
sed 's/^ssh = .*/ssh = root@127.0.0.104/' "$(conf far 'jump = root@127.0.0.101')" >"$E2E_TMP/far2.conf"
status "$E2E_TMP/far2.conf"
check "a target the jump host cannot reach: named, with the jump host's refusal" \
	has "ssh: jump host 127.0.0.101 (127.0.0.101:22): cannot reach 127.0.0.104 port 22 from there" || show

# the jump host down
sh tests/integration/jump-lab jump-stop "$d"
status "$(conf jump 'jump = root@127.0.0.101')"
check "the jump host down: unreachable, the hop named" \
	has "inner: unreachable: ssh: jump host 127.0.0.101 (127.0.0.101:22): cannot connect to 127.0.0.101 port 22: Connection refused" || show
sh tests/integration/jump-lab jump-start "$d"
status "$(conf jump 'jump = root@127.0.0.101')"
check "the jump host back: reachable again" reachable_with_containers || show

echo "e2e $(basename "$0"): $passes passed, $fails failed"
[ "$fails" -eq 0 ]
