# tests/lab/lib.sh — shared definitions and functions of the two-host KiteStacks lab.
# Sourced by tests/lab/up, tests/lab/down and tests/integration/lab_smoke.sh (bash).
#
# Everything the lab runs listens on 127.0.0.2 (monk) or 127.0.0.3 (kscloud1) only;
# its state lives under tests/lab/run/ (gitignored); /run/kitetop-lab is a symlink to
# that directory, so that configuration files can name stable absolute paths.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_RUN=$LAB_DIR/run
LAB_LINK=/run/kitetop-lab
LAB_PY=/usr/bin/python3
LAB_HOSTS="monk kscloud1"
LAB_IMAGE=kitestacks/busybox:lab
LAB_API=v1.41
# Healthcheck of the containers (seconds). Every check is a runc exec, which costs about
# as much CPU as starting a container: 25 containers every 2 s saturate 2 loaded cores
# (see README.md). Docker 20.10 has no start interval: the first check comes one interval
# after the start, "unhealthy" after RETRIES failed checks.
LAB_HEALTH_INTERVAL=${LAB_HEALTH_INTERVAL:-10}
LAB_HEALTH_TIMEOUT=${LAB_HEALTH_TIMEOUT:-5}
LAB_HEALTH_RETRIES=${LAB_HEALTH_RETRIES:-2}
# Cloudflare identifiers of the lab's tunnel (what examples/kitestacks-lab.conf names).
LAB_CF_ACCOUNT=0123abcd4567ef890123abcd4567ef89
LAB_CF_TUNNEL=6ff42ae2-765d-4adf-8112-31c55c1551ef
LAB_PG_BIN=/usr/lib/postgresql/15/bin

lab_addr() {
	case $1 in
	monk) echo 127.0.0.2 ;;
	kscloud1) echo 127.0.0.3 ;;
	*) echo "lab: unknown host $1" >&2; return 1 ;;
	esac
}

# The containers of each host, one line each:
#   NAME PORT HEALTH_PATH EXPECTED
# EXPECTED is what `up` waits for: healthy, unhealthy, none (running without a
# healthcheck) or exited. HEALTH_PATH "-" means no HTTP server and no healthcheck.
lab_containers() {
	local h=$1
	echo "homepage 8080 / healthy"
	echo "authentik 9000 /-/health/ready/ healthy"
	echo "forgejo 3000 /api/healthz healthy"
	echo "kite-openwebui 8081 /health healthy"
	if [ "$h" = kscloud1 ]; then
		echo "karakeep 3001 /api/health unhealthy"
	else
		echo "karakeep 3001 /api/health healthy"
	fi
	if [ "$h" = monk ]; then
		echo "kavita 5000 /api/health exited"
	else
		echo "kavita 5000 /api/health healthy"
	fi
	echo "grafana 3002 /api/health healthy"
	echo "uptime-kuma 3003 / healthy"
	echo "cloudflared 2000 /ready healthy"
	[ "$h" = monk ] && echo "kite-litellm 4000 /health/liveliness healthy"
	echo "portainer 9001 /api/system/status healthy"
	echo "kitestacks-metrics-api 8090 /health healthy"
	echo "watchtower - - none"
	return 0
}

lab_container_names() {
	lab_containers "$1" | awk '{print $1}'
}

# All names any host may have (down removes these by name).
lab_all_container_names() {
	{ lab_container_names monk; lab_container_names kscloud1; } | sort -u
}

lab_docker() { # HOST ARGS... — the docker CLI against that host's own engine
	local h=$1; shift
	DOCKER_HOST=unix://$LAB_RUN/$h/docker.sock docker "$@"
}

lab_ssh() { # HOST COMMAND... — ssh as the lab's operator into that host
	local h=$1; shift
	ssh -F /dev/null -i "$LAB_RUN/operator_ed25519" -o IdentitiesOnly=yes \
		-o UserKnownHostsFile="$LAB_RUN/known_hosts" -o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
		-o LogLevel=ERROR "root@$(lab_addr "$h")" "$@"
}

