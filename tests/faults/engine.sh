#!/bin/bash
# engine.sh — a Docker engine that answers badly.  Host "fake" reaches a fake
# Engine API on a unix socket (fake-engine.py, switched between modes through a
# file): garbage, a truncated body, 100 MB, one byte every 0.5 s, accepts and
# never answers, and an event stream that floods.  For each: the overview says
# what is wrong within the timeout (2 s) + 1 s and never keeps showing the
# container as running meanwhile (no false ok); the keys answer throughout;
# kitetop's memory stays bounded; once the engine is healthy again the
# container is back within 5 s by itself (measured), within 2 s with R.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
cd "$(dirname "$0")/../.." || exit 1
. tests/faults/lib.sh
timeout_s=2
detect_limit=$((timeout_s + 1))
RECOVER_LIMIT_S=${RECOVER_LIMIT_S:-5}
RECOVER_R_LIMIT_S=${RECOVER_R_LIMIT_S:-2}
trap faults_exit EXIT

d=$E2E_TMP/engine
mkdir -p "$d"
echo ok >"$d/mode"
bg_start "$d/fake.pid" python3 -u "$FAULTS_DIR/fake-engine.py" "$d/engine.sock" "$d/mode"
n=100; while [ $n -gt 0 ] && ! grep -q ready "$d/fake.pid.log" 2>/dev/null; do sleep 0.05; n=$((n - 1)); done
check "fake engine listening on $d/engine.sock" grep -q ready "$d/fake.pid.log"

cat >"$E2E_TMP/fake.conf" <<EOC
[kitetop]
refresh = 1
timeout = $timeout_s
[host fake]
docker = unix://$d/engine.sock
EOC
e2e_start eng 140 40 "$KT -c $E2E_TMP/fake.conf; echo rc=\$? >$E2E_TMP/e.rc; sleep 60"
ok_row='^┃● fakeweb +running'
watch_until eng 10 --has "$ok_row"
check "fakeweb listed at the start (${MS} ms)" [ $? = 0 ]
keys_control
kpid=$(pgrep -P "$(tm display-message -p -t eng '#{pane_pid}')" | head -n1)

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$kpid/status" 2>/dev/null || echo 0; }
max_rss=0
note_rss() { local r; r=$(rss_kb); [ "${r:-0}" -gt "$max_rss" ] && max_rss=$r; return 0; }

# fault MODE ERROR-RE R: the engine turns MODE; the error must show within
# the limit with the container gone from the list; then it turns ok again,
# R pressed at once when R is 1.
fault() {
	local mode=$1 re=$2 with_r=$3 det rec rc
	keys_reset
	echo "$mode" >"$d/mode"
	watch_detect eng --has "^┃docker: .*$re" --lacks "$ok_row"
	rc=$?; det=$MS
	check "$mode: the overview says so within $detect_limit s (${det} ms)" [ "$rc" = 0 ]
	[ "$rc" = 0 ] || screen eng | sed -n 10,14p
	# and it stays so (no false ok) for a second, keys pressed meanwhile
	watch_hold eng 1 --forbid "$ok_row"
	check "$mode: no false ok while the fault lasts" [ $? = 0 ]
	note_rss
	keys_check "$mode"
	local kc; kc=$(keys_cell)
	keys_reset
	echo ok >"$d/mode"
	[ "$with_r" = 1 ] && tm send-keys -t eng R
	if [ "$with_r" = 1 ]; then
		watch_until eng 20 --has "$ok_row" --lacks '^┃docker: '
		rec=$MS
		check "$mode: fresh within $RECOVER_R_LIMIT_S s with R (${rec} ms)" in_range "$rec" 0 $((RECOVER_R_LIMIT_S * 1000))
		result "engine $mode" "$det ms" "$kc" "$rec ms (R)" "-"
	else
		watch_until eng 20 --has "$ok_row" --lacks '^┃docker: '
		rec=$MS
		echo "$mode: recovery without R: $rec ms (target $RECOVER_LIMIT_S s)"
		check "$mode: fresh again by itself within 20 s (${rec} ms; target $RECOVER_LIMIT_S s)" in_range "$rec" 0 19999
		result "engine $mode" "$det ms" "$kc" "$rec ms" "-"
	fi
}

fault garbage 'not a JSON array' 0
fault truncated 'closed before the response was complete' 1
fault huge 'response over 8 MB' 0
fault slow 'time' 1
fault silent 'time' 0

# flood: nothing is wrong but the amount; the list stays, keys answer
keys_reset
echo flood >"$d/mode"
watch_hold eng 5 --forbid '^┃docker: '
check "flood: no error shown, fakeweb stays listed" eval "[ $? = 0 ] && screen eng | grep -Eq '$ok_row'"
note_rss
keys_check "flood"
result "engine flood (events)" "n/a (no fault to see)" "$(keys_cell)" "-" "-"
echo ok >"$d/mode"
check "kitetop's memory stayed under 64 MB through 100 MB replies and the flood (max $((max_rss / 1024)) MB)" \
	[ "$max_rss" -lt 65536 ]
result "engine: kitetop's memory" "-" "-" "-" "max RSS $((max_rss / 1024)) MB"

keys_total_check
kitetop_quit eng "$E2E_TMP/e.rc"
faults_finish
