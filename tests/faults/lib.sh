# tests/faults/lib.sh — shared helpers of the fault suite (bash; sourced from the
# top of the source tree).  Every daemon a fault script harms is its own, on
# 127.0.0.81-89, started here and stopped by its pid (faults_cleanup, also
# from the EXIT trap faults_exit); the shared lab is only read from (ssh.sh loads the lab's
# image from monk's engine into its own dockerd).  On top of tests/e2e/e2e-lib (tmux, check/pass/fail):
#
#   watch_until SESSION LIMIT_S ARGS...   ktwatch.py: until the screen matches
#       (--has RE, --lacks RE; --forbid RE fails at once), pressing keys and
#       timing them meanwhile; sets MS (the time it took, LIMIT_S*1000 when
#       it never came) and returns 0 / 1 (late) / 2 (forbidden text seen)
#   watch_detect SESSION ARGS...          the same, late after $detect_limit s
#   watch_hold SESSION SECONDS ARGS...    the same for "nothing must happen"
#   keys_reset / keys_stats               the key times since keys_reset:
#       sets KEYS_N KEYS_P50 KEYS_P95 KEYS_MAX
#   keys_check WHAT                       no press of this fault slower than
#       KEY_MAX_MS (default 300: a screen waiting on the network would take
#       the timeout, 2 s; single presses on a loaded machine reach 150 ms
#       with no fault at all), or than the control's slowest meanwhile + 100 ms when
#       the machine is that slow; keys_total_check: all presses of the script, p95 <=
#       KEY_P95_MS (default 50; a percentile, as the machine is shared), or
#       when the machine is slower than that, <= the p95 of the twin presses
#       on a healthy kitetop (keys_control) + 25 ms
#   result FAULT DETECT KEYS RECOVER AUDIT    one row of the results table
#       (printed as "RESULT | ..." lines; make test-faults gathers them)
#   sshd_new DIR IP [DOCKER_HOST] / sshd_start DIR / sshd_kill DIR /
#   sshd_signal DIR SIG                   a private sshd (root, with the key
#       FAULT_KEY), its sessions included in kill and signal
#   dockerd_new DIR / dockerd_stop DIR    a private dockerd (socket DIR/d.sock)
#       with the lab's image loaded
#   bg_start PIDFILE CMD... / bg_stop PIDFILE    any helper process, by pid
if [ -z "${BASH_VERSION:-}" ]; then echo "FAIL: tests/faults/lib.sh needs bash"; exit 1; fi
. tests/e2e/e2e-lib
FAULTS_DIR=tests/faults
# the client key the private sshds accept (made here: the lab's own is not needed)
FAULT_KEY=$E2E_TMP/client_ed25519
LAB_IMAGE=kitestacks/busybox:lab
LAB_MONK_SOCK=/run/kitetop-lab/monk/docker.sock
KEY_P95_MS=${KEY_P95_MS:-50}
KEY_MAX_MS=${KEY_MAX_MS:-300}
KEYS=$E2E_TMP/keys
FAULT_PIDFILES=()
FAULT_SSHDS=()
FAULT_DOCKERDS=()
# kitetop's private socket folders go here, to be counted at the end
export XDG_RUNTIME_DIR=$E2E_TMP/xdg
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

now_ms() { date +%s%3N; }
in_range() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

faults_skip_unless_root() {
	if [ "$(id -u)" != 0 ]; then echo "PASS: skipped (the fault suite needs root)"; exit 0; fi
}
faults_need_sshd() {
	if ! [ -x /usr/sbin/sshd ]; then echo "PASS: skipped (needs /usr/sbin/sshd)"; exit 0; fi
}
# the lab's image, loaded into a private dockerd from monk's engine (read only)
faults_need_lab_image() {
	if ! DOCKER_HOST=unix://$LAB_MONK_SOCK docker image inspect "$LAB_IMAGE" >/dev/null 2>&1; then
		echo "PASS: skipped (needs the lab's image on monk's engine: make lab)"; exit 0
	fi
}

