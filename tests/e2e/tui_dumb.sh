#!/bin/sh
# A terminal terminfo knows but that cannot place the cursor (TERM=dumb):
# a clear message and status 2, not frames printed as scrolling text.
. tests/e2e/e2e-lib

conf=$E2E_TMP/local.conf
printf '[host here]\ndocker = none\n' >"$conf"
out=$E2E_TMP/rc
e2e_start dumb 160 20 "TERM=dumb $KT -c $conf; echo rc=\$? >$out; sleep 60"
n=100; while [ $n -gt 0 ] && ! [ -s "$out" ]; do sleep 0.05; n=$((n-1)); done
check "TERM=dumb exits with status 2" grep -qx "rc=2" "$out"
check "TERM=dumb says the terminal cannot place the cursor" \
	wait_for dumb "kitetop: the terminal 'dumb' cannot place the cursor" 2
check "and what to do instead" wait_for dumb "(TERM=xterm-256color), or \`kitetop status\`" 1
check "no frame drawn" wait_gone dumb "Overview" 1
e2e_finish
