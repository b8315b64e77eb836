#!/bin/bash
# ssh_resolve_lab.sh — SSH targets resolved as OpenSSH resolves them, checked through
# `kitetop status` against the lab's monk (127.0.0.2; read-only use) and a private
# sshd on 127.0.0.91 (started and stopped here, by its pid):
#   1. HOME is a scratch dir whose ~/.ssh/config Includes config.d/lab, where an alias
#      for monk lives (the fallback parser: $HOME is not the passwd entry's home);
#   2. the same through `ssh -G` (KITETOP_SSH runs ssh with -F on a config whose
#      alias only matches through Match exec, which only ssh evaluates);
#   3. IdentityAgent: a private ssh-agent's socket, SSH_AUTH_SOCK unset, no key file;
#   4. no configuration file: DOCKER_HOST=ssh://root@127.0.0.2, then the current
#      docker context's ssh:// endpoint;
#   5. ProxyCommand: refused with a message that suggests ProxyJump;
#   6. an RSA key against OpenSSH 9.2 (which refuses ssh-rsa signatures): the
#      message names the host, the reason and the fix (an ed25519 key);
#   7. a FIDO key (sk-ssh-ed25519; made up here, no token needed: only its header is
#      read) and a CertificateFile: both said to be beyond libssh2 1.10.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-$PWD/kitetop}
LAB=/run/kitetop-lab
KEY=$LAB/operator_ed25519
ADDR=127.0.0.91
TMP=$(mktemp -d)
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if [ "${KT_LAB_UP:-}" != 1 ] && ! [ -S $LAB/monk/docker.sock ]; then
	echo "PASS: skipped (the lab is not up)"; exit 0
fi
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$KEY" ] || ! command -v ssh-agent >/dev/null; then
	echo "PASS: skipped (needs /usr/sbin/sshd, ssh-agent and $KEY)"; exit 0
fi
[ -x "$KT" ] || { fail "no ./kitetop (make)"; exit 1; }

