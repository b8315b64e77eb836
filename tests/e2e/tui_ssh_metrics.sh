#!/bin/sh
# The TUI against the two-host lab without Prometheus and without [service]
# sections: each host's CPU and memory come from its /proc over its SSH
# session, the Services view (2) lists the implicit services (containers
# of one name on both hosts), and the header's level counts the exited
# kavita and the unhealthy karakeep.  Read-only use of the lab; skips
# itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=$E2E_TMP/ssh-metrics.conf
{
	printf '[kitetop]\nrefresh = 2\ntimeout = 5\n\n'
	lab_host monk 127.0.0.2 ssh /run/kitetop-lab/monk/docker.sock; echo
	lab_host kscloud1 127.0.0.3 ssh /run/kitetop-lab/kscloud1/docker.sock; echo
	# the lab's hosts are the machine running the tests, busy by design
	printf '[alerts]\ncpu_warn = 99.9\ncpu_crit = 100\n'
} >"$conf"

e2e_start wide 200 50 "$KT -c $conf; echo rc=\$? >$E2E_TMP/wide.rc"
check "both hosts reached over ssh" wait_re wide 'monk.*ssh [0-9]+ ms.*kscloud1.*ssh [0-9]+ ms' 15
check "no 'metrics: none' left: every host has a source" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -q 'metrics: none'"
# the two host columns side by side, each with a CPU and a MEM percentage
check "CPU figures from SSH on both hosts" wait_re wide 'CPU .*[0-9]+(\.[0-9])?%.*CPU .*[0-9]+(\.[0-9])?%' 15
check "MEM figures from SSH on both hosts" wait_re wide 'MEM .*[0-9]+(\.[0-9])?%.*MEM .*[0-9]+(\.[0-9])?%' 5
check "DISK figures from SSH on both hosts" wait_re wide 'DISK .*[0-9]+(\.[0-9])?%.*DISK .*[0-9]+(\.[0-9])?%' 5
check "the header's level is not ok (kavita exited, karakeep unhealthy)" wait_re wide '^ kitetop .* (warn|crit): ' 10
screen wide >"$E2E_TMP/overview.txt"

tm send-keys -t wide 2
check "2: the implicit services, hosts across" wait_re wide 'SERVICE \(implicit\) +monk +kscloud1' 5
check "2: karakeep unhealthy on kscloud1" wait_re wide 'karakeep +. healthy +. unhealthy' 5
check "2: kavita exited on monk, running on kscloud1" wait_re wide 'kavita +. exited \([0-9]+\) +. healthy' 5
check "2: kite-litellm (on monk only) is no service" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t wide | grep -q 'kite-litellm'"
check "2: says where the rows come from" wait_for wide "found on more than one host" 2
screen wide >"$E2E_TMP/services.txt"

tm send-keys -t wide q
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/wide.rc" ]; do sleep 0.05; n=$((n-1)); done
check "q quits with status 0" grep -qx "rc=0" "$E2E_TMP/wide.rc"
[ "$fails" -eq 0 ] || { cat "$E2E_TMP/overview.txt" "$E2E_TMP/services.txt"; }
e2e_finish
