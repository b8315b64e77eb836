#!/bin/sh
# The overview's layouts by screen size and host count, against the two-host
# lab (monk: kavita exited; kscloud1: karakeep unhealthy, kite-litellm
# missing), read-only: at 200x50, 80x24, 50x20 and 40x15 the header keeps the
# level and the worst reason, the bad containers are on screen, the host tabs
# carry their level's glyph; 8 hosts (h0..h7 on the lab's two, h7 on an
# address where nothing listens) are all reachable; actions act only on what
# the screen shows selected (B3), never on a "missing" placeholder (B16); a
# click on a header tab shows its view (B23).  Skips itself when the lab is
# not up.  Every session runs --read-only: nothing in the lab is changed.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
# the lab's configuration with the audit log (refusals are audited) the test's own
conf=$E2E_TMP/lab.conf
sed "s|^audit_log = .*|audit_log = $E2E_TMP/audit.log|" examples/kitestacks-lab.conf >"$conf"
level='(ok|warn|crit)'
glyph='(●|▲|✖|◌)'
header() { screen "$1" | head -1; }
# rows of a host column (┃ or │ then a container glyph)
container_rows() { screen "$1" | grep -cE '^[┃│](●|▲|✖|◌) '; }

e2e_start ov 200 50 "$KT --read-only -c $conf"
check "200x50: the lab's containers arrive" wait_for ov "kite-litellm" 20
check "200x50: the header: level, the worst reason, how many more" \
	wait_re ov "^ kitetop .* $level: [a-z0-9]+: .+ · [0-9]+ more" 10
check "200x50: the read-only badge" sh -c "tmux -L $E2E_SOCK capture-pane -p -t ov | head -1 | grep -qF '[read-only]'"
check "200x50: kavita exited on monk" wait_re ov '✖ ≠kavita +exited' 10
check "200x50: kite-litellm missing on kscloud1" wait_re ov '✖ ≠kite-litellm +missing' 10
check "200x50: karakeep unhealthy on kscloud1" wait_re ov '▲ ≠karakeep +unhealthy' 10
check "200x50: the spare rows show the recent events" wait_for ov "Recent events" 5
# the longest run of empty rows in a host column, once every host's figures
# are in (a host whose metrics have not come yet has its rows short for a
# moment): waited for, up to 10 s
longest_blank() {
	screen ov | awk '/^┃ *┃/ { run++; if (run > max) max = run; next } { run = 0 } END { print max + 0 }'
}
n=200
while [ "$(longest_blank)" -gt 3 ] && [ $n -gt 0 ]; do sleep 0.05; n=$((n - 1)); done
blank=$(longest_blank)
check "200x50: no run of empty rows in a host column (longest: $blank)" test "$blank" -le 3

tm resize-window -t ov -x 80 -y 24
check "80x24: the level stays in the header (B2)" wait_re ov "^ kitetop .* $level: " 5
# a row chosen here (monk's second, a healthy one) is folded away at 40x15
tm send-keys -t ov j
check "80x24: [read-only] still there" sh -c "tmux -L $E2E_SOCK capture-pane -p -t ov | head -1 | grep -qF '[read-only]'"
check "80x24: kavita exited listed" wait_re ov '✖ ≠kavita +exited' 5
check "80x24: kite-litellm missing listed" wait_re ov '✖ ≠kite-litellm +missing' 5
check "80x24: karakeep unhealthy listed" wait_re ov '▲ ≠karakeep +unhealthy' 5
screen ov >"$E2E_TMP/80x24.txt"

tm resize-window -t ov -x 50 -y 20
check "50x20: each host tab carries its level's glyph" wait_re ov "^ $glyph monk +$glyph kscloud1" 5
check "50x20: the level in the header, the read-only badge" sh -c "tmux -L $E2E_SOCK capture-pane -p -t ov | head -1 | grep -Eq '\\[ro\\] +$level: '"
check "50x20: kavita exited listed" wait_re ov '✖ ≠kavita +exited' 5
# wait_rows SESSION N [SECONDS]: until N container rows show
wait_rows() {
	k=$(( ${3:-5} * 20 ))
	while [ "$k" -gt 0 ]; do
		[ "$(container_rows "$1")" -ge "$2" ] && return 0
		sleep 0.05; k=$((k - 1))
	done
	return 1
}
check "50x20: at least 4 container rows (2 before)" wait_rows ov 4 5
screen ov >"$E2E_TMP/50x20.txt"
tm send-keys -t ov Tab
check "50x20: Tab: kscloud1's missing and unhealthy" wait_re ov '▲ ≠karakeep +unhealthy' 5
check "50x20: ... and kite-litellm missing" wait_re ov '✖ ≠kite-litellm +missing' 5
tm send-keys -t ov Tab

