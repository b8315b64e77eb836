#!/bin/bash
# lab_smoke.sh — checks that every piece of the lab (tests/lab/up) answers as designed.
# Prints "PASS: what" / "FAIL: what" lines; exits 1 when anything failed.
# Needs the lab up (make lab) and root. Stops and starts the cloudflared containers and
# leaves them running and healthy again.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
. "$(cd "$(dirname "$0")/../lab" && pwd)/lib.sh"

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # WHAT CMD... — PASS when CMD succeeds
	local what=$1; shift
	if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}

if [ ! -S "$LAB_RUN/monk/docker.sock" ] || ! lab_docker monk version >/dev/null 2>&1; then
	fail "the lab is not up (run: make lab)"
	exit 1
fi
CURL=(curl -s --max-time 5)

# ---- the two Docker hosts, directly and through SSH ---------------------------------------

for h in $LAB_HOSTS; do
	a=$(lab_addr "$h")
	direct=$(lab_docker "$h" ps -aq --no-trunc | sort)
	remote=$(lab_ssh "$h" docker ps -aq --no-trunc 2>/dev/null | sort)
	if [ -n "$remote" ] && [ "$remote" = "$direct" ]; then
		pass "$h: ssh root@$a docker ps lists the $(echo "$remote" | wc -l) containers of $h's own dockerd"
	else
		fail "$h: ssh root@$a docker ps differs from $LAB_RUN/$h/docker.sock"
	fi
	ping=$(printf 'GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n' |
		lab_ssh "$h" docker system dial-stdio 2>/dev/null | tr -d '\r')
	if echo "$ping" | grep -q '^Api-Version: 1.41' && echo "$ping" | tail -n1 | grep -qx OK; then
		pass "$h: docker system dial-stdio over ssh answers /_ping (API 1.41)"
	else
		fail "$h: docker system dial-stdio over ssh: no /_ping answer"
	fi
	if ssh -F /dev/null -i "$LAB_RUN/operator_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
		-o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null \
		-o StrictHostKeyChecking=yes -o ConnectTimeout=5 "root@$a" true 2>/dev/null; then
		fail "$h: ssh accepted a host it does not know (StrictHostKeyChecking)"
	else
		pass "$h: ssh without the lab's known_hosts refuses the host"
	fi
done

# ---- container states and health paths --------------------------------------------------

for h in $LAB_HOSTS; do
	want=$(lab_containers "$h" | awk '{print $1, $4}' | sort)
	got=$(lab_container_states "$h" | sort)
	if [ "$want" = "$got" ]; then
		pass "$h: $(echo "$got" | wc -l) containers in their designed states"
	else
		fail "$h: container states differ from the design: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	fi
	a=$(lab_addr "$h")
	while read -r n port path exp; do
		[ "$port" = - ] && continue
		code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "http://$a:$port$path")
		case $exp in
		healthy) [ "$code" = 200 ] && pass "$h: $n answers 200 on http://$a:$port$path" ||
			fail "$h: $n answers $code on http://$a:$port$path" ;;
		unhealthy) [ "$code" != 200 ] && pass "$h: $n (designed unhealthy) answers $code on http://$a:$port$path" ||
			fail "$h: $n (designed unhealthy) answers 200" ;;
		exited) [ "$code" = 000 ] && pass "$h: $n (designed exited) does not listen on $a:$port" ||
			fail "$h: $n (designed exited) answers $code on $a:$port" ;;
		esac
	done < <(lab_containers "$h")
done
[ "$(lab_docker monk inspect --format '{{.State.ExitCode}} {{.RestartCount}}' kavita)" = "1 3" ] &&
	pass "monk: kavita exited with code 1 after 3 restarts" ||
	fail "monk: kavita is not exited (1) after 3 restarts"
lab_docker kscloud1 inspect kite-litellm >/dev/null 2>&1 &&
	fail "kscloud1: has kite-litellm (designed monk only)" ||
	pass "kscloud1: has no kite-litellm (monk only)"

