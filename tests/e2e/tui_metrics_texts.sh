#!/bin/sh
# The Metrics view's words whole, against the lab's Prometheus (read-only),
# in tmux: series labels that share a long start (a path) and differ at their
# end read differently (whole when the box has room, at 80 columns; the
# start and the end around "…" when it has not, at 60), and a PromQL error
# (a query with a missing parenthesis) wrapped in its box, every word of it.
. tests/e2e/e2e-lib
if [ "${KT_LAB_UP:-}" = 0 ] || { [ -z "${KT_LAB_UP:-}" ] && ! [ -r /run/kitetop-lab/operator_ed25519 ]; }; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
{ printf '[kitetop]\nrefresh = 2\ntimeout = 5\n'
  lab_host monk 127.0.0.2 none
  cat <<'CONF'
[prometheus]
url = http://127.0.0.2:9090
via = monk
[panel "Paths"]
query = sum without (mode) (label_replace(node_cpu_seconds_total{instance="127.0.0.2:9100",cpu="0",mode=~"idle|user"}, "path", "/var/lib/docker/volumes/kitestacks_$1", "mode", "(.*)"))
[panel "Broken"]
query = sum(rate(node_network_receive_bytes_total{device!~"lo|veth.*"}[5m]) by (instance
CONF
} >"$E2E_TMP/m.conf"
e2e_start m 80 30 "$KT -c $E2E_TMP/m.conf"
wait_for m "1 Overview" 5
tm send-keys -t m 5
check "80 columns: the idle series' label whole" wait_re m '^.path=/var/lib/docker/volumes/kitestacks_idle ' 15
check "80 columns: the user series' label whole" wait_re m '^.path=/var/lib/docker/volumes/kitestacks_user ' 5
check "the PromQL error's start" wait_for m 'prometheus: bad_data: invalid parameter "query"' 5
check "the PromQL error's end, wrapped onto the next line" wait_for m 'in aggregation' 5
tm resize-window -t m -x 60 -y 30 2>/dev/null || tm resize-pane -t m -x 60 -y 30
check "60 columns: the labels' ends kept around …" wait_re m '^.path=/var/lib/.*….*kitestacks_idle ' 10
check "60 columns: and the other's end" wait_re m '^.path=/var/lib/.*….*kitestacks_user ' 5
e2e_finish
