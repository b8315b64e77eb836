#!/bin/bash
# bench-scale-ssh: kitetop against 8 real SSH hosts of the lab's kind (a
# private sshd each on 127.0.0.175-182, `docker = ssh`), their engines
# private dockerds with the lab's image, at refresh 2 s in a 200x50 tmux pane
# with btop beside it, measured as bench/scale/run.sh does: CPU of kitetop
# and btop over SECONDS after a warm-up (KT_BENCH_WARMUP, 30 s), kitetop's
# resident memory, and per host per refresh:
#   the execs its sshd ran (a ForceCommand wrapper logs each command), by
#     kind: the cgroup read (every container's CPU and memory in one exec),
#     /proc (the host's metrics), docker dial-stdio (a connection to the
#     engine), other;
#   the requests its engine answered (tests/support/docker_count_proxy.py
#     in front of each host's engine socket), by endpoint;
# and at the end a one-shot `kitetop status --json`: how many running
# containers of each host have their CPU % and memory.
#
# A dockerd per host is too heavy for a 2-core machine: ENGINES dockerds
# (default 2) with CONTAINERS containers each (default 50, `sleep` in the lab's
# image), host i's engine being dockerd i % ENGINES (so each host sees
# CONTAINERS containers, and ENGINES x CONTAINERS run in all).  Needs root,
# sshd, dockerd and the shared lab up (its image is loaded from monk's
# engine, read-only).  Everything it starts is stopped by its pid.
# usage: bench/scale/ssh8.sh KITETOP [ENGINES] [CONTAINERS] [SECONDS]
set -u
KT=$(readlink -f "$1") ENGINES=${2:-2} NCONT=${3:-50} SECS=${4:-60}
HOSTS=8
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
LAB_IMAGE=kitestacks/busybox:lab
LAB_MONK_SOCK=/run/kitetop-lab/monk/docker.sock
[ "$(id -u)" = 0 ] || { echo "bench-scale-ssh: needs root (private sshd, dockerd)"; exit 2; }
[ -S "$LAB_MONK_SOCK" ] || { echo "bench-scale-ssh: the lab is not up ($LAB_MONK_SOCK): its image is loaded from there"; exit 2; }
TMP=$(mktemp -d /tmp/kt-ssh8.XXXXXX)
SOCK=kt-ssh8-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
unset KITETOP_CONFIG KITETOP_CGROUP_ROOT
export XDG_STATE_HOME="$TMP/state" XDG_RUNTIME_DIR="$TMP/xdg"
mkdir -p "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

