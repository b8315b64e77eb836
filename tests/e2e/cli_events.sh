#!/bin/sh
# `kitetop events [--since WHEN] [--host H] [--json]` over an event log and
# an audit log written here (a temporary XDG_STATE_HOME): the text and JSON
# forms, the filters, the notes on stderr, the exit statuses.  No lab.
. tests/e2e/e2e-lib

export XDG_STATE_HOME="$E2E_TMP/state"
printf '[host here]\n' >"$E2E_TMP/kt.conf"
ev() { $KT -c "$E2E_TMP/kt.conf" events "$@"; }

ev >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "no log yet: exit 0, nothing on stdout" sh -c "[ $rc = 0 ] && [ ! -s $E2E_TMP/out ]"
check "no log yet: says so" grep -q "^kitetop: no events recorded yet in $XDG_STATE_HOME/kitetop/events.jsonl" "$E2E_TMP/err"

# events 2 h, 30 min and 5 min ago, a line that is not one, a control
# character in a field; an action 10 min ago in the audit log
mkdir -p "$XDG_STATE_HOME/kitetop"
python3 - "$XDG_STATE_HOME/kitetop" <<'PY'
import json, sys, time
d = sys.argv[1]
def at(ago):
    t = time.time() - ago
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".250Z"
def ev(ago, host, obj, frm, to, detail=""):
    return json.dumps({"time": at(ago), "kind": "container", "level": "crit", "host": host,
                       "object": obj, "from": frm, "to": to, "detail": detail, "id": ""},
                      separators=(",", ":"))
with open(d + "/events.jsonl", "w") as f:
    f.write(ev(7200, "monk", "kavita", "running", "exited (1)", "OOM") + "\n")
    f.write("this is not an event\n")
    f.write(ev(1800, "kscloud1", "grafana", "running", "exited (137)") + "\n")
    f.write(ev(300, "monk", "evil\x1b[2J", "exited (1)", "running") + "\n")
with open(d + "/audit.log", "w") as f:
    f.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 600)),
                        "id": "1-2-3", "user": "kite", "hostname": "laptop", "host": "monk",
                        "target": "kavita", "action": "restart", "forced": False,
                        "result": "failed", "error": "timed out", "duration_ms": 5}) + "\n")
PY

ev >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "events: exit 0" [ "$rc" = 0 ]
check "events: four lines, oldest first" python3 -c "
lines = open('$E2E_TMP/out', encoding='utf-8').read().splitlines()
assert len(lines) == 4, lines
assert 'kavita  running → exited (1)  (OOM)' in lines[0], lines[0]
assert 'kscloud1  grafana' in lines[1], lines[1]
assert 'monk  action kavita  restart failed  (in 5 ms: timed out)' in lines[2], lines[2]
assert 'evil?[2J' in lines[3], lines[3]
"
check "events: local time first" grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}  monk  kavita' "$E2E_TMP/out"
check "events: no escape sequence of a field reaches the terminal" sh -c "! grep -q \"\$(printf '\033')\" $E2E_TMP/out"
check "events: the skipped line counted on stderr" grep -qx "kitetop: 1 line of events.jsonl was not an event (skipped)" "$E2E_TMP/err"
check "events: ASCII arrow without a UTF-8 locale" sh -c "LC_ALL=C $KT -c $E2E_TMP/kt.conf events 2>/dev/null | grep -q 'running -> exited (1)'"

check "--since 1h: the last three" sh -c "[ \$($KT -c $E2E_TMP/kt.conf events --since 1h 2>/dev/null | wc -l) = 3 ]"
check "--since 15m --host monk: the action and an event" sh -c "$KT -c $E2E_TMP/kt.conf events --since 15m --host monk 2>/dev/null >$E2E_TMP/one && [ \$(wc -l <$E2E_TMP/one) = 2 ]"
check "--host kscloud1: its event only" sh -c "[ \"\$($KT -c $E2E_TMP/kt.conf events --host kscloud1 2>/dev/null | wc -l)\" = 1 ]"
ev --since 1m --host nowhere >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "nothing matches: exit 0 and a note" sh -c "[ $rc = 0 ] && grep -q '^kitetop: no events since 1m of host nowhere in' $E2E_TMP/err"

ev --json >"$E2E_TMP/out.json" 2>/dev/null; rc=$?
check "--json: exit 0" [ "$rc" = 0 ]
check "--json: an array of the log lines' fields" python3 -c "
import json
a = json.load(open('$E2E_TMP/out.json'))
assert len(a) == 4, a
for e in a:
    assert set(e) == {'time', 'kind', 'level', 'host', 'object', 'from', 'to', 'detail', 'id'}, e
assert a[0]['time'].endswith('.250Z') and a[0]['detail'] == 'OOM'
assert a[2]['kind'] == 'action' and a[2]['level'] == 'warn' and a[2]['id'] == '1-2-3'
assert a[3]['object'] == 'evil\x1b[2J'
"
check "--json with nothing: []" sh -c "[ \"\$($KT -c $E2E_TMP/kt.conf events --json --host nowhere 2>/dev/null)\" = '[]' ]"

ev --since yesterday >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "bad --since: exit 2 with a message" sh -c "[ $rc = 2 ] && grep -q '^kitetop: --since yesterday: not a duration' $E2E_TMP/err"
mv "$XDG_STATE_HOME/kitetop/events.jsonl" "$XDG_STATE_HOME/kitetop/old"
mkdir "$XDG_STATE_HOME/kitetop/events.jsonl"
ev >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "unreadable log: exit 1 with the reason" sh -c "[ $rc = 1 ] && grep -q '^kitetop: cannot read .*events.jsonl' $E2E_TMP/err"
check "--help lists events" sh -c "$KT --help | grep -q '^  events '"

e2e_finish
