#!/bin/sh
# A service's logs from every host (Services view, L), end to end on the
# two-host lab: a container of this test's own, kt-logs-PID, runs on both
# engines and prints "HOST-line N" every 0.2 s.  The Services view selects
# it (j k; the selection stays while a filter keeps it), L shows both hosts'
# lines with their host column in time order; a third host, whose engine
# socket does not exist, shows its error in its place and the others go on;
# the regex search brings an old line back in view, a bad regex says why, w
# saves both hosts' lines to a file in the current directory, Esc goes back.
# Then `kitetop logs SERVICE --all-hosts`, with and without --follow.  The
# containers are removed on the way out.
. tests/e2e/e2e-lib
LAB=/run/kitetop-lab
if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -S $LAB/monk/docker.sock ]; then
	echo "PASS: skipped (the lab is not up)"; e2e_finish; exit 0
fi
C=kt-logs-$$
KTABS=$(cd "$(dirname "$KT")" && pwd)/$(basename "$KT")
dk() { h=$1; shift; docker -H "unix://$LAB/$h/docker.sock" "$@"; }
trap 'for h in monk kscloud1; do dk $h rm -f "$C" >/dev/null 2>&1; done' EXIT
for h in monk kscloud1; do
	dk $h run -d --name "$C" --init --network host kitestacks/busybox:lab \
		sh -c "i=0; while true; do echo \"$h-line \$i\"; i=\$((i+1)); sleep 0.2; done" >/dev/null ||
		fail "cannot create $C on $h"
done
conf=$E2E_TMP/logs.conf
{ printf '[service aa-other-%s]\ncontainer = kt-none-%s\n\n' $$ $$
  printf '[service %s]\ncontainer = %s\n\n' "$C" "$C"
  lab_host monk 127.0.0.2 ssh $LAB/monk/docker.sock; echo
  lab_host kscloud1 127.0.0.3 ssh $LAB/kscloud1/docker.sock; echo
  lab_host zbroken 127.0.0.3 ssh $LAB/no-such-engine-$$.sock; } >"$conf"
mkdir -p "$E2E_TMP/cwd"

# lines "HOST  HH:MM:SS.mmm  HOST-line N" of the screen, as "HOST TIME TEXTHOST N"
rows() { screen lg | sed -n 's/^[^a-z]*\(monk\|kscloud1\) \+\([0-9:.]\{12\}\) \+\([a-z0-9]*\)-line \([0-9]*\).*/\1 \2 \3 \4/p'; }
in_order() { rows | awk '$2 < last { bad = 1 } { last = $2 } END { exit bad }'; }
host_matches() { rows | awk '$1 != $3 { bad = 1 } END { exit bad }'; }
both_hosts() { r=$(rows); echo "$r" | grep -q '^monk ' && echo "$r" | grep -q '^kscloud1 '; }

e2e_start lg 140 40 "cd $E2E_TMP/cwd && exec $KTABS -c $conf"
tm send-keys -t lg 2
check "the Services view lists the service" wait_for lg "$C" 15
check "... running on both hosts" wait_re lg "running.*running" 15
# the selection: the second row, kept while a filter that matches both rows
# is typed (the first row would be the default)
tm send-keys -t lg j / -
check "the filter is typed" wait_for lg "filter: -" 3
tm send-keys -t lg Enter L
check "L: the service's logs on 3 hosts (one without an engine)" wait_for lg "logs: $C on 3 hosts" 5
check "the failed host's error in its place" wait_re lg "zbroken +[^ ]" 10
check "lines from monk with its host column" wait_re lg "monk +[0-9:.]{12} +monk-line" 10
check "lines from kscloud1 with its host column" wait_re lg "kscloud1 +[0-9:.]{12} +kscloud1-line" 10
sleep 6
check "both hosts on one screen" both_hosts
check "each line's host column is its host" host_matches
check "the lines are in time order" in_order
# footer_has TEXT: within 5 s (a toast takes the footer for 3 s)
footer_has() {
	n=100
	while [ $n -gt 0 ]; do
		screen lg | tail -1 | grep -qF -- "$1" && return 0
		sleep 0.05; n=$((n - 1))
	done
	return 1
}
check "the footer shows since 10m" footer_has "since 10m"

tm send-keys -t lg / 'kscloud1-line 3$' Enter
check "the regex search brings an old line in view" wait_re lg "kscloud1 +[0-9:.]{12} +kscloud1-line 3( |$)" 3
tm send-keys -t lg / '(' Enter
check "a bad regex says why" wait_for lg "bad regex" 3

