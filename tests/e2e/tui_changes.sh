#!/bin/sh
# The change highlight, end to end: kitetop watches a host served by a private
# sshd on 127.0.0.25 (started and stopped here, by its pid); when that sshd
# and its session go away, the host turns unreachable and its error line is
# shown in reverse video for 10 s, then plainly; with bell = yes the terminal
# gets a bell.  Needs /usr/sbin/sshd and the lab's operator key (skips without).
. tests/e2e/e2e-lib
key=/run/kitetop-lab/operator_ed25519
if ! [ -x /usr/sbin/sshd ] || ! [ -r "$key" ] || ! [ -r "$key.pub" ]; then
	echo "SKIP: needs /usr/sbin/sshd and $key (the lab's operator key)"; e2e_finish; exit 0
fi
d=$E2E_TMP/sshd
mkdir -p "$d"; chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || { fail "ssh-keygen"; e2e_finish; exit 1; }
cp "$key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.25", 0)); print(s.getsockname()[1])')
cat >"$d/sshd_config" <<EOC
ListenAddress 127.0.0.25:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOC
echo "[127.0.0.25]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
n=50; while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.1; n=$((n-1)); done
check "private sshd started on 127.0.0.25:$port" [ -s "$d/sshd.pid" ]
sshd_pid=$(cat "$d/sshd.pid" 2>/dev/null)
# whatever happens, our sshd (and a session of it) goes at the end, by pid
trap '[ -n "$sshd_pid" ] && for p in $(ps -o pid= --ppid "$sshd_pid") "$sshd_pid"; do kill "$p" 2>/dev/null; done' EXIT
cat >"$E2E_TMP/changes.conf" <<EOC
[kitetop]
refresh = 1
bell = yes
[host probe]
ssh = root@127.0.0.25:$port
identity_file = $key
known_hosts = $d/known_hosts
docker = none
EOC
chmod 600 "$E2E_TMP/changes.conf"

e2e_start c 100 30 "$KT -c $E2E_TMP/changes.conf; echo rc=\$? >$E2E_TMP/c.rc; sleep 30"
check "the host reached over ssh" wait_re c 'probe .*ssh [0-9]+ ms' 15
check "no bell so far" [ "$(tm display -p -t c '#{window_bell_flag}')" = 0 ]
# reverse video: SGR 7 (not the 7 of a colour number such as 38;5;117)
# the sshd and its session (its children) go away: ours, by pid
for p in $(ps -o pid= --ppid "$sshd_pid") "$sshd_pid"; do kill "$p" 2>/dev/null; done
check "the host turns unreachable" wait_for c "unreachable" 20
tm capture-pane -e -p -t c >"$E2E_TMP/hl.txt"
check "its error line in reverse video (highlighted)" sh -c "grep -A1 'unreachable' $E2E_TMP/hl.txt | grep -Eq '\[([0-9;]*;)?7(;[0-9;]*)?m'"
check "the bell rang" [ "$(tm display -p -t c '#{window_bell_flag}')" = 1 ]
sleep 11
tm capture-pane -e -p -t c >"$E2E_TMP/after.txt"
check "10 s later the highlight is gone" sh -c "! grep -A1 'unreachable' $E2E_TMP/after.txt | grep -Eq '\[([0-9;]*;)?7(;[0-9;]*)?m'"
tm send-keys -t c q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/c.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/c.rc"
e2e_finish
