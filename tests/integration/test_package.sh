#!/usr/bin/env bash
# Packaging: `make install` honours PREFIX and DESTDIR and runs no apt, `uninstall` takes it all
# back, and the .deb from CMake's package target holds the binary, gzipped man pages, themes,
# completions, an example config, README and LICENSE, declares its library dependencies, and
# works once installed into a scratch root (binary, man page, completion), with no build path
# compiled in.
. "$(dirname "$0")/lib.sh"
: "${MPSDASH_SOURCE:?MPSDASH_SOURCE must name the source tree}"
for tool in dpkg-deb dpkg-shlibdeps file man make; do
    command -v "$tool" >/dev/null 2>&1 || { echo "# SKIP: $tool is missing"; exit 77; }
done
unset MPSDASH_THEMES_DIR
BUILD=$TMP/build
JOBS=${JOBS:-2}

# apt-get and sudo that only say they were called: make install must not call them
mkdir -p "$TMP/shim"
for t in apt-get apt sudo; do
    printf '#!/bin/sh\necho "%s $*" >>"%s/apt-called"\nexit 1\n' "$t" "$TMP" >"$TMP/shim/$t"
    chmod +x "$TMP/shim/$t"
done

# ---- make install PREFIX=/usr DESTDIR=...
DEST=$TMP/dest
if PATH=$TMP/shim:$PATH make -s -C "$MPSDASH_SOURCE" install BUILD="$BUILD" PREFIX=/usr DESTDIR="$DEST" \
    JOBS="$JOBS" CMAKE_ARGS="-DMPSDASH_TESTS=OFF" >"$TMP/install.log" 2>&1; then
    ok "make install PREFIX=/usr DESTDIR=..."
else
    fail "make install PREFIX=/usr DESTDIR=..." "$(tail -20 "$TMP/install.log")"
fi
if [ -e "$TMP/apt-called" ]; then fail "make install runs no apt" "$(cat "$TMP/apt-called")"; else
    ok "make install runs no apt"; fi
expect_eq "$(grep -E '^CMAKE_BUILD_TYPE:' "$BUILD/CMakeCache.txt")" "CMAKE_BUILD_TYPE:STRING=Release" \
    "Release is the default build type"
for f in usr/bin/mpsdash usr/share/man/man1/mpsdash.1.gz usr/share/man/man5/mpsdash.conf.5.gz \
    usr/share/mpsdash/themes/default.theme usr/share/mpsdash/themes/light.theme \
    usr/share/bash-completion/completions/mpsdash usr/share/zsh/vendor-completions/_mpsdash \
    usr/share/fish/vendor_completions.d/mpsdash.fish usr/share/doc/mpsdash/README.md \
    usr/share/doc/mpsdash/LICENSE usr/share/doc/mpsdash/examples/config; do
    if [ -f "$DEST/$f" ]; then ok "installed under DESTDIR and PREFIX: /$f"; else fail "installed: /$f"; fi
done
if DESTDIR="$DEST" cmake --build "$BUILD" --target uninstall >"$TMP/uninstall.log" 2>&1 &&
    [ -z "$(find "$DEST" -type f)" ]; then
    ok "the uninstall target removes every installed file"
else
    fail "the uninstall target removes every installed file" "$(find "$DEST" -type f | head)"
fi

# ---- the .deb
if cmake --build "$BUILD" --target package >"$TMP/package.log" 2>&1; then ok "the package target"; else
    fail "the package target" "$(tail -20 "$TMP/package.log")"; fi
DEB=$(ls "$BUILD"/mpsdash_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { fail "a .deb was made"; finish; }
ok "a .deb was made: $(basename "$DEB"), $(stat -c %s "$DEB") bytes"
depends=$(dpkg-deb -f "$DEB" Depends)
note "Depends: $depends"
for lib in libc6 libcurl4 libjson-c5 libconfig9 libmicrohttpd12 libncursesw6 libssl3 libsmartcols1 libjq1; do
    expect_in "$depends" "$lib" "the package depends on $lib"
done
contents=$(dpkg-deb -c "$DEB")
expect_not_in "$contents" "test_" "no test binary in the package"

ROOT=$TMP/root
dpkg -x "$DEB" "$ROOT"
BIN=$ROOT/usr/bin/mpsdash
run "$BIN" --version
expect_rc 0 "the installed binary runs: --version"
expect_in "$OUT" "mpsdash" "--version names the program"
run "$BIN" --help
expect_rc 0 "the installed binary runs: --help"
expect_in "$OUT" "completion" "--help lists the commands"
run man -l "$ROOT/usr/share/man/man1/mpsdash.1.gz"
expect_rc 0 "the installed man page formats (man -l)"
expect_in "$OUT" "EXIT STATUS" "the man page is the whole manual"
run man -l "$ROOT/usr/share/man/man5/mpsdash.conf.5.gz"
expect_rc 0 "the installed mpsdash.conf(5) formats"
if grep -q -a -F "$MPSDASH_SOURCE" "$BIN" || grep -q -a -F "$BUILD" "$BIN"; then
    fail "no build-tree path is compiled into the installed binary"
else
    ok "no build-tree path is compiled into the installed binary"
fi
if grep -q -a -F "/usr/share/mpsdash" "$BIN"; then ok "the binary looks for themes under /usr/share"; else
    fail "the binary looks for themes under /usr/share"; fi
run "$BIN" -c "$ROOT/usr/share/doc/mpsdash/examples/config" completion profiles
expect_eq "$OUT" "$(printf 'prod\nstaging\nsandbox')" "the example config parses and names its profiles"
run bash -c ". '$ROOT/usr/share/bash-completion/completions/mpsdash' && complete -p mpsdash"
expect_eq "$OUT" "complete -F _mpsdash mpsdash" "the installed bash completion registers itself"

finish
