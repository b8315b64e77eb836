#!/bin/sh
# An engine on this machine: kitetop opens the cgroup files of the rows it
# shows with their figures, and of every container only while the rows are
# sorted by CPU or memory (that order needs them all).  2 fake Docker
# engines of 60 containers (bench/scale/fake_dockerd.py, cgroup v1 files in
# a private tree, KITETOP_CGROUP_ROOT), 200x50: fake0's column shows ~38 of
# its 59 running containers.  Who opened what is seen with inotify
# (tests/support/cgroup_opens.py) on the memory files, which the fake
# writes once.  A row scrolled onto the screen gets its memory and then
# its CPU %.  The fake engines are stopped by their pid.
. tests/e2e/e2e-lib
FAKE=$E2E_TMP/fake
mkdir -p "$FAKE"
trap '[ -s "$FAKE/pid" ] && kill "$(cat "$FAKE/pid")" 2>/dev/null; e2e_finish >/dev/null' EXIT
python3 bench/scale/fake_dockerd.py --dir "$FAKE" --hosts 2 --containers 60 --pidfile "$FAKE/pid" \
	--cgroup-root "$FAKE/cg/fake%d" >"$E2E_TMP/fake.log" 2>&1 &
n=100
while [ "$n" -gt 0 ] && ! { [ -S "$FAKE/engine-1.sock" ] && [ -s "$FAKE/pid" ]; }; do sleep 0.05; n=$((n - 1)); done
conf=$E2E_TMP/fake.conf
printf '[kitetop]\nrefresh = 1\ntimeout = 5\n\n[host fake0]\ndocker = unix://%s/engine-0.sock\n\n[host fake1]\ndocker = unix://%s/engine-1.sock\n' \
	"$FAKE" "$FAKE" >"$conf"
# fake0's containers: "ID NAME STATE", from the engine itself
curl -s --max-time 5 --unix-socket "$FAKE/engine-0.sock" 'http://fake/v1.41/containers/json?all=1' |
	python3 -c 'import json, sys
for c in json.load(sys.stdin): print(c["Id"], c["Names"][0][1:], c["State"])' >"$E2E_TMP/list"
check "fake0 has 60 containers, 59 running" test "$(wc -l <"$E2E_TMP/list")" -eq 60 -a \
	"$(grep -c ' running$' "$E2E_TMP/list")" -eq 59

e2e_start f 200 50 "env KITETOP_CGROUP_ROOT=$FAKE/cg/%h $KT -c $conf"
check "the rows show memory read from the files" wait_re f '┃● svc-001 .* [0-9]+ MiB┃' 15
check "... and a CPU %" wait_re f '┃● svc-001 .* [0-9.]+% +[0-9]+ MiB┃' 5

# opens SECONDS FILE: fake0's containers whose files were opened meanwhile
opens() { python3 tests/support/cgroup_opens.py "$FAKE/cg/fake0" "$1" >"$2"; }
# shown FILE: the names in fake0's column (its left half) now
shown() { screen f | grep '^┃' | cut -c1-40 | grep -oE '(svc|job)-[0-9]{3}' | sort -u >"$1"; }
# ids_of NAMES-FILE: their ids
ids_of() { while read -r name; do grep " $name " "$E2E_TMP/list" | cut -d' ' -f1; done <"$1" | sort; }

shown "$E2E_TMP/shown1"
opens 3 "$E2E_TMP/opens1"
shown "$E2E_TMP/shown1b"
ids_of "$E2E_TMP/shown1" >"$E2E_TMP/shown1.ids"
cut -d' ' -f1 "$E2E_TMP/opens1" | grep -v '^watched' | sort >"$E2E_TMP/opens1.ids"
check "the watch saw every running container's directory" grep -qx 'watched 59' "$E2E_TMP/opens1"
check "fake0's column shows some of its containers, not all ($(wc -l <"$E2E_TMP/shown1") rows)" \
	test "$(wc -l <"$E2E_TMP/shown1")" -ge 20 -a "$(wc -l <"$E2E_TMP/shown1")" -lt 59
