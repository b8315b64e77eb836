#!/bin/sh
# packaging/deb.sh VERSION — builds kitetop_VERSION_ARCH.deb in build/deb/.
#
# The binary is built for PREFIX=/usr in build/deb (the development build in
# build/ is left alone), installed into a staging root with `make install
# DESTDIR=…`, and packed with dpkg-deb.  Depends: the Debian packages that
# hold the shared libraries the binary links, each at least the version it
# was built against (what dpkg-shlibdeps would find, without needing a
# debian/ directory).
set -eu
version=${1:?usage: packaging/deb.sh VERSION}
MAKE=${MAKE:-make}
out=build/deb
root=$out/root
arch=$(dpkg --print-architecture)
deb=$out/kitetop_${version}_${arch}.deb

rm -rf "$root"
$MAKE --no-print-directory -j"$(nproc)" BUILD=$out PREFIX=/usr DESTDIR="$PWD/$root" \
	ZSHCOMPDIR=/usr/share/zsh/vendor-completions install >/dev/null
strip --strip-unneeded "$root/usr/bin/kitetop"
gzip -9n "$root/usr/share/man/man1/kitetop.1"
# Debian's place for the licence is copyright, not LICENSE
doc=$root/usr/share/doc/kitetop
{
	echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
	echo "Upstream-Name: kitetop"
	echo
	echo "Files: *"
	echo "Copyright: 2026 the kitetop authors"
	echo "License: MIT"
	sed -n '/^Permission/,$p' LICENSE | sed 's/^$/./; s/^/ /'
} >"$doc/copyright"
rm -f "$doc/LICENSE"

# Depends, from the libraries the binary links directly (its NEEDED
# entries; ldd's paths say where each one is).
bin=$root/usr/bin/kitetop
depends=$(objdump -p "$bin" | awk '$1 == "NEEDED" {print $2}' | while read -r so; do
	lib=$(ldd "$bin" | awk -v so="$so" '$1 == so && $3 ~ /^\// {print $3}')
	[ -n "$lib" ] || continue
	real=$(readlink -f "$lib")
	pkg=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null) || continue
	pkg=${pkg%%:*}
	ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) || continue
	ver=${ver#*:}; ver=${ver%%-*}; ver=${ver%%+*}
	echo "$pkg (>= $ver)"
done | sort -u | paste -sd, - | sed 's/,/, /g')
[ -n "$depends" ] || { echo "deb.sh: could not work out the dependencies" >&2; exit 1; }

size=$(du -sk "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<EOC
Package: kitetop
Version: $version
Architecture: $arch
Maintainer: kitetop authors <kitetop@localhost>
Installed-Size: $size
Depends: $depends
Recommends: openssh-client
Suggests: docker.io
Section: admin
Priority: optional
Description: terminal dashboard for labs of several Docker hosts
 kitetop shows the Docker hosts of a small self-hosted lab side by side:
 each host's metrics and containers (over SSH or the Docker Engine API),
 Prometheus queries, the shared PostgreSQL and Redis, Authentik and the
 Cloudflare Tunnel's connectors, with safe restarts and traffic flips
 behind an interlock.  Also a command line: status, check (a Nagios
 plugin), logs, events, record and replay.
EOC
find "$root" -type d -exec chmod 755 {} +
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
