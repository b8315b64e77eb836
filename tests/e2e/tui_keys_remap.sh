#!/bin/sh
# [keys] through tmux on this machine (no lab): quit = x, view-services = V
# and help = F1 rebound; the header's tab, the footer and the help show the
# new keys, V and F1 act, the old 2 and q no longer do (q still closes the
# help), x quits.  A bad [keys] entry stops kitetop before the screen is
# taken: its file and line on stderr, exit 2.
. tests/e2e/e2e-lib

conf=$E2E_TMP/keys.conf
cat >"$conf" <<CONF
[kitetop]
refresh = 1
[host here]

[keys]
quit = x
view-services = V
help = F1
CONF

e2e_start k 120 50 "$KT -c $conf; echo rc=\$? >$E2E_TMP/k.rc; sleep 30"
check "the header's tab shows V for Services" wait_for k " V Services " 5
check "the footer shows F1 help and x quit" wait_re k 'F1 +help .* x +quit' 3
tm send-keys -t k V
check "V: the Services view" wait_for k "no [service NAME] sections" 3
check "V: the view's corner names its key" wait_re k 'Services ━+ V ━' 3
tm send-keys -t k 1
check "1: back to the Overview" wait_gone k "no [service NAME] sections" 3
tm send-keys -t k 2
check "2 no longer shows the Services" sh -c "sleep 0.5; ! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'no \[service NAME\] sections'"
tm send-keys -t k F1
check "F1: the help" wait_for k "close this help" 3
check "help: V for Services" wait_re k '┃ V +Services: services down' 2
check "help: x for quit" wait_re k '┃ x +quit' 2
check "help: F1 for this help" wait_re k '┃ F1 +this help' 2
tm send-keys -t k F1
check "F1 again closes the help" wait_gone k "close this help" 3
tm send-keys -t k '?'
check "? no longer opens the help" sh -c "sleep 0.5; ! tmux -L $E2E_SOCK capture-pane -p -t k | grep -q 'close this help'"
tm send-keys -t k q
check "q no longer quits" sh -c "sleep 0.5; ! [ -s $E2E_TMP/k.rc ] && tmux -L $E2E_SOCK capture-pane -p -t k | grep -q ' V Services '"
tm send-keys -t k x
n=60; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/k.rc" ]; do sleep 0.05; n=$((n-1)); done
check "x quits with status 0" grep -qx "rc=0" "$E2E_TMP/k.rc"
check "x: the normal screen back" [ "$(tm display -p -t k '#{alternate_on}')" = 0 ]

# A clash: said with the file and line, before the screen is taken.
bad=$E2E_TMP/bad.conf
printf '[host here]\n\n[keys]\nquit = x\nrestart = R\n' >"$bad"
e2e_start b 120 20 "$KT -c $bad 2>$E2E_TMP/b.err; echo rc=\$? >$E2E_TMP/b.rc; sleep 30"
n=100; while [ $n -gt 0 ] && ! [ -s "$E2E_TMP/b.rc" ]; do sleep 0.05; n=$((n-1)); done
check "a clash exits 2" grep -qx "rc=2" "$E2E_TMP/b.rc"
check "a clash: its file, line and the action holding the key" grep -qxF \
	"kitetop: $bad:5: R for restart is already the key of refresh: rebind refresh too, or choose another key" \
	"$E2E_TMP/b.err"
check "a clash: the screen was never taken" [ "$(tm display -p -t b '#{alternate_on}')" = 0 ]

# An unknown action and an unknown key name, each on its line.
printf '[keys]\nquit = x\n\nquitt = y\n' >"$bad"
"$KT" -c "$bad" 2>"$E2E_TMP/u.err" </dev/null; rc=$?
check "an unknown action exits 2" [ "$rc" = 2 ]
check "an unknown action: line 4, a suggestion" grep -qxF \
	"kitetop: $bad:4: unknown action quitt in [keys] (did you mean quit?)" "$E2E_TMP/u.err"
printf '[keys]\n# the F keys go up to 12\nview-events = F13\n' >"$bad"
"$KT" -c "$bad" 2>"$E2E_TMP/n.err" </dev/null; rc=$?
check "an unknown key name exits 2" [ "$rc" = 2 ]
check "an unknown key name: line 3" grep -qF "kitetop: $bad:3: unknown key \"F13\"" "$E2E_TMP/n.err"
e2e_finish