watch_until() { # SESSION LIMIT_S ARGS...
	local s=$1 lim=$2 out rc; shift 2
	out=$(python3 "$FAULTS_DIR/ktwatch.py" -L "$E2E_SOCK" -t "$s" --limit "$lim" --keys "$KEYS" \
		${KEYS_CTL:+--control "$KEYS_CTL" --control-keys "$KEYS.ctl"} "$@")
	rc=$?
	MS=$(printf '%s\n' "$out" | sed -n 's/^ms //p')
	FORBIDDEN=$(printf '%s\n' "$out" | sed -n 's/^forbidden //p')
	[ -n "$MS" ] || MS=$(( ${lim%.*} * 1000 ))
	return $rc
}
# watch_detect SESSION ARGS...: watch_until with the detection target,
# $detect_limit s (the script's timeout + 1 s): it watches 2 s longer so that
# MS is the figure even when late, and returns 1 when late
watch_detect() {
	local s=$1 rc; shift
	watch_until "$s" $((detect_limit + 2)) "$@"
	rc=$?
	[ "$rc" = 0 ] && [ "$MS" -gt $((detect_limit * 1000)) ] && rc=1
	return $rc
}
watch_hold() { # SESSION SECONDS ARGS...
	local s=$1 secs=$2; shift 2
	watch_until "$s" 1 --hold "$secs" "$@"
}

keys_reset() { : >"$KEYS"; KEYS_CTL_MARK=$(wc -l <"$KEYS.ctl" 2>/dev/null || echo 0); }
: >"$KEYS.all"
keys_stats() {
	set -- $(sort -n "$KEYS" | awk '{a[NR]=$1} END {
		if (NR == 0) { print "0 0 0 0"; exit }
		p50 = a[int((NR + 1) / 2)]; i = int(NR * 0.95 + 0.999); if (i > NR) i = NR
		print NR, p50, a[i], a[NR] }')
	KEYS_N=$1 KEYS_P50=$2 KEYS_P95=$3 KEYS_MAX=$4
}
keys_check() { # WHAT: this fault's presses: none slower than KEY_MAX_MS, or the control's slowest meanwhile + 100 ms
	local lim=$KEY_MAX_MS cmax
	cmax=$(tail -n +$((KEYS_CTL_MARK + 1)) "$KEYS.ctl" | sort -n | tail -n1)
	[ -n "$cmax" ] && [ $((cmax + 100)) -gt "$lim" ] && lim=$((cmax + 100))
	keys_stats
	cat "$KEYS" >>"$KEYS.all"
	check "$1: keys answered throughout ($KEYS_N presses: p50 $KEYS_P50 ms, p95 $KEYS_P95 ms, max $KEYS_MAX ms <= $lim${cmax:+; the slowest on the control: ${cmax} ms})" \
		eval "[ $KEYS_N -gt 0 ] && [ $KEYS_MAX -le $lim ]"
}
# Session names: tmux reads "-t NAME" as a window of the current session
# first, and a window's name is its command's ("bash", "sleep", "kitetop"):
# a session called "b" or "s" would be taken for the control's window.  Hence
# names like eng, svc, box, ctl.
# keys_control: a second kitetop, healthy (this machine only), in session
# "ctl"; from then on every timed press has its twin there (KEYS.ctl): the
# pace of tmux and of the machine at that moment, kitetop's faults aside
keys_control() {
	printf '[kitetop]\nrefresh = 1\n[host here]\ndocker = none\n' >"$E2E_TMP/ctl.conf"
	e2e_start ctl 140 40 "$KT -c $E2E_TMP/ctl.conf; sleep 60"
	wait_for ctl "1 Overview" 10 && KEYS_CTL=ctl
}
KEYS_CTL=
: >"$KEYS.ctl"
KEYS_CTL_MARK=0
keys_total_check() { # every press of the script: p95 <= KEY_P95_MS, or the control's + 25 ms when higher
	local lim=$KEY_P95_MS cn cp95 cmax
	cp "$KEYS.ctl" "$KEYS"
	keys_stats
	cn=$KEYS_N cp95=$KEYS_P95 cmax=$KEYS_MAX
	echo "keys on the control (no fault), meanwhile: $cn presses, p50 $KEYS_P50 ms, p95 $cp95 ms, max $cmax ms"
	result "keys on a healthy kitetop meanwhile (the control)" "-" "$(keys_cell)" "-" "-"
	[ $((cp95 + 25)) -gt "$lim" ] && lim=$((cp95 + 25))
	cp "$KEYS.all" "$KEYS"
	keys_stats
	echo "keys over all faults: $KEYS_N presses, p50 $KEYS_P50 ms, p95 $KEYS_P95 ms, max $KEYS_MAX ms"
	check "keys over all faults: p95 $KEYS_P95 ms <= $lim ms ($KEY_P95_MS, or the control's p95 $cp95 ms + 25 when higher; $KEYS_N presses, max $KEYS_MAX ms)" \
		eval "[ $KEYS_N -gt 0 ] && [ $KEYS_P95 -le $lim ]"
	result "keys, all faults of $(basename "$0")" "-" "$(keys_cell)" "-" "-"
}
keys_cell() { keys_stats; echo "$KEYS_P50/$KEYS_P95/$KEYS_MAX ms ($KEYS_N)"; }

