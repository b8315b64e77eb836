#!/bin/sh
# The Markdown of the repository renders as written: each document is
# rendered with cmark-gfm (GitHub's CommonMark, tables on) and every "## "
# heading and every table of the source (outside code fences) must come out
# as a heading and a table: a fence left open or closed with text after it
# swallows what follows into a code block, and this fails.  Also: the
# relative links point at files that exist, and nothing cites a path
# outside the repository.
set -u
pass=0; fails=0
ok() { echo "PASS: $*"; pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fails=$((fails + 1)); }
if ! command -v cmark-gfm >/dev/null; then
	if [ -n "${CI:-}" ]; then no "cmark-gfm is not installed (tests/lab/install-deps build installs it)"
	else echo "SKIP: cmark-gfm is not installed (apt-get install cmark-gfm)"; fi
	echo "unit readme.sh: $pass passed, $fails failed"; [ "$fails" -eq 0 ]; exit
fi
docs="README.md $(ls docs/*.md tests/*/README.md bench/README.md 2>/dev/null)"
for f in $docs; do
	html=$(cmark-gfm -e table "$f")
	# what the source holds outside fences: headings (any level) and table
	# delimiter rows; a closing fence with text after it is itself an error
	counts=$(awk '
		/^ ? ? ?(```|~~~)/ {
			if (!infence) { infence = 1; fence = substr($0, match($0, /(```|~~~)/), 3); next }
			rest = $0; sub(/^ *(```+|~~~+)/, "", rest)
			if (index($0, fence) && rest ~ /[^ \t]/) bad = bad NR " "
			else if (index($0, fence)) infence = 0
			next
		}
		infence { next }
		/^#+ / { h++ }
		/^ *\|? *:?---+:? *(\| *:?---+:? *)+\|? *$/ { t++ }
		END { printf "%d %d %s\n", h, t, bad }' "$f")
	set -- $counts
	want_h=$1; want_t=$2; shift 2; bad="$*"
	got_h=$(echo "$html" | grep -c '^<h[1-6]')
	got_t=$(echo "$html" | grep -c '^<table>')
	[ -z "$bad" ] && ok "$f: no closing fence with text after it" || no "$f: text after a closing fence on line(s) $bad"
	[ "$got_h" -eq "$want_h" ] && ok "$f: $got_h headings render" || no "$f: $want_h headings written, $got_h rendered"
	[ "$got_t" -eq "$want_t" ] && ok "$f: $got_t tables render" || no "$f: $want_t tables written, $got_t rendered"
	dir=$(dirname "$f")
	missing=
	for l in $(echo "$html" | grep -o 'href="[^"#:]*"' | sed 's/^href="//; s/"$//'); do
		[ -e "$dir/$l" ] || missing="$missing $l"
	done
	[ -z "$missing" ] && ok "$f: relative links resolve" || no "$f: links to missing files:$missing"
	if grep -nE '\.\./shared|DESIGN\.md|REFERENCE(-kubernetes)?\.md|/seeds/' "$f" >/dev/null; then
		no "$f: cites a file outside the repository: $(grep -nE '\.\./shared|DESIGN\.md|REFERENCE(-kubernetes)?\.md|/seeds/' "$f" | head -1)"
	else
		ok "$f: cites nothing outside the repository"
	fi
done
# the README in particular: its sections and tables, so that a broken
# renderer or an emptied file cannot pass by having nothing to compare
n=$(cmark-gfm -e table README.md | grep -c '^<h2')
[ "$n" -ge 8 ] && ok "README.md: $n sections" || no "README.md: only $n sections render"
n=$(cmark-gfm -e table README.md | grep -c '^<table>')
[ "$n" -ge 3 ] && ok "README.md: $n tables" || no "README.md: only $n tables render"
echo "unit readme.sh: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