descendants() { local c; for c in $(ps -o pid= --ppid "$1"); do descendants "$c"; echo "$c"; done; }
cleanup() {
	local pid p d n
	tm kill-server 2>/dev/null
	for d in "$TMP"/h*; do
		pid=$(cat "$d/sshd.pid" 2>/dev/null) || continue
		for p in $(descendants "$pid") "$pid"; do kill -9 "$p" 2>/dev/null; done
	done
	for p in "$TMP"/*.pid; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	for d in "$TMP"/e*; do
		[ -S "$d/d.sock" ] && DOCKER_HOST=unix://$d/d.sock docker rm -f $(DOCKER_HOST=unix://$d/d.sock docker ps -aq) >/dev/null 2>&1
		pid=$(cat "$d/dockerd.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null
		n=300; while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; n=$((n - 1)); done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	done
	# what the engines mounted under TMP (their netns/default) goes first
	n=50
	while [ $n -gt 0 ] && grep -q " $TMP/" /proc/mounts; do
		awk -v r="$TMP/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
			while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
		sleep 0.1; n=$((n - 1))
	done
	rm -rf "$TMP" 2>/dev/null || { sleep 1; rm -rf "$TMP"; }
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

hz_tick=$(getconf CLK_TCK)
ticks() { awk -v t="$hz_tick" '{printf "%.0f\n", ($14 + $15) * 1e9 / t}' /proc/"$1"/stat 2>/dev/null; }
pct() { awk -v d="$1" -v s="$SECS" 'BEGIN {printf "%.2f", d / 1e9 / s * 100}'; }

echo "bench-scale-ssh: $HOSTS SSH hosts (127.0.0.175-182), $ENGINES private dockerds x $NCONT containers (host i: engine i % $ENGINES), refresh 2 s, 200x50"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
# ---- the engines --------------------------------------------------------------
start_engine() { # N
	local d=$TMP/e$1 n=300 i
	mkdir -p "$d/data" "$d/exec"
	dockerd --host "unix://$d/d.sock" --data-root "$d/data" --exec-root "$d/exec" \
		--pidfile "$d/dockerd.pid" --iptables=false --ip-forward=false --ip-masq=false \
		--bridge=none --storage-driver=vfs --cgroup-parent "/kt-ssh8-$$-e$1" >"$d/dockerd.log" 2>&1 &
	while [ $n -gt 0 ] && ! DOCKER_HOST=unix://$d/d.sock docker version >/dev/null 2>&1; do sleep 0.1; n=$((n - 1)); done
	[ $n -gt 0 ] || { echo "bench-scale-ssh: dockerd $1 did not start"; return 1; }
	DOCKER_HOST=unix://$LAB_MONK_SOCK docker save "$LAB_IMAGE" | DOCKER_HOST=unix://$d/d.sock docker load >/dev/null || return 1
	for i in $(seq 1 "$NCONT"); do
		DOCKER_HOST=unix://$d/d.sock docker run -d --network host --name "c$(printf %03d "$i")" \
			"$LAB_IMAGE" sleep 86400 >/dev/null || return 1
	done
}
t0=$(date +%s)
pids=
for e in $(seq 0 $((ENGINES - 1))); do start_engine "$e" & pids="$pids $!"; done
for p in $pids; do wait "$p" || { echo "bench-scale-ssh: an engine failed"; exit 1; }; done
echo "engines up with their containers in $(( $(date +%s) - t0 )) s"

# ---- the hosts ------------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -f "$TMP/client_key" || exit 1
mkdir -p /run/sshd
cat >"$TMP/wrap.sh" <<'EOW'
#!/bin/sh
# ForceCommand: log the command, then run it as sshd would
printf '%s\n' "$(printf '%s' "${SSH_ORIGINAL_COMMAND:-<shell>}" | tr '\n' ' ' | cut -c1-120)" >>"$KT_EXEC_LOG"
if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"; fi
exec /bin/sh -l
EOW
chmod 755 "$TMP/wrap.sh"
conf=$TMP/kitetop.conf
printf '[kitetop]\nrefresh = 2\ntimeout = 5\n' >"$conf"
for i in $(seq 0 $((HOSTS - 1))); do
	d=$TMP/h$i ip=127.0.0.$((175 + i)) e=$((i % ENGINES))
	mkdir -p "$d/home"; chmod 700 "$d"
	ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || exit 1
	cp "$TMP/client_key.pub" "$d/authorized_keys"; chmod 600 "$d/authorized_keys"
	port=$(python3 -c "import socket; s=socket.socket(); s.bind(('$ip', 0)); print(s.getsockname()[1])")
	cat >"$d/sshd_config" <<EOC
ListenAddress $ip:$port
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
ForceCommand $TMP/wrap.sh
SetEnv HOME=$d/home KT_EXEC_LOG=$d/execs.log DOCKER_HOST=unix://$d/docker.sock
EOC
	: >"$d/execs.log"
	echo "[$ip]:$port $(cut -d' ' -f1,2 "$d/host_key.pub")" >"$d/known_hosts"
	# the host's engine socket: a counting proxy in front of its dockerd
	python3 "$TOP/tests/support/docker_count_proxy.py" "$d/docker.sock" "$TMP/e$e/d.sock" "$d/requests.log" \
		>"$d/proxy.out" 2>&1 &
	echo $! >"$TMP/proxy$i.pid"
	/usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" || { echo "bench-scale-ssh: sshd $i did not start"; exit 1; }
	cat >>"$conf" <<EOC

[host h$i]
address = $ip
ssh = root@$ip:$port
identity_file = $TMP/client_key
known_hosts = $d/known_hosts
docker = ssh
docker_socket = $d/docker.sock
EOC
done
chmod 600 "$conf"
n=100
while [ $n -gt 0 ]; do
	ok=1
	for i in $(seq 0 $((HOSTS - 1))); do [ -S "$TMP/h$i/docker.sock" ] && [ -s "$TMP/h$i/sshd.pid" ] || ok=0; done
	[ $ok = 1 ] && break
	sleep 0.1; n=$((n - 1))
done
[ $ok = 1 ] || { echo "bench-scale-ssh: the hosts did not start"; exit 1; }

# ---- kitetop beside btop -------------------------------------------------------
tm new-session -d -s kt -x 200 -y 50 "exec $KT -c $conf"
have_btop=0
if command -v btop >/dev/null; then
	mkdir -p "$TMP/btop"
	tm new-session -d -s btop -x 200 -y 50 "exec env HOME=$TMP/btop btop"
	have_btop=1
fi
sleep "${KT_BENCH_WARMUP:-30}"
ktpid=$(tm display-message -p -t kt '#{pane_pid}')
[ "$have_btop" = 1 ] && btpid=$(tm display-message -p -t btop '#{pane_pid}')
for i in $(seq 0 $((HOSTS - 1))); do
	cp "$TMP/h$i/execs.log" "$TMP/h$i/execs.0"; cp "$TMP/h$i/requests.log" "$TMP/h$i/requests.0"
done
k0=$(ticks "$ktpid"); [ "$have_btop" = 1 ] && b0=$(ticks "$btpid")
sleep "$SECS"
k1=$(ticks "$ktpid"); [ "$have_btop" = 1 ] && b1=$(ticks "$btpid")
for i in $(seq 0 $((HOSTS - 1))); do
	cp "$TMP/h$i/execs.log" "$TMP/h$i/execs.1"; cp "$TMP/h$i/requests.log" "$TMP/h$i/requests.1"
done
echo "CPU: kitetop $(pct $((k1 - k0)))% of one core over $SECS s ($(awk -v d=$((k1 - k0)) -v s="$SECS" 'BEGIN {printf "%.1f", d / 1e6 / (s / 2)}') ms of CPU per 2 s refresh)"
if [ "$have_btop" = 1 ]; then
	ratio=$(awk -v k=$((k1 - k0)) -v b=$((b1 - b0)) 'BEGIN {if (b > 0) printf "%.2f", k / b; else print "n/a"}')
	echo "CPU: btop $(pct $((b1 - b0)))% in the same run; kitetop/btop = $ratio"
fi
echo "resident memory: kitetop $(awk '/^VmRSS/ {print $2}' "/proc/$ktpid/status") KiB, $(awk '/^Threads/ {print $2}' "/proc/$ktpid/status") threads"
# where it is: thread stacks (anonymous 8 MiB mappings), malloc's arenas
# (the main heap and the threads' 64 MiB reserves), the rest (code, data)
awk 'function hex(x,  i, n) { n = 0; for (i = 1; i <= length(x); i++) n = n * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1; return n }
     /^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); kb = (hex(r[2]) - hex(r[1])) / 1024
	kind = "other"; if ($6 == "[heap]") kind = "heap"; else if ($6 == "" && kb == 8192) kind = "stacks"
	else if ($6 == "" && kb >= 1024) kind = "arenas"; next }
     /^Rss:/ { rss[kind] += $2 }
     END { printf "resident by kind: thread stacks %d KiB, main heap %d KiB, thread arenas %d KiB, other %d KiB\n", rss["stacks"], rss["heap"], rss["arenas"], rss["other"] }' "/proc/$ktpid/smaps"
[ -n "${SSH8_SMAPS:-}" ] && cp "/proc/$ktpid/smaps" "$SSH8_SMAPS"
# CPU since the start by kind of thread (the names without their host):
# a thread that spins shows here
echo "CPU since the start by kind of thread (ms):"
for f in /proc/"$ktpid"/task/*/stat; do
	sed 's/^[0-9]* (\(.*\)) . \(.*\)/\1 \2/' "$f" 2>/dev/null | awk '{print $1, $12 + $13}'
done | sed 's/^kt:ssh\/[^/ ]*/kt:ssh\/H/; /^kt:ssh\//!s/^kt:[^/ ]*\//kt:H\//' | awk -v hz="$(getconf CLK_TCK)" '
	{ t[$1] += $2 * 1000 / hz; n[$1]++ } END { for (k in t) printf "  %-22s %3d threads %7d\n", k, n[k], t[k] }' | sort -k4 -n -r
echo "execs per host per 2 s refresh, by kind (mean over the $HOSTS hosts; min-max):"
for i in $(seq 0 $((HOSTS - 1))); do
	tail -n +"$(( $(wc -l <"$TMP/h$i/execs.0") + 1 ))" "$TMP/h$i/execs.1" | awk -v h="$i" '
		/@kitetop up/ { print h, "cgroup-read"; next }
		/dial-stdio/ { print h, "docker-dial-stdio"; next }
		/for f in stat meminfo/ { print h, "proc-metrics"; next }
		/tailscale/ { print h, "tailscale"; next }
		{ print h, "other" }'
done >"$TMP/execs.kinds"
for i in $(seq 0 $((HOSTS - 1))); do
	tail -n +"$(( $(wc -l <"$TMP/h$i/requests.0") + 1 ))" "$TMP/h$i/requests.1" | awk -v h="$i" '
		{ p = $3; sub(/^\/v1\.[0-9]+/, "", p); sub(/\?.*/, "", p)
		  n = split(p, a, "/"); if (n >= 3 && a[2] == "containers" && a[3] != "json") a[3] = "ID"
		  e = ""; for (k = 2; k <= n; k++) e = e (k > 2 ? "/" : "") a[k]; print h, "engine:" e }'
done >"$TMP/requests.kinds"
summary() { # FILE: "HOST KIND" lines -> mean, min-max per kind over the hosts, per refresh
	awk -v secs="$SECS" -v hosts="$HOSTS" '
		{ c[$2 " " $1]++; kinds[$2] = 1 }
		END { for (k in kinds) { sum = 0; mn = -1; mx = 0
		        for (h = 0; h < hosts; h++) { r = c[k " " h] / (secs / 2); sum += r
		          if (mn < 0 || r < mn) mn = r; if (r > mx) mx = r }
		        printf "  %-26s %6.2f  (%.2f-%.2f)\n", k, sum / hosts, mn, mx } }' "$1" | sort
}
summary "$TMP/execs.kinds"
echo "requests to each host's engine per 2 s refresh, by endpoint (mean; min-max):"
if [ -s "$TMP/requests.kinds" ]; then summary "$TMP/requests.kinds"; else echo "  none"; fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
tm capture-pane -p -t kt >"$TMP/screen"
grep -q 'c0[0-9][0-9]' "$TMP/screen" || { echo "WARNING: kitetop's screen shows no container:"; cat "$TMP/screen"; }
tm kill-session -t kt
[ "$have_btop" = 1 ] && tm kill-session -t btop
echo "one-shot status --json: running containers with CPU % and memory, per host:"
"$KT" -c "$conf" status --json 2>"$TMP/status.err" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for h in d.get("hosts", []):
    cs = h.get("containers") or []
    run = [c for c in cs if c.get("state") == "running"]
    cpu = sum(c.get("cpu_pct") is not None for c in run)
    mem = sum(c.get("mem_bytes") is not None for c in run)
    print("  %-4s %3d running: %3d with cpu_pct, %3d with mem_bytes" % (h.get("name"), len(run), cpu, mem))
' || { echo "  status --json failed:"; cat "$TMP/status.err"; }
