#!/bin/bash
# The Traffic view (4) against the two-host lab, in tmux at 160x40, with a temporary
# audit log: both connectors with state, readiness, connector id, the API's live
# connections and colos; the overview's tunnel line; d on monk asks (n: nothing done),
# d y drains (DRAINED in the Traffic view and the overview, the toast says so), the
# interlock's verdict in the dialog for kscloud1, u y undrains; read-only keys only say
# so.  Leaves both cloudflared containers running (trap).  Skips when the lab is not up.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
. tests/e2e/e2e-lib
. tests/lab/lib.sh
[ -d "$LAB_RUN" ] || LAB_RUN=$(readlink -f "$LAB_LINK")
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -S "$LAB_RUN/monk/docker.sock" ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
restore() { for h in $LAB_HOSTS; do lab_docker "$h" start cloudflared >/dev/null 2>&1; done; }
trap 'restore; tm kill-server 2>/dev/null' EXIT
conf=$E2E_TMP/lab.conf
sed "s#^audit_log = .*#audit_log = $E2E_TMP/audit.log#" examples/kitestacks-lab.conf >"$conf"

e2e_start t 160 40 "$KT -c $conf"
check "overview: a tunnel line per host column" wait_re t 'tunnel +. ready, 4 conns, 4 at edge.*tunnel +. ready, 4 conns, 4 at edge' 15
tm send-keys -t t 4
check "4: the Traffic view with the tunnel's status" wait_re t 'tunnel kitestacks: healthy, 2 connectors, 8 live' 10
check "4: monk's connector: running, ready 4, its id, 4 live, colos" wait_re t 'monk +cloudflared +● running +ready 4 +[0-9a-f]{8}-[0-9a-f-]+ +4 live +fra08 ams01' 5
check "4: kscloud1's connector too" wait_re t 'kscloud1 +cloudflared +● running +ready 4 +[0-9a-f]{8}-[0-9a-f-]+ +4 live +fra02 cdg01' 5
screen t >"$E2E_TMP/traffic.txt"

tm send-keys -t t d
check "d: asks 'Drain monk? All traffic goes to kscloud1.'" wait_for t "Drain monk? All traffic goes to kscloud1." 3
check "d: the dialog shows the interlock's view" wait_for t "Interlock now: ok, kscloud1: ready" 2
tm send-keys -t t n
check "n: nothing done" wait_for t "cancelled: nothing done" 3
tm send-keys -t t d
wait_for t "Drain monk?" 3
tm send-keys -t t y
check "d y: the toast says monk drained" wait_re t 'monk drained: cloudflared stopped' 20
check "d y: DRAINED in the Traffic view" wait_re t 'monk +cloudflared +✖ DRAINED' 10
tm send-keys -t t 1
check "1: DRAINED in the overview's tunnel line" wait_for t "tunnel  ✖ DRAINED (cloudflared exited)" 5
tm send-keys -t t 4 Tab d
check "Tab d: kscloud1's dialog says the interlock would refuse" wait_for t "Interlock now: would refuse: no other host has a healthy connector:" 5
tm send-keys -t t y
check "y: refused by the interlock, in the toast" wait_re t 'drain kscloud1 refused: interlock: no other host has a healthy connector: monk: cloudflared is exited' 15
tm send-keys -t t h u
wait_for t "Undrain monk?" 3
tm send-keys -t t y
check "h u y: monk undrained" wait_re t 'monk undrained: ready, 4 connections' 40
check "u y: monk running and ready again in the Traffic view" wait_re t 'monk +cloudflared +● running +ready 4' 15
tm send-keys -t t q
sleep 0.5

e2e_start ro 160 40 "$KT -c $conf --read-only"
wait_for ro "tunnel" 15
tm send-keys -t ro 4 d
check "read-only: d only says read-only" wait_for ro "read-only" 3
check "read-only: no dialog" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t ro | grep -q 'Drain monk?'"
tm send-keys -t ro q

lines=$(grep -c . "$E2E_TMP/audit.log" 2>/dev/null)
check "audit: drain (2 lines), refusal (1), undrain (2), read-only refusal (1): $lines lines" test "$lines" = 6
restore
e2e_finish
