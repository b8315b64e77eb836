#!/bin/sh
# status_schema.sh — `kitetop status --json` checked against docs/status.schema.json
# (JSON Schema 2020-12) with python3-jsonschema: this machine's document, one with
# every shared section failing (nothing listens on their ports), and the real
# two-host lab's (read only) when the lab is up.  Also: the schema is itself a
# valid 2020-12 schema, and a document with a field of the wrong type is refused
# (the check can fail).  Without python3-jsonschema it skips, loudly, except
# under CI, where it fails (tests/lab/install-deps installs it).
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
SCHEMA=docs/status.schema.json
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
passes=0; fails=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() { echo "integration status_schema.sh: $passes passed, $fails failed"; [ "$fails" -eq 0 ]; exit $?; }

if ! python3 -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then
	if [ -n "${CI:-}" ]; then
		fail "python3-jsonschema (2020-12) is missing: tests/lab/install-deps build installs it"
	else
		echo "SKIP: *** python3-jsonschema is not installed: the status JSON schema is NOT checked (apt-get install python3-jsonschema) ***"
	fi
	finish
fi
unset KITETOP_CONFIG
export XDG_STATE_HOME="$TMP/state"

# validate FILE: 0 when FILE is valid, else the errors on stdout
validate() {
	python3 - "$SCHEMA" "$1" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:10]:
    print("  %s: %s" % ("/".join(str(p) for p in e.path) or "(root)", e.message[:300]))
sys.exit(1 if errors else 0)
PY
}
check_doc() { # WHAT FILE
	if out=$(validate "$2"); then pass "$1"; else fail "$1"; echo "$out"; fi
}

if python3 -c "
import json, sys
from jsonschema import Draft202012Validator
Draft202012Validator.check_schema(json.load(open('$SCHEMA')))" 2>"$TMP/schema.err"; then
	pass "docs/status.schema.json is a valid JSON Schema 2020-12"
else
	fail "docs/status.schema.json is not a valid schema: $(head -c 400 "$TMP/schema.err")"
fi

# this machine, no shared section
printf '[kitetop]\nrefresh = 0.5\ntimeout = 2\n[host here]\n' >"$TMP/local.conf"
$KT -c "$TMP/local.conf" status --json >"$TMP/local.json"
check_doc "this machine's status --json matches the schema" "$TMP/local.json"
if python3 -c "import json,sys; sys.exit(0 if json.load(open('$TMP/local.json'))['schema'] == 2 else 1)"; then
	pass "\"schema\": 2"
else
	fail "\"schema\" is not 2"
fi

# every shared section configured and failing: their errors, their figures null
cat >"$TMP/failing.conf" <<'CONF'
[kitetop]
timeout = 2
[host here]
[service web]
container = web
health = http://127.0.0.121:9/
[redis]
address = 127.0.0.121:9
[postgres]
conninfo = host=127.0.0.121 port=9 dbname=x user=x connect_timeout=2
[authentik]
url = http://127.0.0.121:9
CONF
$KT -c "$TMP/failing.conf" status --json >"$TMP/failing.json"
check_doc "status --json with its shared sources failing matches the schema" "$TMP/failing.json"

# the recorded documents the unit tests read frames from (tests/fixtures/frames)
for f in tests/fixtures/frames/kitestacks-lab.json tests/fixtures/frames/kitestacks-lab-degraded.json \
	tests/fixtures/frames/axiomlayer.json; do
	check_doc "the recorded $(basename "$f") matches the schema" "$f"
done

# the check can fail: a wrong type is refused
python3 -c "
import json
d = json.load(open('$TMP/local.json'))
d['hosts'][0]['reachable'] = 'yes'
json.dump(d, open('$TMP/bad.json', 'w'))"
if validate "$TMP/bad.json" >/dev/null; then
	fail "a document with reachable = \"yes\" passed the schema"
else
	pass "a document with reachable = \"yes\" is refused"
fi

# the real lab, read only
if [ -S tests/lab/run/monk/docker.sock ] && [ "${KT_LAB_UP:-1}" != 0 ]; then
	$KT -c examples/kitestacks-lab.conf status --json >"$TMP/lab.json"
	check_doc "the two-host lab's status --json matches the schema" "$TMP/lab.json"
	if python3 -c "
import json, sys
d = json.load(open('$TMP/lab.json'))
assert [h['name'] for h in d['hosts']] == ['monk', 'kscloud1']
assert all(h['containers'] for h in d['hosts'])
for k in ('services', 'authentik', 'postgres', 'redis', 'cloudflare'):
    assert d[k] is not None, k
"; then
		pass "the lab's document has every section (the schema saw them all)"
	else
		fail "the lab's document lacks a section"
	fi
else
	echo "SKIP: the lab is not up (make lab): its document is not checked"
fi
finish
