#!/bin/bash
# ssh.sh — a host that goes away, freezes, loses its engine or changes its key.
# Host "box" is a private sshd on 127.0.0.81 in front of a private dockerd (its
# own socket and data, the lab's image loaded) running "boxweb"; everything is
# started here and stopped by pid.  kitetop runs in tmux with refresh 1 and
# timeout 2; the keys are timed throughout.  Faults:
#   sshd killed (with its sessions)  -> "unreachable" within timeout + 1 s
#   host frozen (SIGSTOP, sessions included) -> its docker calls time out, or
#       (since bytes unanswered on any of the host's SSH connections start a
#       keepalive at once) the host itself is unreachable, within
#       refresh + timeout + 1 s: a freeze is seen only by what is asked after
#       it, the next refresh's reads (up to a refresh later), which give up
#       after the timeout; then a frame and the watcher's look (measured
#       2.1-3.7 s, before the command kept running for the cgroups as after)
#   dockerd stopped  -> "docker: ..." within timeout + 1 s, the host still up
#   host key changed -> "host key mismatch", never connected
#   a restart whose link freezes for good -> "unknown" (exit 3), never "failed"
#   a restart whose link freezes for 3 s -> ok once it thaws, never "failed"
# After each: fresh within 2 s with R; without R measured (target 5 s).
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
cd "$(dirname "$0")/../.." || exit 1
. tests/faults/lib.sh
faults_skip_unless_root
faults_need_sshd
faults_need_lab_image
timeout_s=2
detect_limit=$((timeout_s + 1))
RECOVER_LIMIT_S=${RECOVER_LIMIT_S:-5}
RECOVER_R_LIMIT_S=${RECOVER_R_LIMIT_S:-2}
trap faults_exit EXIT

