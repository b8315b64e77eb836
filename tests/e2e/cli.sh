#!/bin/sh
# The command line: --version, --help, usage errors, bad configuration,
# `status` and `status --json` on this machine.
. tests/e2e/e2e-lib

check "--version prints the version" sh -c "$KT --version | grep -Eq '^kitetop [0-9]+\.[0-9]+\.[0-9]+$'"
check "--help prints usage and exits 0" sh -c "$KT --help | grep -q 'usage: kitetop'"

$KT --bogus >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "unknown option exits 2" [ "$rc" = 2 ]
check "unknown option: message and usage on stderr" sh -c "grep -q 'kitetop: unknown option --bogus' $E2E_TMP/err && grep -q '^usage:' $E2E_TMP/err"
$KT frobnicate >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "unknown command exits 2" [ "$rc" = 2 ]

printf '[kitetop]\nrefresh = 2\nfrobs = 3\n' >"$E2E_TMP/bad.conf"
$KT -c "$E2E_TMP/bad.conf" status >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "bad config exits 2" [ "$rc" = 2 ]
check "bad config names FILE:LINE" grep -q "^kitetop: $E2E_TMP/bad.conf:3: " "$E2E_TMP/err"
$KT -c "$E2E_TMP/missing.conf" status >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "missing config exits 2 with a message" sh -c "[ $rc = 2 ] && grep -q missing.conf $E2E_TMP/err"

printf '[host here]\n' >"$E2E_TMP/local.conf"
$KT -c "$E2E_TMP/local.conf" status --json >"$E2E_TMP/out.json"; rc=$?
check "status --json exits 0" [ "$rc" = 0 ]
check "status --json is valid JSON" sh -c "python3 -m json.tool $E2E_TMP/out.json >/dev/null"
check "hosts[0].metrics.cpu_pct is a number" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/out.json'))
h = d['hosts'][0]
assert h['name'] == 'here', h
for k in ('cpu_pct', 'mem_pct', 'disk_pct', 'net_rx_bps', 'net_tx_bps', 'load1', 'uptime_s'):
    assert isinstance(h['metrics'][k], (int, float)), (k, h['metrics'])
assert h['metrics']['source'] == 'proc'
assert d['overall'] in ('ok', 'warn', 'crit')
for k in ('services', 'authentik', 'postgres', 'redis', 'cloudflare'):
    assert k in d and d[k] is None, k
"
check "options after the verb work too" sh -c "$KT status --json -c $E2E_TMP/local.conf | python3 -m json.tool >/dev/null"
check "KITETOP_CONFIG is read" sh -c "KITETOP_CONFIG=$E2E_TMP/local.conf $KT status | grep -q '^here'"
check "plain status lists the figures" sh -c "$KT -c $E2E_TMP/local.conf status | grep -Eq '^  cpu +[0-9.]+%'"
check "no terminal: the TUI refuses with a hint" sh -c "$KT -c $E2E_TMP/local.conf </dev/null 2>&1 >/dev/null | grep -q 'needs a terminal'"

out=$($KT -c "$E2E_TMP/local.conf" check); rc=$?
check "check on this machine: one Nagios line, exit 0..2 matching its word" sh -c "
	case '$rc:$out' in 0:'KITETOP OK - 1 host'*|1:'KITETOP WARNING - 1 host: here: '*|2:'KITETOP CRITICAL - 1 host: here: '*) exit 0;; esac; exit 1"
$KT -c "$E2E_TMP/bad.conf" check >"$E2E_TMP/check.out" 2>/dev/null; rc=$?
check "check with a bad config exits 3 (UNKNOWN)" [ "$rc" = 3 ]
check "check with a bad config: the reason on stdout, where Nagios reads it" \
	grep -q "^KITETOP UNKNOWN - $E2E_TMP/bad.conf:3: " "$E2E_TMP/check.out"
check "check: the first line under 200 characters" sh -c "[ \$(printf '%s\n' '$out' | head -n 1 | wc -c) -le 200 ]"
$KT -c "$E2E_TMP/local.conf" status --json >"$E2E_TMP/ec.json"; rc=$?
check "status without --exit-code exits 0 whatever the verdict" [ "$rc" = 0 ]
$KT -c "$E2E_TMP/local.conf" status --json --exit-code >"$E2E_TMP/ec.json"; rc=$?
check "status --exit-code: 0 ok, 1 warn, 2 crit, as its overall says ($rc)" python3 -c "
import json, sys
d = json.load(open('$E2E_TMP/ec.json'))
sys.exit(0 if {'ok': 0, 'warn': 1, 'crit': 2, 'unknown': 3}[d['overall']] == $rc else 1)"
$KT -c "$E2E_TMP/bad.conf" status --exit-code >/dev/null 2>&1; rc=$?
check "status --exit-code with a bad config exits 3 (unknown; 2 is crit there)" [ "$rc" = 3 ]

# examples/kitestacks.conf names Tailscale addresses: it is only parsed (by
# tests/unit/test_examples.c), never polled, so no traffic leaves loopback.

e2e_finish
