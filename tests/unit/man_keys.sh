#!/bin/sh
# The man page documents the whole command line and configuration: every
# key of every section that the configuration accepts (read from the key
# tables of core/config/config_keys.c) appears in that section's part of
# kitetop.1's CONFIGURATION, and every verb of `kitetop --help` appears in
# its COMMANDS.  A key or verb added without its documentation fails here.
set -u
pass=0; fails=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fails=$((fails + 1)); }
man=kitetop.1
keys=core/config/config_keys.c
[ -r "$man" ] && [ -r "$keys" ] || { echo "FAIL: run from the source tree"; echo "unit man_keys.sh: 0 passed, 1 failed"; exit 1; }

# section kind -> the name of its key table, from config_kinds[]
sed -n '/config_kinds\[SEC_NKINDS\]/,/^};/p' "$keys" |
	sed -n 's/.*{ *"\([a-z]*\)", *[a-z]*, *\([a-z_]*\),.*/\1 \2/p' >"${TMPDIR:-/tmp}/mk.$$"
n=0
while read -r kind table; do
	# the roff between .SS "[kind ...]" and the next .SS or .SH
	part=$(awk -v k="$kind" '
		/^\.S[SH]/ { on = ($0 ~ "^\\.SS \"\\[" k "[] ]") }
		on' "$man")
	if [ -z "$part" ]; then
		no "kitetop.1 has no .SS \"[$kind]\" in CONFIGURATION"; continue
	fi
	ks=$(sed -n "/^static const struct key_def $table\[\]/,/^};/p" "$keys" |
		sed -n 's/.*KEYR\{0,1\}("\([a-z_]*\)".*/\1/p')
	[ -n "$ks" ] || [ "$kind" = keys ] || { no "no keys read for [$kind] ($table)"; continue; }
	missing=
	for k in $ks; do
		n=$((n + 1))
		echo "$part" | grep -qE "(^|[^a-z_])$k([^a-z_]|$)" || missing="$missing $k"
	done
	if [ -z "$missing" ]; then ok "[$kind]: every key documented ($(echo $ks | wc -w))"
	else no "[$kind]: not in kitetop.1:$missing"; fi
done <"${TMPDIR:-/tmp}/mk.$$"
rm -f "${TMPDIR:-/tmp}/mk.$$"
[ "$n" -gt 50 ] && ok "$n keys checked" || no "only $n keys found in $keys: the reader is broken"

# verbs: the words after "kitetop " in the usage lines of --help
kt=${KT:-./kitetop}
if [ -x "$kt" ]; then
	verbs=$("$kt" --help | sed -n '/^usage:/,/^$/p' | sed 's/^usage://' |
		grep -oE '(kitetop |\| ?)[a-z|]+' | sed 's/^kitetop //; s/^| *//' | tr '|' '\n' |
		grep -E '^[a-z]+$' | sort -u)
	commands=$(awk '/^\.SH COMMANDS/ {on=1; next} /^\.SH/ {on=0} on' "$man")
	missing=
	for v in $verbs; do
		echo "$commands" | grep -qE "(^|[^a-z])$v([^a-z]|$)" || missing="$missing $v"
	done
	[ -n "$verbs" ] || missing=" (no verbs read from --help)"
	if [ -z "$missing" ]; then ok "COMMANDS: every verb of --help ($(echo $verbs | wc -w))"
	else no "COMMANDS lacks:$missing"; fi
fi

# The configuration error shown in README.md and kitetop.1 is what kitetop
# says for such a file, to the character.
if [ -x "$kt" ]; then
	kt_abs=$(cd "$(dirname "$kt")" && pwd)/$(basename "$kt")
	for doc in README.md kitetop.1; do
		line=$(grep -oE "kitetop: kitetop\.conf:[0-9]+: unknown key adress in \[host monk\].*" "$doc" | head -n1)
		if [ -z "$line" ]; then no "$doc: no example of a configuration error"; continue; fi
		n=$(echo "$line" | sed 's/^kitetop: kitetop\.conf:\([0-9]*\):.*/\1/')
		d=$(mktemp -d)
		i=1; while [ "$i" -lt $((n - 1)) ]; do echo "; line $i" >>"$d/kitetop.conf"; i=$((i + 1)); done
		printf '[host monk]\nadress = 100.101.1.10\n' >>"$d/kitetop.conf"
		got=$(cd "$d" && "$kt_abs" -c kitetop.conf status 2>&1)
		rm -rf "$d"
		[ "$got" = "$line" ] && ok "$doc: its configuration error is kitetop's own, line $n" ||
			no "$doc shows '$line', kitetop says '$got'"
	done
fi
# The page renders without a warning from troff or man (an escape it does not
# know is printed literally, or not at all).
if command -v man >/dev/null; then
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
	[ -z "$warn" ] && ok "kitetop.1 renders without a warning" || no "kitetop.1 renders with: $warn"
fi
echo "unit man_keys.sh: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