dd=$E2E_TMP/dd
sd=$E2E_TMP/sshd
check "private dockerd up with the lab's image" dockerd_new "$dd"
dk() { DOCKER_HOST=unix://$dd/d.sock docker "$@"; }
dk run -d --name boxweb --restart always --network host "$LAB_IMAGE" \
	sh -c 'trap "exit 0" TERM; while :; do sleep 1; done' >/dev/null
# a restart of boxslow takes its whole 3 s stop timeout (it ignores TERM)
dk run -d --name boxslow --stop-timeout 3 --network host "$LAB_IMAGE" \
	sh -c 'trap "" TERM; while :; do sleep 1; done' >/dev/null
check "private sshd up on 127.0.0.81" eval 'sshd_new "$sd" 127.0.0.81 && sshd_start "$sd"'
AUDIT=$E2E_TMP/audit.log
cat >"$E2E_TMP/box.conf" <<EOC
[kitetop]
refresh = 1
timeout = $timeout_s
audit_log = $AUDIT
[host box]
address = 127.0.0.81
ssh = root@127.0.0.81:$SSHD_PORT
identity_file = $FAULT_KEY
known_hosts = $sd/known_hosts
docker = ssh
docker_socket = $dd/d.sock
EOC
chmod 600 "$E2E_TMP/box.conf"

host_ok='━ box ━.* ssh [0-9]+ ms ━'
# the column's own header: the Recent events panel under the columns names
# past outages too ("unreachable → reachable")
host_down='━ box ━.*unreachable'
row_ok='^┃● boxweb +running'
e2e_start box 140 40 "$KT -c $E2E_TMP/box.conf; echo rc=\$? >$E2E_TMP/b.rc; sleep 60"
watch_until box 20 --has "$host_ok" --has "$row_ok"
check "box and boxweb fresh at the start (${MS} ms)" [ $? = 0 ]
keys_control

# recover NAME WITH_R: until the host and boxweb are fresh, no error left
recover() {
	local lim=20
	[ "$2" = 1 ] && tm send-keys -t box R
	watch_until box $lim --has "$host_ok" --has "$row_ok" --lacks '^┃docker: ' --lacks "$host_down"
	REC=$MS
	if [ "$2" = 1 ]; then
		check "$1: fresh within $RECOVER_R_LIMIT_S s with R (${REC} ms)" in_range "$REC" 0 $((RECOVER_R_LIMIT_S * 1000))
		REC="$REC ms (R)"
	else
		echo "$1: recovery without R: $REC ms (target $RECOVER_LIMIT_S s)"
		check "$1: fresh again by itself within $RECOVER_LIMIT_S s (${REC} ms)" \
			in_range "$REC" 0 $((RECOVER_LIMIT_S * 1000))
		REC="$REC ms"
	fi
	[ "${REC%% *}" -ge $((lim * 1000)) ] && screen box | head -8
}

# ---- sshd killed, twice: the recovery by itself, then with R -------------------
for with_r in 0 1; do
	keys_reset
	sshd_kill "$sd"
	watch_detect box --has "$host_down"
	rc=$?; det=$MS
	check "sshd killed: unreachable within $detect_limit s (${det} ms)" [ "$rc" = 0 ]
	watch_hold box 1 --forbid "$host_ok" --forbid "$row_ok"
	check "sshd killed: no false ok while it is down${FORBIDDEN:+ ($FORBIDDEN)}" [ $? = 0 ]
	keys_check "sshd killed"
	kc=$(keys_cell)
	sshd_start "$sd"
	recover "sshd killed" "$with_r"
	result "sshd killed" "$det ms" "$kc" "$REC" "-"
done

# ---- host frozen, a restart under way meanwhile ---------------------------------
# The restart is sent first (the audit's "started" line is written before the
# request goes out, and boxslow takes its 3 s stop timeout), then the sshd and
# its sessions freeze and stay frozen until the restart has given its verdict:
# "unknown" (exit 3), never "failed", for the engine did restart it.
: >"$AUDIT"
before=$(dk inspect -f '{{.State.StartedAt}}' boxslow)
t0=$(now_ms)
$KT -c "$E2E_TMP/box.conf" restart box boxslow --yes >"$E2E_TMP/act0.out" 2>"$E2E_TMP/act0.err" &
apid=$!
n=200; while [ $n -gt 0 ] && ! grep -q '"result":"started"' "$AUDIT" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
sleep 0.3
keys_reset
sshd_signal "$sd" STOP
detect_limit=$((timeout_s + 1 + 1))   # + the refresh (above)
watch_detect box --has '^┃(docker: .*timeout|ssh: .*(stopped answering|silent for))' --lacks "$row_ok"
rc=$?; det=$MS
check "host frozen: its docker calls time out, or the host is unreachable, within $detect_limit s (${det} ms)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || screen box | head -8
# the host's own verdict (its header) follows its failing docker source
FROZEN_LIMIT_S=${FROZEN_LIMIT_S:-35}
watch_until box "$FROZEN_LIMIT_S" --lacks "$host_ok" --forbid "$row_ok"
rc=$?; hdet=$MS
echo "host frozen: the header still said \"ssh N ms\" for $hdet ms (limit of the watch $FROZEN_LIMIT_S s)"
[ "$rc" = 2 ] && fail "host frozen: boxweb shown running while frozen ($FORBIDDEN)"
# (before: it waited for the SSH keepalive, 26 s)
check "host frozen: the header turns with its docker error, within $detect_limit s (${hdet} ms)" \
	in_range "$hdet" 0 $((detect_limit * 1000))
detect_limit=$((timeout_s + 1))
keys_check "host frozen"
kc=$(keys_cell)
keys_reset
# the restart: kitetop waits for the link up to 20 s once it knows it is dead
ACTION_LIMIT_S=${ACTION_LIMIT_S:-70}
# (the keys timed meanwhile: ktwatch.py itself in the background, not a
# subshell of this script, which would run the EXIT trap when it ends)
python3 "$FAULTS_DIR/ktwatch.py" -L "$E2E_SOCK" -t box --hold "$ACTION_LIMIT_S" --keys "$KEYS" \
	${KEYS_CTL:+--control "$KEYS_CTL" --control-keys "$KEYS.ctl"} >/dev/null &
wpid=$!
n=$((ACTION_LIMIT_S * 20)); while [ $n -gt 0 ] && kill -0 "$apid" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null
tm send-keys -t box Escape   # (a filter prompt the watcher may have left open)
kill -0 "$apid" 2>/dev/null && kill "$apid"
wait "$apid"; arc=$?
act_ms=$(( $(now_ms) - t0 ))
keys_check "restart, link frozen for good"
kc2=$(keys_cell)
audit=$(sed -n 's/.*"result":"\([a-z]*\)".*/\1/p' "$AUDIT" | tr '\n' ' ')
echo "restart, link frozen for good: exit $arc after $act_ms ms (the man page: up to 20 s once the link is dead)"
check "restart, link frozen for good: exit 3, unknown, within $ACTION_LIMIT_S s (${act_ms} ms; $(cat "$E2E_TMP/act0.err"))" \
	eval '[ "$arc" = 3 ] && grep -q "^kitetop: unknown: the link to box died after the restart was sent" "$E2E_TMP/act0.err"'
check "restart, link frozen for good: audit started then unknown, never failed ($audit)" [ "$audit" = "started unknown " ]
check "restart, link frozen for good: the engine did restart it" \
	[ "$before" != "$(dk inspect -f '{{.State.StartedAt}}' boxslow)" ]
sshd_signal "$sd" CONT
recover "host frozen" 1
result "host frozen (SIGSTOP)" "docker $det ms; host header $hdet ms" "$kc" "$REC" "-"
result "restart, link frozen for good" "-" "$kc2" "exit $arc after $act_ms ms" "${audit% }"

# ---- host key changed --------------------------------------------------------------------
keys_reset
sshd_kill "$sd"
watch_detect box --has "$host_down"
cp "$sd/host_key" "$sd/host_key.orig"; cp "$sd/host_key.pub" "$sd/host_key.pub.orig"
rm -f "$sd/host_key" "$sd/host_key.pub"
ssh-keygen -q -t ed25519 -N '' -f "$sd/host_key"
sshd_start "$sd"
tm send-keys -t box R
watch_detect box --has 'host key mismatch' --forbid "$host_ok" --forbid "$row_ok"
rc=$?; det=$MS
check "host key changed: \"host key mismatch\" within $detect_limit s of R, never connected (${det} ms)${FORBIDDEN:+ ($FORBIDDEN)}" [ "$rc" = 0 ]
[ "$rc" = 0 ] || screen box | head -8
watch_hold box 2 --forbid "$host_ok" --forbid "$row_ok"
check "host key changed: still refused 2 s later" [ $? = 0 ]
keys_check "host key changed"
kc=$(keys_cell)
sshd_kill "$sd"
mv "$sd/host_key.orig" "$sd/host_key"; mv "$sd/host_key.pub.orig" "$sd/host_key.pub"
sshd_start "$sd"
recover "host key restored" 1
result "host key changed" "$det ms (after R)" "$kc" "$REC" "-"

# ---- an action whose link freezes for 3 s --------------------------------------------
keys_reset
: >"$AUDIT"
sleep 1.1   # (a restart's StartedAt plainly later than the last one)
before=$(dk inspect -f '{{.State.StartedAt}}' boxslow)
t0=$(now_ms)
$KT -c "$E2E_TMP/box.conf" restart box boxslow --yes >"$E2E_TMP/act.out" 2>"$E2E_TMP/act.err" &
apid=$!
sleep 1
sshd_signal "$sd" STOP
watch_hold box 3
sshd_signal "$sd" CONT
n=600; while [ $n -gt 0 ] && kill -0 "$apid" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
wait "$apid"; arc=$?
act_ms=$(( $(now_ms) - t0 ))
check "action, link frozen 3 s: exit 0 after ${act_ms} ms ($(cat "$E2E_TMP/act.out" "$E2E_TMP/act.err"))" [ "$arc" = 0 ]
check "action, link frozen 3 s: audit started then ok, never failed" \
	eval '[ "$(grep -c "\"result\":\"started\"" "$AUDIT")" = 1 ] && [ "$(grep -c "\"result\":\"ok\"" "$AUDIT")" = 1 ] && ! grep -q "\"result\":\"failed\"" "$AUDIT"'
check "action, link frozen 3 s: the restart happened" [ "$before" != "$(dk inspect -f '{{.State.StartedAt}}' boxslow)" ]
keys_check "action, link frozen"
audit=$(sed -n 's/.*"result":"\([a-z]*\)".*/\1/p' "$AUDIT" | tr '\n' ' ')
result "restart, link frozen 3 s" "-" "$(keys_cell)" "exit $arc after $act_ms ms" "${audit% }"
recover "after the action" 1

# ---- dockerd stopped ------------------------------------------------------------------
dk rm -f boxslow >/dev/null   # (its stop would take its 3 s timeout)
keys_reset
t0=$(now_ms)
dockerd_stop "$dd"
stop_ms=$(( $(now_ms) - t0 ))
watch_detect box --has '^┃docker: ' --lacks "$row_ok" --forbid "$host_down"
rc=$?; det=$MS
check "dockerd stopped: docker's error within $detect_limit s of its exit, host still up (${det} ms; the stop took ${stop_ms} ms)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || screen box | head -8
# the host's header keeps its round trip, saying which source through it fails
check "dockerd stopped: the host stays up (header: ssh N ms, docker failing)" \
	eval 'screen box | grep -Eq "━ box ━.* ssh [0-9]+ ms(, [a-z ]+ failing)? ━"'
# an action meanwhile: the engine cannot be reached, so nothing was sent and
# "failed" is the truth (never ok); the dashboard's keys are timed meanwhile
n0=$(grep -c . "$AUDIT")
$KT -c "$E2E_TMP/box.conf" restart box boxweb --yes >"$E2E_TMP/act2.out" 2>"$E2E_TMP/act2.err" &
apid=$!
watch_hold box 1 --forbid "$row_ok" --forbid "$host_down"
check "dockerd stopped: no false ok, the host never called unreachable${FORBIDDEN:+ ($FORBIDDEN)}" [ $? = 0 ]
n=400; while [ $n -gt 0 ] && kill -0 "$apid" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
wait "$apid"; arc=$?
audit2=$(tail -n +$((n0 + 1)) "$AUDIT" | sed -n 's/.*"result":"\([a-z]*\)".*/\1/p' | tr '\n' ' ')
check "dockerd stopped: restart boxweb exits 1, audit failed, never ok ($(cat "$E2E_TMP/act2.err"); audit: $audit2)" \
	eval '[ "$arc" = 1 ] && [ "${audit2% }" = failed ]'
keys_check "dockerd stopped"
kc=$(keys_cell)
dockerd_start "$dd"
recover "dockerd stopped" 0
result "dockerd stopped (and a restart meanwhile)" "$det ms after its exit" "$kc" "$REC (from its API answering)" "restart: exit $arc, ${audit2% }"

keys_total_check
kitetop_quit box "$E2E_TMP/b.rc"
faults_finish