cleanup() {
	local pid
	for f in "$TMP/sshd/sshd.pid" "$TMP/agent.pid"; do
		pid=$(cat "$f" 2>/dev/null) && [ -n "$pid" ] && kill "$pid" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# A scratch HOME and no kitetop configuration but the one a case writes.
H=$TMP/home
mkdir -p "$H/.ssh/config.d" "$H/.config"; chmod 700 "$H/.ssh"
kt() { # VAR=VALUE... kitetop ARGS: no outside configuration, agent or docker endpoint
	env -u KITETOP_CONFIG -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_CONFIG -u KITETOP_SSH \
		-u SSH_AUTH_SOCK XDG_CONFIG_HOME="$H/.config" "$@"
}

# 1. Include config.d/lab, relative to ~/.ssh, with the alias in it.
cat >"$H/.ssh/config" <<EOF
Include config.d/lab
Host *
  ServerAliveInterval 5
EOF
cat >"$H/.ssh/config.d/lab" <<EOF
Host labmonk
  HostName 127.0.0.2
  User root
  IdentityFile $KEY
  UserKnownHostsFile $LAB/known_hosts
EOF
printf '[host monk]\nssh = labmonk\n' >"$TMP/alias.conf"
kt HOME="$H" "$KT" -c "$TMP/alias.conf" status >"$TMP/1.out" 2>&1
if grep -Eq '^monk \(labmonk\) ssh [0-9]+ ms' "$TMP/1.out" && grep -q 'running' "$TMP/1.out"; then
	pass "an alias from an Included ~/.ssh/config.d/lab reaches monk: $(head -3 "$TMP/1.out" | tail -1)"
else
	fail "the Included alias"; cat "$TMP/1.out"
fi

# 2. The same resolved by ssh -G: HOME is the passwd entry's home (ssh's), and ssh is
# given -F on a scratch config; only Match exec (never matched by kitetop's own
# parser) gives the alias its HostName, so reaching monk proves ssh -G answered.
PWHOME=$(getent passwd "$(id -u)" | cut -d: -f6)
cat >"$TMP/g.config" <<EOF
Include $TMP/g.d/*
Match originalhost gmonk exec "true"
  HostName 127.0.0.2
EOF
mkdir -p "$TMP/g.d"
printf 'Host gmonk\n  User root\n  IdentityFile %s\n  UserKnownHostsFile %s\n' "$KEY" \
	"$LAB/known_hosts" >"$TMP/g.d/lab"
printf '#!/bin/sh\nexec ssh -F %s "$@"\n' "$TMP/g.config" >"$TMP/ssh-F"; chmod 755 "$TMP/ssh-F"
printf '[host "monk"]\nssh = gmonk\n' >"$TMP/g.conf"
kt HOME="$PWHOME" KITETOP_SSH="$TMP/ssh-F" "$KT" -c "$TMP/g.conf" status >"$TMP/2.out" 2>&1
if grep -Eq '^monk \(gmonk\) ssh [0-9]+ ms' "$TMP/2.out"; then
	pass "ssh -G resolves an alias through Include and Match exec: $(sed -n 3p "$TMP/2.out")"
else
	fail "ssh -G resolution"; cat "$TMP/2.out"
fi
kt HOME="$H" KITETOP_SSH="$TMP/ssh-F" "$KT" -c "$TMP/g.conf" status >"$TMP/2b.out" 2>&1
if grep -q 'cannot resolve gmonk' "$TMP/2b.out"; then
	pass "kitetop's own parser leaves Match exec unmatched (as documented)"
else
	fail "Match exec in the fallback"; cat "$TMP/2b.out"
fi

# 3. IdentityAgent: the agent's socket, not SSH_AUTH_SOCK (unset), and no key file.
ssh-agent -D -a "$TMP/agent.sock" >/dev/null 2>&1 &
echo $! >"$TMP/agent.pid"
n=50; while [ $n -gt 0 ] && ! [ -S "$TMP/agent.sock" ]; do sleep 0.1; n=$((n-1)); done
SSH_AUTH_SOCK=$TMP/agent.sock ssh-add -q "$KEY" 2>/dev/null
cat >"$H/.ssh/config.d/lab" <<EOF
Host agentmonk
  HostName 127.0.0.2
  User root
  IdentityAgent $TMP/agent.sock
  IdentityFile $TMP/none
  UserKnownHostsFile $LAB/known_hosts
EOF
printf '[host monk]\nssh = agentmonk\n' >"$TMP/agent.conf"
kt HOME="$H" "$KT" -c "$TMP/agent.conf" status >"$TMP/3.out" 2>&1
# the identity file does not exist and SSH_AUTH_SOCK is unset: only the agent signs
if grep -Eq '^monk \(agentmonk\) ssh [0-9]+ ms' "$TMP/3.out"; then
	pass "IdentityAgent's socket signs in with SSH_AUTH_SOCK unset: $(sed -n 3p "$TMP/3.out")"
else
	fail "IdentityAgent"; cat "$TMP/3.out"
fi
sed -i "s|IdentityAgent $TMP/agent.sock|IdentityAgent none|" "$H/.ssh/config.d/lab"
kt HOME="$H" SSH_AUTH_SOCK="$TMP/agent.sock" "$KT" -c "$TMP/agent.conf" status >"$TMP/3b.out" 2>&1
if grep -q 'no key to offer to monk for user root: no ssh-agent key (IdentityAgent none)' \
	"$TMP/3b.out"; then
	pass "IdentityAgent none: no agent, even with SSH_AUTH_SOCK set"
else
	fail "IdentityAgent none"; cat "$TMP/3b.out"
fi

# 4. No configuration file: DOCKER_HOST=ssh://, then the current docker context.
H2=$TMP/home2
mkdir -p "$H2/.ssh" "$H2/.config" "$H2/.docker/contexts/meta/6c61626374780a"
cp "$KEY" "$H2/.ssh/id_ed25519"; chmod 600 "$H2/.ssh/id_ed25519"
cp "$LAB/known_hosts" "$H2/.ssh/known_hosts"
kt HOME="$H2" XDG_CONFIG_HOME="$H2/.config" DOCKER_HOST=ssh://root@127.0.0.2 "$KT" status \
	>"$TMP/4.out" 2>&1
if grep -Eq '^127\.0\.0\.2 \(ssh://root@127\.0\.0\.2\) ssh [0-9]+ ms' "$TMP/4.out" &&
	grep -q running "$TMP/4.out"; then
	pass "no config, DOCKER_HOST=ssh://root@127.0.0.2: $(sed -n 3p "$TMP/4.out")"
else
	fail "DOCKER_HOST=ssh://"; cat "$TMP/4.out"
fi
echo '{"currentContext":"labctx"}' >"$H2/.docker/config.json"
echo '{"Name":"labctx","Metadata":{},"Endpoints":{"docker":{"Host":"ssh://root@127.0.0.2:22","SkipTLSVerify":false}}}' \
	>"$H2/.docker/contexts/meta/6c61626374780a/meta.json"
kt HOME="$H2" XDG_CONFIG_HOME="$H2/.config" "$KT" status >"$TMP/4b.out" 2>&1
if grep -Eq '^labctx \(ssh://root@127\.0\.0\.2:22\) ssh [0-9]+ ms' "$TMP/4b.out"; then
	pass "no config, docker context labctx: $(sed -n 3p "$TMP/4b.out")"
else
	fail "docker context"; cat "$TMP/4b.out"
fi

# 5. ProxyCommand: not run; the message suggests ProxyJump.
printf 'Host pcmonk\n  HostName 127.0.0.2\n  ProxyCommand ssh -W %%h:%%p bastion\n' \
	>"$H/.ssh/config.d/lab"
printf '[host pc]\nssh = pcmonk\n' >"$TMP/pc.conf"
kt HOME="$H" "$KT" -c "$TMP/pc.conf" status >"$TMP/5.out" 2>&1
if grep -q 'pc: ProxyCommand ssh -W %h:%p bastion cannot be used' "$TMP/5.out" &&
	grep -q 'write ProxyJump JUMPHOST instead' "$TMP/5.out"; then
	pass "ProxyCommand is refused in words, ProxyJump suggested"
else
	fail "ProxyCommand message"; cat "$TMP/5.out"
fi

# 6. RSA against a private OpenSSH 9.2 on 127.0.0.91.
D=$TMP/sshd
mkdir -p "$D" /run/sshd; chmod 700 "$D"
ssh-keygen -q -t ed25519 -N '' -f "$D/host_key" || { fail "ssh-keygen"; exit 1; }
ssh-keygen -q -t rsa -b 3072 -N '' -f "$TMP/id_rsa" || { fail "ssh-keygen rsa"; exit 1; }
cp "$TMP/id_rsa.pub" "$D/authorized_keys"; chmod 600 "$D/authorized_keys"
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
EOC
echo "[$ADDR]:$PORT $(cut -d' ' -f1,2 "$D/host_key.pub")" >"$D/known_hosts"
/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
n=50; while [ $n -gt 0 ] && ! [ -s "$D/sshd.pid" ]; do sleep 0.1; n=$((n-1)); done
[ -s "$D/sshd.pid" ] || { fail "private sshd on $ADDR:$PORT"; cat "$D/sshd.log"; exit 1; }
# OpenSSH itself signs in with the key (rsa-sha2-512): the key is good
if ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
	-o UserKnownHostsFile="$D/known_hosts" -i "$TMP/id_rsa" -p "$PORT" "$(id -un)@$ADDR" true \
	</dev/null >/dev/null 2>&1; then
	pass "ssh(1) signs in to $ADDR:$PORT with the RSA key"
else
	fail "ssh(1) with the RSA key"
fi
cat >"$TMP/rsa.conf" <<EOF
[kitetop]
timeout = 5
[host rsahost]
ssh = ssh://$(id -un)@$ADDR:$PORT
identity_file = $TMP/id_rsa
known_hosts = $D/known_hosts
docker = none
EOF
kt HOME="$H" "$KT" -c "$TMP/rsa.conf" status >"$TMP/6.out" 2>&1
if grep -q "ssh: rsahost refused the RSA key(s) offered for user $(id -un)" "$TMP/6.out" &&
	grep -q 'OpenSSH 8.8 and later require for RSA keys' "$TMP/6.out" &&
	grep -q 'Use an ed25519 key instead (ssh-keygen -t ed25519)' "$TMP/6.out"; then
	pass "an RSA key against OpenSSH 9.2: the host, the reason and the fix in kitetop status"
else
	fail "the RSA message"; cat "$TMP/6.out"
fi

# 7. A FIDO key file and a certificate, for the same private sshd.
python3 - "$TMP/id_ed25519_sk" <<'PY'
import base64, struct, sys
s = lambda b: struct.pack(">I", len(b)) + b
pub = s(b"sk-ssh-ed25519@openssh.com") + s(b"\x01" * 32) + s(b"ssh:")
priv = struct.pack(">II", 7, 7) + pub + s(b"") + b"\x01\x02\x03\x04\x05\x06\x07"
body = b"openssh-key-v1\0" + s(b"none") + s(b"none") + s(b"") + struct.pack(">I", 1) + s(pub) + s(priv)
b64 = base64.b64encode(body).decode()
open(sys.argv[1], "w").write("-----BEGIN OPENSSH PRIVATE KEY-----\n" +
    "\n".join(b64[i:i + 70] for i in range(0, len(b64), 70)) + "\n-----END OPENSSH PRIVATE KEY-----\n")
PY
chmod 600 "$TMP/id_ed25519_sk"
cat >"$H/.ssh/config.d/lab" <<EOF
Host fido
  HostName $ADDR
  Port $PORT
  User $(id -un)
  IdentityFile $TMP/id_ed25519_sk
  CertificateFile $TMP/id_ed25519_sk-cert.pub
  IdentitiesOnly yes
  IdentityAgent none
  UserKnownHostsFile $D/known_hosts
EOF
printf '[kitetop]\ntimeout = 5\n[host fidohost]\nssh = fido\ndocker = none\n' >"$TMP/fido.conf"
kt HOME="$H" "$KT" -c "$TMP/fido.conf" status >"$TMP/7.out" 2>&1
if grep -qF "ssh: fidohost: the FIDO security key $TMP/id_ed25519_sk (sk-ssh-ed25519 / sk-ecdsa) cannot sign in" "$TMP/7.out" &&
	grep -q 'ssh-keygen -t ed25519' "$TMP/7.out" &&
	grep -qF "CertificateFile $TMP/id_ed25519_sk-cert.pub was not used: libssh2 1.10 cannot sign in with OpenSSH user certificates" "$TMP/7.out"; then
	pass "a FIDO key and a CertificateFile: the host, the reason and the fix in kitetop status"
else
	fail "the FIDO / certificate message"; cat "$TMP/7.out"
fi

echo "ssh_resolve_lab: $fails failed"
[ $fails = 0 ]
