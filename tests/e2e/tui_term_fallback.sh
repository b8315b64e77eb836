#!/bin/sh
# Terminals terminfo does not know (no entry in stock Debian 12 for kitty,
# alacritty, ghostty): kitetop draws as xterm-256color and says so once,
# instead of "Error opening terminal" and status 1.
. tests/e2e/e2e-lib

conf=$E2E_TMP/local.conf
printf '[host here]\ndocker = none\n' >"$conf"
for term in xterm-kitty alacritty xterm-ghostty; do
	if infocmp "$term" >/dev/null 2>&1; then
		echo "SKIP: $term: terminfo knows it on this machine"; continue
	fi
	s=$(echo "$term" | tr -c 'a-z0-9\n' _)
	out=$E2E_TMP/$s.rc
	e2e_start "$s" 120 30 "TERM=$term $KT -c $conf; echo rc=\$? >$out; sleep 60"
	check "TERM=$term: the dashboard starts" wait_re "$s" '^ kitetop +1 Overview' 10
	check "TERM=$term: the notice says which terminal stands in" \
		wait_for "$s" "terminal '$term' is unknown to terminfo: drawing as xterm-256color" 5
	check "TERM=$term: the host is drawn" wait_re "$s" '[┏┌].* here ' 10
	tm send-keys -t "$s" q
	n=100; while [ $n -gt 0 ] && ! [ -s "$out" ]; do sleep 0.05; n=$((n-1)); done
	check "TERM=$term: q quits with status 0" grep -qx "rc=0" "$out"
	check "TERM=$term: the notice stays on the terminal after quitting" \
		wait_for "$s" "kitetop: terminal '$term' is unknown to terminfo" 2
done
e2e_finish
