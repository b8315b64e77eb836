#!/bin/sh
# The Debian package: `make deb` builds it, `dpkg -x` unpacks it into a
# scratch root, and the unpacked binary — run from elsewhere, with no
# source tree, XDG dirs or /usr/share/kitetop to fall back on — finds its
# own themes (T cycles to "light"), its man page renders without warnings,
# and the completions and examples are where shells and users look.
. tests/e2e/e2e-lib
if ! command -v dpkg-deb >/dev/null; then
	echo "SKIP: dpkg-deb is not installed"; e2e_finish; exit 0
fi
deb=$(${MAKE:-make} --no-print-directory deb 2>"$E2E_TMP/deb.err" | tail -n1)
check "make deb builds a package" [ -f "$deb" ]
[ -f "$deb" ] || { cat "$E2E_TMP/deb.err"; e2e_finish; exit 1; }
check "the package is named for its version and architecture" \
	sh -c "echo '$deb' | grep -qE 'kitetop_[0-9.]+_$(dpkg --print-architecture)\.deb$'"
check "it depends on the libraries it links" \
	sh -c "dpkg-deb -f '$deb' Depends | grep -q 'libssh2-1 (>= ' && dpkg-deb -f '$deb' Depends | grep -q 'libpq5 (>= '"
root=$E2E_TMP/root
dpkg -x "$deb" "$root"
for f in usr/bin/kitetop usr/share/man/man1/kitetop.1.gz usr/share/kitetop/themes/light.theme \
	usr/share/kitetop/examples/kitestacks.conf usr/share/doc/kitetop/copyright \
	usr/share/bash-completion/completions/kitetop usr/share/zsh/vendor-completions/_kitetop \
	usr/share/fish/vendor_completions.d/kitetop.fish; do
	check "the package holds /$f" [ -s "$root/$f" ]
done
check "the binary runs: --version" sh -c "'$root/usr/bin/kitetop' --version | grep -q '^kitetop '"
if command -v man >/dev/null; then
	check "the man page renders without a warning" \
		sh -c "[ -z \"\$(MANWIDTH=80 man --warnings -l '$root/usr/share/man/man1/kitetop.1.gz' 2>&1 >/dev/null)\" ]"
fi

# The themes: found beside the binary's prefix, not in the source tree.
conf=$E2E_TMP/local.conf
printf '[host here]\ndocker = none\n' >"$conf"
mkdir -p "$E2E_TMP/elsewhere" "$E2E_TMP/h"
e2e_start deb 120 30 "cd $E2E_TMP/elsewhere && env -u XDG_CONFIG_HOME -u XDG_DATA_HOME HOME=$E2E_TMP/h XDG_DATA_DIRS=/nonexistent $root/usr/bin/kitetop -c $conf; sleep 30"
check "the unpacked binary starts" wait_re deb '^ kitetop +1 Overview' 10
tm send-keys -t deb T
check "T: its own light theme, found under its prefix" wait_for deb "theme: light" 5
tm send-keys -t deb T
check "T again: the next one, cyberpunk" wait_for deb "theme: cyberpunk" 5
tm send-keys -t deb q
e2e_finish
