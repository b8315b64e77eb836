#!/bin/sh
# `kitetop logs HOST CONTAINER [--tail N] [--follow]` against the two-host
# lab, over SSH: the last lines, following, the errors in words.
# Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S /run/kitetop-lab/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf

# the cloudflared stand-in logs every /ready hit; compare with the docker CLI
$KT -c $conf logs monk cloudflared --tail 3 >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "logs --tail 3: exit 0" [ "$rc" = 0 ]
check "logs --tail 3: three lines in all" [ "$(cat "$E2E_TMP/out" "$E2E_TMP/err" | wc -l)" = 3 ]
check "logs: the stand-in's lines" grep -q "response:200" "$E2E_TMP/out" "$E2E_TMP/err"
$KT logs kscloud1 grafana --tail 2 -c $conf >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "logs: -c after the verb, the other host" sh -c "[ $rc = 0 ] && [ \$(cat $E2E_TMP/out $E2E_TMP/err | wc -l) = 2 ]"

timeout 6 $KT -c $conf logs monk cloudflared --tail 0 --follow >"$E2E_TMP/follow" 2>&1 &
pid=$!
# the stand-in logs a line per /ready hit: make some (nothing else may be
# asking it just now), while following
n=50; while [ $n -gt 0 ] && ! grep -q "response:200" "$E2E_TMP/follow"; do
	sleep 0.2; n=$((n-1))
	[ $((n % 5)) = 0 ] && curl -s -o /dev/null --max-time 1 http://127.0.0.2:2000/ready
done
check "logs --follow: new lines arrive" grep -q "response:200" "$E2E_TMP/follow"
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

$KT -c $conf logs monk no-such-container >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "logs: an unknown container exits 1 with a message" sh -c "[ $rc = 1 ] && grep -q 'no such container no-such-container' $E2E_TMP/err"
$KT -c $conf logs nohost grafana >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "logs: an unknown host exits 1 with a message" sh -c "[ $rc = 1 ] && grep -q 'no host called nohost' $E2E_TMP/err"
$KT -c $conf logs monk >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "logs: a missing container is a usage error (2)" sh -c "[ $rc = 2 ] && grep -q 'logs needs a host and a container' $E2E_TMP/err"
e2e_finish
