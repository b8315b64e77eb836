#!/bin/sh
# o cycles the lists' order (state, name, CPU, memory, restarts, uptime) in
# the Overview and the Services view against the two-host lab, the header
# marking it, the order kept across refreshes; then the Services matrix with
# 8 hosts (the lab's two under four names each, alternately) at 200x50
# scrolls its host columns with l and h, service names pinned at the left,
# "◂ N more" / "N more ▸" on its border.  Read-only: only keys that move
# and sort.  Skips itself (prints why) when the lab is not up.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S tests/lab/run/monk/docker.sock ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
conf=examples/kitestacks-lab.conf

# Whether monk's column (the left one at 200x50) lists its containers in
# ORDER (name, cpu, mem): the rows under its header, a row's fields taken
# from the right (MEM the last 8 cells, CPU the 6 before, a space between),
# the name after the glyph and the marks (» ≠).
monk_in_order() { # monk_in_order SESSION ORDER
	screen "$1" | python3 -c '
import re, sys
order = sys.argv[1]
rows, on = [], False
for line in sys.stdin.read().splitlines():
    if "CONTAINER" in line:
        on = True
        continue
    if not on:
        continue
    if line.startswith(("┗", "└")):
        break
    cell = line.split("┃")[1] if line.startswith("┃") else line.split("│")[1]
    cell = cell.rstrip()
    if not cell:
        continue
    name = cell[2:].split(" ")[0].lstrip("»≠")
    cpu, mem = cell[-15:-9].strip(), cell[-8:].strip()
    def size(s):
        if s == "-":
            return -1
        n, u = s.split(" ") if " " in s else (s, "B")
        return float(n) * {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[u]
    key = {"name": name, "cpu": -1 if cpu == "-" else float(cpu.rstrip("%")), "mem": size(mem)}[order]
    rows.append((key, name))
ok = len(rows) >= 5
for (k0, n0), (k1, n1) in zip(rows, rows[1:]):
    if order == "name":
        ok = ok and n0 < n1
    else:   # highest first (rounded on screen: ties by name: see the unit tests)
        ok = ok and k0 >= k1
sys.exit(0 if ok else 1)
' "$2"
}

e2e_start ov 200 50 "$KT -c $conf"
check "overview: containers with their CPU listed" wait_re ov 'kitestacks-metrics-api +.* [0-9.]+% ' 20
check "overview: the default order, unmarked header" sh -c "tmux -L $E2E_SOCK capture-pane -p -t ov | grep -q 'CONTAINER  *STATE'"
tm send-keys -t ov o
check "o: by name, said" wait_for ov "order: name" 3
check "o: by name, CONTAINER▲ in the header" wait_for ov "CONTAINER▲" 3
check "o: by name, rows in name order" monk_in_order ov name
tm send-keys -t ov o
check "o: by CPU, said" wait_for ov "order: CPU, highest first" 3
check "o: by CPU, CPU▼ in the header" wait_for ov "CPU▼" 3
check "o: by CPU, highest first" monk_in_order ov cpu
tm send-keys -t ov R
# a refresh (R) later: still by CPU, still in order
check "o: the order kept across a refresh" wait_for ov "CPU▼" 5
check "o: after the refresh, still highest first" monk_in_order ov cpu
tm send-keys -t ov o
check "o: by memory, MEM▼" wait_for ov "MEM▼" 3
check "o: by memory, most first" monk_in_order ov mem
tm send-keys -t ov o
check "o: by restarts, RST as RS▼" wait_for ov "RS▼" 3
tm send-keys -t ov o
check "o: by uptime, UP▲" wait_for ov "UP▲" 3
tm send-keys -t ov o
check "o: back to state, said" wait_for ov "order: state (problems first)" 3
check "o: back to state, header unmarked" wait_gone ov "UP▲" 3

tm send-keys -t ov 2
check "2: the services matrix" wait_re ov 'SERVICE +monk +kscloud1' 5
check "2: the default order, problems first (kavita exited on monk first)" wait_re ov '┃≠?kavita +. exited' 10
tm send-keys -t ov o
check "2 o: by name, SERVICE▲" wait_re ov 'SERVICE▲ +monk +kscloud1' 3
check "2 o: by name, authentik the first row" sh -c "tmux -L $E2E_SOCK capture-pane -p -t ov | grep -A1 'SERVICE▲' | tail -n1 | grep -q '┃authentik '"
tm send-keys -t ov o
check "2 o: by CPU, SERVICE  CPU▼" wait_re ov 'SERVICE  CPU▼ +monk' 3
tm send-keys -t ov o o o o
check "2 o o o o: the cycle back at state" wait_re ov 'SERVICE +monk +kscloud1' 3
# a session that stays: killing the only one ends the tmux server, and the
# next e2e_start may reach it while it exits
tm new-session -d -s keep "sleep 600" 2>/dev/null
tm kill-session -t ov

# 8 hosts: the lab's two, four names each, alternately; the lab's services
eight=$E2E_TMP/eight.conf
{
	printf '[kitetop]\nrefresh = 2\ntimeout = 5\n\n'
	for i in 1 2 3 4 5 6 7 8; do
		if [ $((i % 2)) = 1 ]; then lab_host "m$i" 127.0.0.2 ssh /run/kitetop-lab/monk/docker.sock
		else lab_host "k$i" 127.0.0.3 ssh /run/kitetop-lab/kscloud1/docker.sock; fi
		echo
	done
	awk '/^\[service /{ on = 1 } /^\[/ && !/^\[service /{ on = 0 } on' "$conf"
} >"$eight"
e2e_start m8 200 50 "$KT -c $eight"
tm send-keys -t m8 2
check "8 hosts: the matrix shows 6 host columns, m1 to k6" wait_re m8 'SERVICE +m1 +k2 +m3 +k4 +m5 +k6 +┃' 10
check "8 hosts: '2 more ▸' on the border" wait_re m8 '━ 2 more ▸  2 ━' 3
check "8 hosts: cells carry their probe (state and latency)" wait_re m8 '┃homepage +. healthy +200 [0-9]+ms' 20
tm send-keys -t m8 l
check "l: one host on, '◂ 1 more · 1 more ▸'" wait_for m8 "◂ 1 more · 1 more ▸" 3
check "l: the names stay pinned, k2 first" wait_re m8 'SERVICE +k2 +m3 +k4 +m5 +k6 +m7 +┃' 3
check "l: homepage still at the left" wait_re m8 '┃homepage  ' 3
tm send-keys -t m8 l l l l l
check "l past the end: stops at the last host" wait_re m8 'SERVICE +m3 +k4 +m5 +k6 +m7 +k8 +┃' 3
check "l past the end: '◂ 2 more', nothing to the right" wait_re m8 '━ ◂ 2 more  2 ━' 3
tm send-keys -t m8 Left
check "←: back one" wait_for m8 "◂ 1 more · 1 more ▸" 3
tm send-keys -t m8 h h h h
check "h to the start: m1 first again" wait_re m8 'SERVICE +m1 +k2 +m3' 3
check "h to the start: no left mark" wait_gone m8 "◂" 3
tm send-keys -t m8 q
e2e_finish