check "the same rows through the watch" cmp -s "$E2E_TMP/shown1" "$E2E_TMP/shown1b"
check "the files of the rows on screen were read ($(wc -l <"$E2E_TMP/opens1.ids") containers)" \
	test "$(wc -l <"$E2E_TMP/opens1.ids")" -ge 20
check "no other container's files were opened" \
	test -z "$(comm -23 "$E2E_TMP/opens1.ids" "$E2E_TMP/shown1.ids")"

# by memory: every container's, and the first row is the one using most
tm send-keys -t f o o o
check "o o o: by memory" wait_re f 'CPU +MEM▼┃' 5
opens 3 "$E2E_TMP/opens2"
check "by memory: all 59 running containers' files read" \
	test "$(grep -vc '^watched' "$E2E_TMP/opens2")" -eq 59
# the 8 using most (memory less inactive file pages, as docker stats)
for d in "$FAKE"/cg/fake0/memory/docker/*/; do
	u=$(cat "$d/memory.usage_in_bytes"); i=$(sed -n 's/^total_inactive_file //p' "$d/memory.stat")
	echo "$((u - i)) $(basename "$d")"
done | sort -n | tail -n8 | sort -rn | while read -r _ id; do grep "^$id " "$E2E_TMP/list" | cut -d' ' -f2; done \
	>"$E2E_TMP/top8"
# first_rows: fake0's first 8 rows under its header
first_rows() { screen f | grep -A8 'CONTAINER' | sed -n 2,9p | cut -c1-40 | grep -oE '(svc|job)-[0-9]{3}'; }
n=100
while [ "$n" -gt 0 ] && [ "$(first_rows)" != "$(cat "$E2E_TMP/top8")" ]; do sleep 0.05; n=$((n - 1)); done
check "by memory: fake0's first 8 rows are the 8 using most, in order ($(tr '\n' ' ' <"$E2E_TMP/top8"))" \
	test "$(first_rows)" = "$(cat "$E2E_TMP/top8")"
check "... some of which were off screen before ($(comm -23 "$(sort "$E2E_TMP/top8" >"$E2E_TMP/top8s"; echo "$E2E_TMP/top8s")" "$E2E_TMP/shown1" | tr '\n' ' '))" \
	test -n "$(comm -23 "$E2E_TMP/top8s" "$E2E_TMP/shown1")"

# back to an order that needs no figures: the rows' files only again
tm send-keys -t f o
check "o: by restarts" wait_re f 'RS▼ +CPU +MEM┃' 5
opens 3 "$E2E_TMP/opens3"
shown "$E2E_TMP/shown3"
ids_of "$E2E_TMP/shown3" >"$E2E_TMP/shown3.ids"
cut -d' ' -f1 "$E2E_TMP/opens3" | grep -v '^watched' | sort >"$E2E_TMP/opens3.ids"
check "by restarts: the rows' files only again" \
	test "$(wc -l <"$E2E_TMP/opens3.ids")" -lt 59 -a -z "$(comm -23 "$E2E_TMP/opens3.ids" "$E2E_TMP/shown3.ids")"

# scrolled: the rows that come on screen get their memory, then their CPU %
tm send-keys -t f o o
check "o o: the default order again" wait_re f 'CONTAINER +STATE +UP RST +CPU +MEM┃' 5
last=$(comm -13 "$E2E_TMP/shown1" "$(cut -d' ' -f2 "$E2E_TMP/list" | sort >"$E2E_TMP/all"; echo "$E2E_TMP/all")" |
	grep -v '^svc-013$' | tail -n1)
tm send-keys -t f NPage NPage
check "PgDn: $last, off screen at first, comes on screen" wait_re f "┃. $last " 5
check "$last: its memory" wait_re f "┃. $last .* [0-9]+ MiB┃" 5
check "$last: then its CPU %" wait_re f "┃. $last .* [0-9.]+% +[0-9]+ MiB┃" 5
tm send-keys -t f q
trap - EXIT
kill "$(cat "$FAKE/pid")" 2>/dev/null
e2e_finish