tm send-keys -t lg w
check "w says where it saved" wait_for lg "saved " 3
f=$(ls "$E2E_TMP/cwd"/kitetop-logs-"$C"-*.txt 2>/dev/null | head -1)
check "the saved file is in the current directory" [ -n "$f" ]
check "... with monk's lines" grep -Eq "^monk +[0-9T:.Z-]+  monk-line" "$f"
check "... and kscloud1's" grep -Eq "^kscloud1 +[0-9T:.Z-]+  kscloud1-line" "$f"
check "... in time order" sh -c "awk '{ print \$2 }' '$f' | sort -c"

tm send-keys -t lg v
check "v: a column per host" wait_re lg "monk +kscloud1 *" 3
tm send-keys -t lg v ']'
check "]: since 1h, in the footer" footer_has "since 1h"
tm send-keys -t lg Escape
check "Esc returns to the Services view" wait_for lg "SERVICE" 3
tm send-keys -t lg Escape k L
check "k then L: the first service, which no working host runs, opens on the failed one" wait_for lg "logs: aa-other-$$ on 1 host" 5
tm send-keys -t lg Escape
tm send-keys -t lg q

# the command line
$KT -c "$conf" logs "$C" --all-hosts --since 1m >"$E2E_TMP/out" 2>"$E2E_TMP/err"; rc=$?
check "logs --all-hosts: exit 0 (one host of three failed)" [ "$rc" = 0 ]
check "logs --all-hosts: the failed host on stderr" grep -q "^kitetop: zbroken: " "$E2E_TMP/err"
check "logs --all-hosts: monk's lines with a host prefix" grep -Eq "^monk +[0-9T:.Z-]+  monk-line" "$E2E_TMP/out"
check "logs --all-hosts: kscloud1's lines" grep -Eq "^kscloud1 +[0-9T:.Z-]+  kscloud1-line" "$E2E_TMP/out"
check "logs --all-hosts: in time order" sh -c "awk '{ print \$2 }' '$E2E_TMP/out' | sort -c"
timeout 4 $KT -c "$conf" logs "$C" --all-hosts --since 5s --follow >"$E2E_TMP/fol" 2>/dev/null
check "logs --all-hosts --follow: both hosts' new lines" sh -c "grep -q '^monk ' '$E2E_TMP/fol' && grep -q '^kscloud1 ' '$E2E_TMP/fol'"
check "logs --all-hosts --follow: in time order" sh -c "awk '{ print \$2 }' '$E2E_TMP/fol' | sort -c"

# One host reached seconds after the other (its SSH through a proxy that
# delays every chunk 150 ms: the handshake's round trips take seconds): its
# backlog comes late, and must still be merged in time order, not printed
# after the first host's newer lines.
SLA=127.0.0.197
python3 tests/lab/slowlink.py --listen $SLA:2222 --target 127.0.0.3:22 --delay 150 \
	--pidfile "$E2E_TMP/sl.pid" 2>"$E2E_TMP/sl.log" &
n=100; while [ ! -s "$E2E_TMP/sl.pid" ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
trap 'for h in monk kscloud1; do dk $h rm -f "$C" >/dev/null 2>&1; done
	[ -s "$E2E_TMP/sl.pid" ] && kill "$(cat "$E2E_TMP/sl.pid")" 2>/dev/null' EXIT
{ cat $LAB/known_hosts; awk -v a="[$SLA]:2222" '$1 == "127.0.0.3" { print a, $2, $3 }' $LAB/known_hosts; } \
	>"$E2E_TMP/kh"
{ printf '[service %s]\ncontainer = %s\n\n' "$C" "$C"
  lab_host monk 127.0.0.2 ssh $LAB/monk/docker.sock; echo
  lab_host kscloud1 127.0.0.3 ssh $LAB/kscloud1/docker.sock |
	sed -e "s|^ssh = .*|ssh = root@$SLA:2222|" -e "s|^known_hosts = .*|known_hosts = $E2E_TMP/kh|"; } \
	>"$E2E_TMP/slow.conf"
timeout 8 $KT -c "$E2E_TMP/slow.conf" logs "$C" --all-hosts --since 5s --follow \
	>"$E2E_TMP/slowfol" 2>"$E2E_TMP/slowerr"
check "logs --all-hosts --follow, one host slow to reach: both hosts' lines" \
	sh -c "grep -q '^monk ' '$E2E_TMP/slowfol' && grep -q '^kscloud1 ' '$E2E_TMP/slowfol'"
check "logs --all-hosts --follow, one host slow to reach: in time order" \
	sh -c "awk '{ print \$2 }' '$E2E_TMP/slowfol' | sort -c"
[ -s "$E2E_TMP/sl.pid" ] && kill "$(cat "$E2E_TMP/sl.pid")" 2>/dev/null

$KT -c "$conf" logs nosuch --all-hosts >/dev/null 2>"$E2E_TMP/err"; rc=$?
check "logs --all-hosts: an unknown service exits 1 with a message" sh -c "[ $rc = 1 ] && grep -q 'no \[service nosuch\]' '$E2E_TMP/err'"
e2e_finish