lab_secret() { # FILE — creates FILE (0600) with a random secret once
	[ -s "$1" ] && return 0
	(umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$1")
}

lab_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
lab_t0=${lab_t0:-$(lab_ms)}
lab_say() {
	local e=$(($(lab_ms) - lab_t0))
	printf 'lab [%3d.%ds] %s\n' $((e / 1000)) $((e % 1000 / 100)) "$*"
}

lab_fail() { # PIECE LOG MESSAGE
	printf 'lab: FAILED: %s: %s (log: %s)\n' "$1" "$3" "$2" >&2
	if [ -f "$2" ]; then
		tail -n 5 "$2" | sed 's/^/lab:   | /' >&2
	fi
}

# pid_alive PIDFILE PATTERN — true when the pid in PIDFILE is a live (not zombie)
# process whose command line contains PATTERN (so a recycled pid is never taken for ours).
pid_alive() {
	local pid st
	[ -s "$1" ] || return 1
	pid=$(head -n1 "$1" 2>/dev/null | tr -dc 0-9)
	[ -n "$pid" ] || return 1
	[ -r "/proc/$pid/stat" ] || return 1
	st=$(sed 's/^.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)
	[ "$st" = Z ] && return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}

pid_of() { head -n1 "$1" 2>/dev/null | tr -dc 0-9; }

# stop_pid NAME PIDFILE PATTERN [TIMEOUT] — SIGTERM, wait, then SIGKILL; only our own.
stop_pid() {
	local name=$1 file=$2 pat=$3 t=${4:-15} pid i
	if ! pid_alive "$file" "$pat"; then
		rm -f "$file"
		return 0
	fi
	pid=$(pid_of "$file")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while pid_alive "$file" "$pat"; do
		i=$((i + 1))
		if [ $i -gt $((t * 10)) ]; then
			lab_say "$name (pid $pid) did not stop in ${t}s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null
			sleep 0.2
			break
		fi
		sleep 0.1
	done
	rm -f "$file"
	lab_say "stopped $name (pid $pid)"
}

# start_bg PIDFILE LOG CMD... — starts CMD detached (own session), stdout+stderr to LOG.
start_bg() {
	local pidf=$1 log=$2; shift 2
	setsid "$@" </dev/null >>"$log" 2>&1 &
	echo $! >"$pidf"
}

# wait_until TIMEOUT CMD... — polls CMD every 0.1 s (every $LAB_POLL s when set)
# until it succeeds or TIMEOUT seconds have passed.
wait_until() {
	local t=$1 end; shift
	end=$(($(lab_ms) + t * 1000))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(lab_ms)" -ge "$end" ] && return 1
		sleep "${LAB_POLL:-0.1}"
	done
	return 0
}

# port_user ADDR PORT — prints "pid=N(cmd)" of whoever listens on ADDR:PORT or on the
# wildcard address for PORT, nothing when the port is free.
port_user() {
	ss -Hltnp "( sport = :$2 )" 2>/dev/null | awk -v a="$1:$2" -v p=":$2" '
		$4 == a || $4 == "0.0.0.0" p || $4 == "*" p || $4 == "[::]" p {
			u = $0; sub(/.*users:/, "", u); print $4 " " u; exit }'
}

# port_free_or_ours ADDR PORT PIECE — fails with a message when someone else holds it.
port_check() {
	local u
	u=$(port_user "$1" "$2")
	if [ -n "$u" ]; then
		echo "lab: FAILED: $3: $1:$2 is already in use by $u" >&2
		return 1
	fi
}

# Health of a container as `docker ps` shows it: healthy, unhealthy, starting, none,
# or the state (exited, restarting, created ...) when it is not running.
lab_container_states() { # HOST — prints "NAME STATE" lines
	lab_docker "$1" ps -a --format '{{.Names}} {{.State}} {{.Status}}' 2>/dev/null |
		awk '{ s = $2
		       if (s == "running") {
		         s = "none"
		         if ($0 ~ /\(healthy\)/) s = "healthy"
		         else if ($0 ~ /\(unhealthy\)/) s = "unhealthy"
		         else if ($0 ~ /health: starting/) s = "starting"
		       }
		       print $1, s }'
}
