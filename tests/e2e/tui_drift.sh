#!/bin/sh
# Image drift between the lab's two hosts, on a container and tags of this test's own
# (kt-drift-PID on both engines from kt-drift-PID:v1, kscloud1's copy loaded from monk's so
# that its image id is the same; all removed at the end: the lab's containers and its
# kitestacks/busybox:lab are never touched), with a configuration whose only service is it:
#   - the same image on both: no drift (status --json has services[].drift null);
#   - kscloud1's container recreated from kt-drift-PID:v2 (the same image, another tag):
#     the Services view (2) marks the service ≠ and says "image differs on monk and
#     kscloud1: v1 vs v2" within a refresh or two, and status --json has the drift;
#   - kscloud1's container committed as its kt-drift-PID:v1 (another image id) and
#     recreated from it: "same tag, different digest" with both short ids.
# Skips itself when the lab is not up.
. tests/e2e/e2e-lib
MONK=/run/kitetop-lab/monk/docker.sock
KS=/run/kitetop-lab/kscloud1/docker.sock
dm() { docker -H "unix://$MONK" "$@"; }
dk() { docker -H "unix://$KS" "$@"; }
if [ "${KT_LAB_UP:-}" = 0 ] || ! dm version >/dev/null 2>&1 || ! dk version >/dev/null 2>&1; then
	echo "SKIP: the lab is not up (make lab)"; e2e_finish; exit 0
fi
C=kt-drift-$$
cleanup() {
	tm kill-server 2>/dev/null
	dm rm -f "$C" >/dev/null 2>&1
	dk rm -f "$C" >/dev/null 2>&1
	dm rmi "$C:v1" >/dev/null 2>&1
	dk rmi "$C:v1" "$C:v2" >/dev/null 2>&1
}
trap cleanup EXIT
# a signal (^C, a closed pipe) ends the shell without its EXIT trap: clean up then too
trap 'exit 1' INT TERM HUP PIPE

# run_on ENGINE-FUNCTION IMAGE: the test container on that engine from IMAGE, anew.
run_on() {
	$1 rm -f "$C" >/dev/null 2>&1
	$1 run -d --name "$C" --init --network host "$2" sleep 100000 >/dev/null
}

if ! dm tag kitestacks/busybox:lab "$C:v1" || ! dm save "$C:v1" | dk load >/dev/null ||
	! run_on dm "$C:v1" || ! run_on dk "$C:v1"; then
	fail "cannot make the test image and containers ($C)"; e2e_finish; exit 1
fi
ID_MONK=$(dm image inspect --format '{{.Id}}' "$C:v1")

{ printf '[kitetop]\nrefresh = 1\naudit_log = %s/audit.log\n\n' "$E2E_TMP"
  lab_host monk 127.0.0.2 ssh "$MONK"; echo
  lab_host kscloud1 127.0.0.3 ssh "$KS"; echo
  printf '[service %s]\ncontainer = %s\n' "$C" "$C"; } >"$E2E_TMP/drift.conf"

# drift_json WANT: status --json's services[] entry for the test's service has drift
# WANT: "null", or a reason's beginning (then both hosts with their image and id).
drift_json() {
	$KT -c "$E2E_TMP/drift.conf" status --json >"$E2E_TMP/s.json" 2>"$E2E_TMP/s.err"
	python3 - "$E2E_TMP/s.json" "$C" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
svc = [s for s in d["services"] if s["name"] == sys.argv[2]][0]
if sys.argv[3] == "null":
    assert svc["drift"] is None, svc["drift"]
else:
    dr = svc["drift"]
    assert dr["reason"].startswith(sys.argv[3]), dr
    assert sorted(dr["hosts"]) == ["kscloud1", "monk"], dr
    for h in dr["hosts"].values():
        assert h["image"].startswith(sys.argv[2] + ":") and h["image_id"].startswith("sha256:"), h
for h in d["hosts"]:
    c = [c for c in h["containers"] if c["name"] == sys.argv[2]][0]
    assert c["image_id"].startswith("sha256:"), c
PY
}

check "the same image on both hosts: status --json says drift null" drift_json null

e2e_start drift 160 40 "$KT -c $E2E_TMP/drift.conf; echo rc=\$? >$E2E_TMP/drift.rc"
check "the test container is listed" wait_for drift "$C" 15
tm send-keys -t drift 2
check "2: the Services view" wait_for drift "SERVICE" 5
check "2: the service running on both hosts" wait_re drift "$C +[^ ]+ running .* running" 10
check "2: no drift said while both run one image" sh -c "! tmux -L $E2E_SOCK capture-pane -p -t drift | grep -q 'image differs\|different digest'"

dk tag "$C:v1" "$C:v2" && run_on dk "$C:v2" || fail "cannot recreate kscloud1's container from $C:v2"
check "another tag on kscloud1: the reason under the matrix" \
	wait_for drift "$C: image differs on monk and kscloud1: v1 vs v2" 10
check "another tag on kscloud1: the service marked ≠" wait_for drift "≠$C" 2
screen drift >"$E2E_TMP/services.txt"; [ -n "${KT_E2E_SHOW:-}" ] && cat "$E2E_TMP/services.txt"
check "another tag on kscloud1: status --json has the drift" drift_json "image differs: v1 vs v2"

# a commit of kscloud1's container is another image (another id): tagged v1 there
short() { echo "$1" | cut -c1-15; }
dk commit --change "LABEL kt.drift=$$" "$C" "$C:v1" >/dev/null && run_on dk "$C:v1" ||
	fail "cannot recreate kscloud1's container from another $C:v1"
ID_KS=$(dk image inspect --format '{{.Id}}' "$C:v1")
check "the same tag, another image on kscloud1: the reason with both short ids" \
	wait_for drift "$C: same tag, different digest on monk and kscloud1: $(short "$ID_MONK") vs $(short "$ID_KS")" 10
check "the same tag, another image: status --json has the drift" drift_json "same tag, different digest: "

tm send-keys -t drift q
check "q leaves cleanly" sh -c "n=60; while [ \$n -gt 0 ] && ! [ -s $E2E_TMP/drift.rc ]; do sleep 0.05; n=\$((n-1)); done; grep -qx rc=0 $E2E_TMP/drift.rc"
e2e_finish