declare -A ready_id
for h in $LAB_HOSTS; do
	a=$(lab_addr "$h")
	r=$("${CURL[@]}" "http://$a:2000/ready")
	if echo "$r" | jq -e '.status == 200 and .readyConnections == 4 and
		(.connectorId | test("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))' >/dev/null 2>&1; then
		ready_id[$h]=$(echo "$r" | jq -r .connectorId)
		pass "$h: cloudflared /ready is {status:200, readyConnections:4, connectorId:${ready_id[$h]}}"
	else
		fail "$h: cloudflared /ready answers '$r'"
	fi
done
[ -n "${ready_id[monk]:-}" ] && [ "${ready_id[monk]:-}" != "${ready_id[kscloud1]:-}" ] &&
	pass "each host's connector has its own connectorId" || fail "connectorIds are not distinct"

# ---- Prometheus and node-exporters ------------------------------------------------------

check "monk: prometheus /-/ready on 127.0.0.2:9090" curl -sf --max-time 5 http://127.0.0.2:9090/-/ready
for h in $LAB_HOSTS; do
	a=$(lab_addr "$h")
	check "$h: node-exporter serves node_load1 on $a:9100" \
		bash -c "curl -sf --max-time 5 http://$a:9100/metrics | grep -q '^node_load1 '"
	check "$h: prometheus target $a:9100 is up" bash -c \
		"curl -sf --max-time 5 http://127.0.0.2:9090/api/v1/targets | jq -e '.data.activeTargets[] | select(.labels.instance == \"$a:9100\" and .health == \"up\")'"
done
n=$("${CURL[@]}" --data-urlencode 'query=up{job="node"} == 1' http://127.0.0.2:9090/api/v1/query |
	jq -r '.data.result | length' 2>/dev/null)
[ "$n" = 2 ] && pass "prometheus: up{job=\"node\"} is 1 for both hosts" || fail "prometheus: up{job=\"node\"} == 1 has $n series"

# ---- PostgreSQL and Redis on kscloud1 ---------------------------------------------------

pg=$(PGPASSWORD=$(cat "$LAB_RUN/pg.pass") PGCONNECT_TIMEOUT=5 psql -X -At -h 127.0.0.3 -p 5432 -U kitetop -d postgres -c \
	"SELECT current_setting('server_version_num')::int / 10000,
	        pg_has_role('kitetop', 'pg_monitor', 'member'),
	        (SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database
	          WHERE datname IN ('authentik', 'forgejo'))" 2>&1)
[ "$pg" = "15|t|authentik,forgejo" ] &&
	pass "kscloud1: postgres 15 on 127.0.0.3:5432 (kitetop with pg_monitor; authentik, forgejo)" ||
	fail "kscloud1: postgres answered '$pg'"
bad=$(PGPASSWORD=wrong PGCONNECT_TIMEOUT=5 psql -X -At -h 127.0.0.3 -U kitetop -d postgres -c 'SELECT 1' 2>&1)
echo "$bad" | grep -q 'password authentication failed' &&
	pass "kscloud1: postgres refuses a wrong password" || fail "kscloud1: postgres with a wrong password: $bad"
r=$(REDISCLI_AUTH=$(cat "$LAB_RUN/redis.pass") redis-cli -h 127.0.0.3 -p 6379 ping 2>&1)
[ "$r" = PONG ] && pass "kscloud1: redis PONG on 127.0.0.3:6379" || fail "kscloud1: redis answered '$r'"
r=$(redis-cli -h 127.0.0.3 -p 6379 ping 2>&1)
echo "$r" | grep -q NOAUTH && pass "kscloud1: redis wants AUTH" || fail "kscloud1: redis without AUTH answered '$r'"

# ---- nothing on 127.0.0.1 or the wildcard address ---------------------------------------

leak=
for p in 22 2000 3000 3001 3002 3003 4000 5000 5432 6379 8080 8081 8090 8443 9000 9001 9090 9100 9443; do
	u=$(ss -Hltn "( sport = :$p )" | awk '{print $4}' | grep -Ev '^127\.0\.0\.[23]:' | tr '\n' ' ')
	[ -n "$u" ] && leak="$leak $u"
done
[ -z "$leak" ] && pass "the lab's ports listen on 127.0.0.2 / 127.0.0.3 only" ||
	fail "the lab's ports listen elsewhere too:$leak"

# ---- Authentik stand-in -------------------------------------------------------------------

AK=http://127.0.0.3:9443
AUTH=(-H "Authorization: Bearer $(cat "$LAB_RUN/authentik.token")")
check "authentik stand-in: /-/health/live/ 200" test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' $AK/-/health/live/)" = 200
check "authentik stand-in: /-/health/ready/ 200 (postgres and redis up)" test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' $AK/-/health/ready/)" = 200
check "authentik stand-in: API without a token is 403" test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' $AK/api/v3/admin/version/)" = 403
check "authentik stand-in: API with a wrong token is 403" test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' $AK/api/v3/admin/version/)" = 403
check "authentik stand-in: /api/v3/admin/system/ has runtime.authentik_version, server_time" bash -c \
	"curl -sf --max-time 5 -H 'Authorization: Bearer $(cat "$LAB_RUN/authentik.token")' $AK/api/v3/admin/system/ | jq -e '.runtime.authentik_version and .server_time and (.http_host | type == \"string\")'"
v=$("${CURL[@]}" "${AUTH[@]}" $AK/api/v3/admin/version/ | jq -r '[.version_current, .outdated, .outpost_outdated] | @tsv' 2>/dev/null)
[ -n "$v" ] && pass "authentik stand-in: /api/v3/admin/version/ $(echo $v)" || fail "authentik stand-in: version"
w=$("${CURL[@]}" "${AUTH[@]}" $AK/api/v3/admin/workers/ | jq -r 'map(.worker_id) | join(" ")' 2>/dev/null)
[ -n "$w" ] && pass "authentik stand-in: /api/v3/admin/workers/ $w" || fail "authentik stand-in: workers"
o=$("${CURL[@]}" "${AUTH[@]}" $AK/api/v3/outposts/instances/ | jq -r '.pagination.count as $c | .results[0].pk + " " + ($c | tostring)' 2>/dev/null)
if [ -n "$o" ] && [ "${o#* }" = 1 ]; then
	hl=$("${CURL[@]}" "${AUTH[@]}" "$AK/api/v3/outposts/instances/${o% *}/health/" | jq -r 'map(.hostname) | join(" ")' 2>/dev/null)
	[ "$hl" = "monk kscloud1" ] && pass "authentik stand-in: outpost ${o% *} health lists monk kscloud1" ||
		fail "authentik stand-in: outpost health lists '$hl'"
else
	fail "authentik stand-in: outposts list '$o'"
fi
for h in $LAB_HOSTS; do
	check "$h: authentik container answers /-/health/live/ on $(lab_addr "$h"):9000" \
		test "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "http://$(lab_addr "$h"):9000/-/health/live/")" = 200
done

# ---- Cloudflare stand-in, and its connectors following the cloudflared containers -------

CF=http://127.0.0.2:8443/client/v4/accounts/$LAB_CF_ACCOUNT/cfd_tunnel/$LAB_CF_TUNNEL
CFAUTH=(-H "Authorization: Bearer $(cat "$LAB_RUN/cloudflare.token")")
r=$("${CURL[@]}" -w ' %{http_code}' "$CF")
[ "${r##* }" = 400 ] && echo "${r% *}" | jq -e '.success == false and .errors[0].code == 9106' >/dev/null 2>&1 &&
	pass "cloudflare stand-in: no Authorization is 400 (9106)" || fail "cloudflare stand-in: no Authorization: $r"
r=$("${CURL[@]}" -w ' %{http_code}' -H 'Authorization: Bearer nope' "$CF")
[ "${r##* }" = 403 ] && pass "cloudflare stand-in: a wrong token is 403" || fail "cloudflare stand-in: wrong token: $r"

cf_live() { # prints "origin_ip connector_id live_conns" per connector
	"${CURL[@]}" "${CFAUTH[@]}" "$CF/connections" |
		jq -r '.result[] | [.conns[0].origin_ip, .id, ([.conns[] | select(.is_pending_reconnect | not)] | length)] | @tsv'
}
cf_status() { "${CURL[@]}" "${CFAUTH[@]}" "$CF" | jq -r '.result.status'; }
env_ok=$("${CURL[@]}" "${CFAUTH[@]}" "$CF" | jq -e '.success == true and .errors == [] and .messages == [] and .result.id != null' 2>/dev/null)
[ "$env_ok" = true ] && pass "cloudflare stand-in: tunnel envelope {success, errors, messages, result}" ||
	fail "cloudflare stand-in: tunnel envelope"
[ "$(cf_status)" = healthy ] && pass "cloudflare stand-in: tunnel healthy with both connectors" ||
	fail "cloudflare stand-in: tunnel status $(cf_status)"
want=$(printf '127.0.0.2\t%s\t4\n127.0.0.3\t%s\t4\n' "${ready_id[monk]:-}" "${ready_id[kscloud1]:-}")
[ "$(cf_live | sort)" = "$want" ] &&
	pass "cloudflare stand-in: 2 connectors, 4 live connections each, ids as /ready, origin_ip = host address" ||
	fail "cloudflare stand-in: connectors '$(cf_live | tr '\n\t' '; ')'"

restore() {
	for h in $LAB_HOSTS; do lab_docker "$h" start cloudflared >/dev/null 2>&1; done
}
trap restore EXIT
if lab_ssh kscloud1 docker stop -t 5 cloudflared >/dev/null 2>&1; then
	got=$(cf_live | sort)
	echo "$got" | grep -q "^127.0.0.3	.*	[1-9]" && fail "kscloud1 drained: its connector still has live connections" ||
		pass "kscloud1 drained (ssh docker stop cloudflared): its connector has no live connections"
	echo "$got" | grep -q "^127.0.0.3	${ready_id[kscloud1]:-x}	0$" &&
		pass "kscloud1 drained: its connections stay listed with is_pending_reconnect true" ||
		fail "kscloud1 drained: no pending connections listed for its connector"
	echo "$got" | grep -q "^127.0.0.2	${ready_id[monk]:-x}	4$" && pass "kscloud1 drained: monk's connector still live" ||
		fail "kscloud1 drained: monk's connector is not live: $(echo "$got" | tr '\n\t' '; ')"
	[ "$(cf_status)" = healthy ] && pass "kscloud1 drained: tunnel still healthy" || fail "kscloud1 drained: tunnel $(cf_status)"
	lab_docker monk stop -t 5 cloudflared >/dev/null 2>&1
	[ "$(cf_status)" = down ] && pass "both drained: tunnel down" || fail "both drained: tunnel $(cf_status)"
else
	fail "kscloud1: ssh docker stop cloudflared failed"
fi
lab_docker monk start cloudflared >/dev/null 2>&1
lab_ssh kscloud1 docker start cloudflared >/dev/null 2>&1
trap - EXIT
new=$(LAB_POLL=0.5 wait_until 10 bash -c "curl -sf --max-time 2 http://127.0.0.3:2000/ready >/dev/null" &&
	"${CURL[@]}" http://127.0.0.3:2000/ready | jq -r .connectorId)
[ -n "$new" ] && [ "$new" != "${ready_id[kscloud1]:-}" ] &&
	pass "kscloud1 undrained: cloudflared is back with a new connectorId $new" ||
	fail "kscloud1 undrained: /ready connectorId '$new'"
wait_until 10 bash -c "curl -sf --max-time 2 http://127.0.0.2:2000/ready >/dev/null"
got=$(cf_live | sort)
echo "$got" | grep -q "^127.0.0.3	$new	4$" && echo "$got" | grep -q "^127.0.0.2	.*	4$" &&
	pass "undrained: both connectors live again, kscloud1's with its new id" ||
	fail "undrained: connectors '$(echo "$got" | tr '\n\t' '; ')'"
[ "$(cf_status)" = healthy ] && pass "undrained: tunnel healthy" || fail "undrained: tunnel $(cf_status)"
# Leave the lab as found: wait for both cloudflared healthchecks to pass again.
cf_healthy() {
	[ "$(lab_container_states monk | grep '^cloudflared ')" = "cloudflared healthy" ] &&
		[ "$(lab_container_states kscloud1 | grep '^cloudflared ')" = "cloudflared healthy" ]
}
LAB_POLL=1 wait_until $((LAB_HEALTH_INTERVAL * 3 + 5)) cf_healthy &&
	pass "both cloudflared containers healthy again" || fail "cloudflared containers not healthy again"

[ $fails = 0 ]
