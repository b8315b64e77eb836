#!/bin/bash
# tailscale_lab.sh — `tailscale status --json` run over each lab host's SSH
# session (exec tunnel): the lab's hosts have no tailscale, so each says
# "tailscale: not installed" without an error; a host whose sshd does not
# answer gets an error in words instead (never "not installed").
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
cd "$(dirname "$0")/../.."
KT=${KT:-./kitetop}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if [ "${KT_LAB_UP:-0}" != 1 ] || [ ! -r /run/kitetop-lab/operator_ed25519 ]; then
	echo "PASS: skipped (the lab is not up)"; exit 0
fi
"$KT" status --json -c examples/kitestacks-lab.conf >"$TMP/s.json" 2>"$TMP/err"
python3 - "$TMP/s.json" <<'PY' && pass "both lab hosts: tailscale not installed, no error" || fail "lab hosts' tailscale: $(head -c 600 "$TMP/s.json")"
import json, sys
d = json.load(open(sys.argv[1]))
for h in d["hosts"]:
    t = h["tailscale"]
    assert t["installed"] is False and t["error"] is None, (h["name"], t)
    assert t["summary"] == "tailscale: not installed", t
PY

# a port on 127.0.0.24 where nothing listens: the SSH session fails, so does tailscale
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.24", 0)); print(s.getsockname()[1])')
cat >"$TMP/down.conf" <<EOF
[kitetop]
timeout = 2
[host ghost]
ssh = root@127.0.0.24:$port
identity_file = /run/kitetop-lab/operator_ed25519
known_hosts = /run/kitetop-lab/known_hosts
docker = none
EOF
"$KT" status --json -c "$TMP/down.conf" >"$TMP/d.json" 2>"$TMP/err"
python3 - "$TMP/d.json" <<'PY' && pass "unreachable host: tailscale's error in words, not 'not installed'" || fail "unreachable host: $(head -c 800 "$TMP/d.json")"
import json, sys
t = json.load(open(sys.argv[1]))["hosts"][0]["tailscale"]
assert t["installed"] is None, t
assert t["error"].startswith("tailscale: ") and "refused" in t["error"], t
PY
[ "$fails" -eq 0 ]
