#!/bin/sh
# DESIGN's "valgrind on a 60 s lab run: clean, no leaks": kitetop under
# memcheck in a 200x50 tmux pane for SECONDS (default 60), every view shown
# once on the way, then q.  Prints memcheck's error and leak summary and
# exits non-zero on an error, a definite or indirect leak, or a non-zero exit
# of kitetop.  usage: bench/valgrind.sh KITETOP CONFIG [SECONDS]
set -u
KT=$1 CONF=$2 SECS=${3:-60}
SOCK=kt-vg-$$
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
TMP=$(mktemp -d)
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM HUP PIPE
export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 2; }

tm new-session -d -s vg -x 200 -y 50 "valgrind --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --error-exitcode=9 --log-file=$TMP/vg.txt \
$KT -c $CONF; echo \$? >$TMP/rc; sleep 60"
step=$((SECS / 6))
for key in 2 3 4 5 1; do
	sleep "$step"
	tm send-keys -t vg "$key"
done
sleep "$step"
tm send-keys -t vg q
i=0
while [ ! -s "$TMP/rc" ] && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
rc=$(cat "$TMP/rc" 2>/dev/null || echo "none (still running)")
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable" "$TMP/vg.txt" |
	sed 's/^==[0-9]*== *//'
echo "valgrind: kitetop's exit status under memcheck: $rc (9: memcheck found errors or leaks)"
[ "$rc" = 0 ]