tm resize-window -t ov -x 40 -y 15
check "40x15: the level in the header" wait_re ov "^ 1 Overview .*$level" 5
check "40x15: one list across hosts: kavita@monk" wait_re ov '✖ kavita@monk exited' 5
check "40x15: kite-litellm@kscloud1 missing" wait_re ov '✖ kite-litellm@kscloud1 missing' 5
check "40x15: karakeep@kscloud1 unhealthy" wait_re ov '▲ karakeep@kscloud1 unhealthy' 5
check "40x15: the healthy ones folded, counted" wait_re ov '● [0-9]+ healthy folded' 5
check "40x15: the host tabs with their glyphs" wait_re ov "$glyph monk +$glyph kscloud1" 5
screen ov >"$E2E_TMP/40x15.txt"
# B3: nothing is shown selected (the row chosen at 80x24 is not on screen),
# so nothing is acted on
tm send-keys -t ov r
check "40x15 B3: r with no row shown selected: no container selected" wait_for ov "no container selected" 3
tm send-keys -t ov L
check "40x15 B3: L too" wait_for ov "no container selected" 3
check "40x15 B3: no logs opened" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t ov | grep -q 'logs: '"
# j selects the worst row: an action now names it
tm send-keys -t ov j
tm send-keys -t ov s
check "40x15: j then s acts on the row shown selected (read-only refuses)" wait_for ov "read-only" 3

# B3: the Services view has no container selection
tm resize-window -t ov -x 200 -y 50
tm send-keys -t ov 2
check "2: the Services view" wait_re ov 'SERVICE +monk +kscloud1' 5
tm send-keys -t ov s
check "Services B3: s: no container selected (not the overview's)" wait_for ov "no container selected" 3
tm send-keys -t ov 1
check "1: back to the overview" wait_for ov "Recent events" 5

# B16: the missing placeholder is not acted on, its logs not followed
tm send-keys -t ov Tab
check "kscloud1 focused" wait_re ov "┏━ kscloud1" 3
tm send-keys -t ov g
tm send-keys -t ov L
check "B16: L on kite-litellm (missing): no logs to follow" wait_for ov "kite-litellm is missing on kscloud1: no logs to follow" 3
check "B16: no logs view opened" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t ov | grep -q 'logs: kite-litellm'"
tm send-keys -t ov r
check "B16: r on kite-litellm (missing): nothing to restart" wait_for ov "kite-litellm is missing on kscloud1: nothing to restart" 3

# B23: a click on a header tab (an xterm mouse report, button 1, on " 3 Data ")
# col SESSION LINE TEXT: the 0-based cell where TEXT starts on that line
col() {
	line=$(screen "$1" | sed -n "$2p")
	prefix=${line%%"$3"*}
	printf %s "$prefix" | wc -m
}
x=$(col ov 1 " 3 Data ")
mouse() { # mouse BUTTON X Y (0-based cells)
	printf '\033[M%b%b%b' "\\0$(printf '%o' $((32 + $1)))" "\\0$(printf '%o' $((33 + $2)))" \
	       "\\0$(printf '%o' $((33 + $3)))"
}
tm send-keys -t ov -l "$(mouse 0 $((x + 1)) 0)"
tm send-keys -t ov -l "$(mouse 3 $((x + 1)) 0)"
check "B23: a click on the Data tab shows the Data view" wait_re ov '━ PostgreSQL' 3
check "B23: ... and the overview is gone" wait_gone ov "CONTAINER" 3
# a session that stays: killing the only one ends the tmux server, and the
# next e2e_start may reach it while it exits
tm new-session -d -s keep "sleep 600" 2>/dev/null
tm kill-session -t ov

# 8 hosts at 200x50: h0..h7 on the lab's two hosts, h7 where nothing listens
sh tests/e2e/layout-hosts8 "$conf" "$E2E_TMP/h8.conf" 127.0.0.141
e2e_start h8 200 50 "$KT --read-only -c $E2E_TMP/h8.conf"
check "8 hosts: h7 unreachable, said in the header, crit" wait_re h8 '^ kitetop .* crit: h7: unreachable' 20
check "8 hosts: every host in the strip with its glyph" \
	wait_re h8 "^ $glyph h0 +$glyph h1 +$glyph h2 +$glyph h3 +$glyph h4 +$glyph h5 +$glyph h6 +✖ h7" 10
check "8 hosts: the hosts off screen counted" wait_re h8 '2 more ▸$' 5
check "8 hosts: 6 columns, h0..h5" wait_re h8 '━ h0 .*─ h5 ' 10
tm send-keys -t h8 Tab Tab Tab Tab Tab Tab
check "8 hosts: Tab to h6 pages: ◂ 2 more" wait_re h8 "^◂ 2 more " 5
check "8 hosts: h6 and h7 are columns now" wait_re h8 '━ h6 .*─ h7 ' 5
check "8 hosts: h7's column says why" wait_re h8 'h7 .*unreachable' 5
check "8 hosts: h6's containers" wait_re h8 '┃✖ ≠kavita' 20
screen h8 >"$E2E_TMP/h8.txt"
x=$(col h8 2 " h0 ")
tm send-keys -t h8 -l "$(mouse 0 $((x + 1)) 1)"
tm send-keys -t h8 -l "$(mouse 3 $((x + 1)) 1)"
check "8 hosts: a click on h0 in the strip pages back" wait_re h8 '━ h0 .*─ h5 ' 5

if [ -n "${KT_LAYOUT_SHOTS:-}" ]; then
	mkdir -p "$KT_LAYOUT_SHOTS"
	cp "$E2E_TMP"/*.txt "$KT_LAYOUT_SHOTS"/
fi
e2e_finish