result() { echo "RESULT | $1 | $2 | $3 | $4 | $5 |"; }

bg_start() { # PIDFILE CMD...
	local pf=$1; shift
	"$@" >"$pf.log" 2>&1 &
	echo $! >"$pf"
	FAULT_PIDFILES+=("$pf")
}
bg_stop() { # PIDFILE
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$1"
}

# ---- a private sshd -----------------------------------------------------------
descendants() { local c; for c in $(ps -o pid= --ppid "$1"); do descendants "$c"; echo "$c"; done; }

# sshd_new DIR IP [DOCKER_HOST]: host key, config, known_hosts (DIR/known_hosts);
# sets SSHD_PORT and writes it to DIR/port
sshd_new() {
	local d=$1 ip=$2 dh=${3:-}
	mkdir -p "$d"; chmod 700 "$d"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || return 1
	[ -s "$FAULT_KEY" ] || ssh-keygen -q -t ed25519 -N '' -f "$FAULT_KEY" || return 1
	cp "$FAULT_KEY.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
	SSHD_PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('$ip', 0)); print(s.getsockname()[1])")
	echo "$SSHD_PORT" >"$d/port"
	cat >"$d/sshd_config" <<EOC
ListenAddress $ip:$SSHD_PORT
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOC
	# HOME: a session's shell must not run root's own rc files (a pyenv
	# rehash there, killed with the session by sshd_kill, would leave its lock
	# behind and hang every later root login on the machine for 60 s)
	mkdir -p "$d/home"
	echo "SetEnv HOME=$d/home${dh:+ DOCKER_HOST=$dh}" >>"$d/sshd_config"
	echo "[$ip]:$SSHD_PORT $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
	FAULT_SSHDS+=("$d")
	mkdir -p /run/sshd
}
sshd_start() { # DIR
	local d=$1 n=100
	rm -f "$d/sshd.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" || return 1
	while [ $n -gt 0 ] && ! [ -s "$d/sshd.pid" ]; do sleep 0.05; n=$((n - 1)); done
	[ -s "$d/sshd.pid" ]
}
sshd_kill() { # DIR: the sshd and every process of its sessions, by pid
	local pid p n=100
	pid=$(cat "$1/sshd.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	for p in $(descendants "$pid") "$pid"; do kill -CONT "$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done
	while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
	rm -f "$1/sshd.pid"
}
sshd_signal() { # DIR SIG: the sshd and its sessions (STOP freezes the "host", CONT thaws it)
	local pid p
	pid=$(cat "$1/sshd.pid" 2>/dev/null) || return 1
	for p in "$pid" $(descendants "$pid"); do kill -s "$2" "$p" 2>/dev/null; done
	return 0
}

# ---- a private dockerd ----------------------------------------------------------
dockerd_new() { # DIR: starts it (DIR/d.sock) and loads the lab's image from monk's engine
	local d=$1 n=300
	mkdir -p "$d/data" "$d/exec"
	FAULT_DOCKERDS+=("$d")
	dockerd_start "$d" || return 1
	DOCKER_HOST=unix://$d/d.sock docker image inspect "$LAB_IMAGE" >/dev/null 2>&1 && return 0
	DOCKER_HOST=unix://$LAB_MONK_SOCK docker save "$LAB_IMAGE" |
		DOCKER_HOST=unix://$d/d.sock docker load >/dev/null
}
dockerd_start() { # DIR
	local d=$1 n=300
	rm -f "$d/d.sock"
	dockerd --host "unix://$d/d.sock" --data-root "$d/data" --exec-root "$d/exec" \
		--pidfile "$d/dockerd.pid" --iptables=false --ip-forward=false --ip-masq=false \
		--bridge=none --storage-driver=vfs >>"$d/dockerd.log" 2>&1 &
	while [ $n -gt 0 ]; do
		DOCKER_HOST=unix://$d/d.sock docker version >/dev/null 2>&1 && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}
dockerd_stop() { # DIR: SIGTERM by its pid, then waits (its containers stop with it)
	local pid n=300
	pid=$(cat "$1/dockerd.pid" 2>/dev/null)
	if [ -n "$pid" ]; then
		kill -CONT "$pid" 2>/dev/null; kill "$pid" 2>/dev/null
		while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
		rm -f "$1/dockerd.pid"
	fi
	# what it mounted under DIR (its netns/default), pid file or not: it
	# would keep DIR from going
	awk -v r="$1/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
	return 0
}

# faults_finish: everything stopped, the load the figures were taken under, the count
faults_finish() {
	faults_cleanup
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
	e2e_finish
}

# faults_exit: the EXIT trap; after an early end, E2E_TMP goes too
faults_exit() {
	[ "$BASHPID" = "$$" ] || return 0
	faults_cleanup
	rm -rf "$E2E_TMP"
}

faults_cleanup() {
	local d pf
	# only the script itself (a subshell, cmd &, may run the EXIT trap too), once
	[ "$BASHPID" = "$$" ] && [ -z "${FAULTS_CLEANED:-}" ] || return 0
	FAULTS_CLEANED=1
	tm kill-server 2>/dev/null
	for d in "${FAULT_SSHDS[@]}"; do sshd_kill "$d"; done
	for pf in "${FAULT_PIDFILES[@]}"; do bg_stop "$pf"; done
	for d in "${FAULT_DOCKERDS[@]}"; do
		DOCKER_HOST=unix://$d/d.sock timeout 20 docker rm -f $(DOCKER_HOST=unix://$d/d.sock timeout 10 docker ps -aq 2>/dev/null) >/dev/null 2>&1
		dockerd_stop "$d"
	done
	if declare -F pgp_cleanup >/dev/null; then pgp_cleanup; fi
	return 0
}

# kitetop_quit SESSION RCFILE: q, then its exit status 0, the terminal given
# back and no socket folder of its left (its sessions' kitetop-ssh-* dirs)
kitetop_quit() {
	local n=100
	tm send-keys -t "$1" q
	while [ $n -gt 0 ] && ! [ -s "$2" ]; do sleep 0.05; n=$((n - 1)); done
	check "$1: q quits with status 0" grep -qx "rc=0" "$2"
	check "$1: terminal restored (alternate screen off, cursor on, mouse off)" terminal_restored "$1"
	check "$1: no kitetop-ssh-* folder left behind" eval '[ -z "$(ls "$XDG_RUNTIME_DIR" | grep "^kitetop-ssh-")" ]'
}
terminal_restored() {
	local n=40
	while [ $n -gt 0 ]; do
		[ "$(tm display-message -p -t "$1" '#{alternate_on}:#{cursor_flag}:#{mouse_any_flag}')" = 0:1:0 ] && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}
