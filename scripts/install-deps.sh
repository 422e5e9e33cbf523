#!/bin/sh
# Installs the system packages mpsdash needs to build and test, when any is missing.
# Debian/Ubuntu: apt-get (through sudo when not root). Elsewhere: says what to install.
set -eu

# Build: compiler, cmake, pkg-config and the libraries. Tests: cmocka, tmux (the dashboard in a
# real terminal), python3 and curl (scripted checks and the sandbox's control API), groff-base
# (the man pages format without warnings), bsdutils (script: a pty for the CLI's prompt),
# nodejs (node --check: the Embedded Signup snippet is valid JavaScript).
PKGS="build-essential cmake pkg-config libncurses-dev libcurl4-openssl-dev libjson-c-dev \
libconfig-dev libmicrohttpd-dev libssl-dev libcmocka-dev tmux python3 curl groff-base bsdutils \
nodejs"
# tests/bench/bench_rtt.sh: a TLS/HTTP2 front (nghttpx), certificates, and the curl+jq and Python
# requests clients it compares with
PKGS="$PKGS nghttp2-proxy openssl jq python3-requests"
# The webhook receiver's tests: a real nginx in front of it, openssl to sign deliveries and make
# certificates.
PKGS="$PKGS nginx openssl"
# npm: the conformance test installs Stoplight Prism into the build tree. Not asked for when an
# npm is already there (one bundled with another build of node would conflict with Debian's).
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
# libsmartcols (util-linux): the command line's tables.
PKGS="$PKGS libsmartcols-dev"
# libjq: --jq filters JSON output as jq does.
PKGS="$PKGS libjq-dev"
# The package and its test: dpkg-shlibdeps (dpkg-dev) and file for CPack's Depends, man-db to
# read the installed man page, bash-completion to load the installed completion.
PKGS="$PKGS dpkg-dev file man-db bash-completion"

# Real TLS, HTTP/2 and proxies in tests/integration/test_tls.sh: nghttpx in front of the
# sandbox, openssl to make its CA, tinyproxy for https_proxy (CONNECT).
PKGS="$PKGS nghttp2-proxy openssl tinyproxy"

# tests/style: clang-tidy over src/ (.clang-tidy) and clang-format --dry-run over the sources
# (.clang-format; scripts/format.sh applies it).
PKGS="$PKGS clang-tidy clang-format"

# tests/integration/test_completion: the zsh and fish scripts are parsed by their shells.
PKGS="$PKGS zsh fish"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $PKGS; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$status" in
            *"install ok installed"*) ;;
            *) missing="$missing $p" ;;
        esac
    done
    [ -z "$missing" ] && exit 0
    echo "mpsdash: installing:$missing"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
            echo "mpsdash: not root and no sudo; please install:$missing" >&2; exit 1
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
    exit 0
fi

cat >&2 <<'MSG'
mpsdash: this is not a Debian/Ubuntu system, so nothing was installed. You need:
  a C11 compiler, cmake >= 3.18, pkg-config, and the development files of
  ncursesw, libcurl (>= 7.68), json-c (>= 0.15), libconfig (>= 1.5), libmicrohttpd,
  libsmartcols (util-linux), libjq,
  cmocka and OpenSSL libcrypto; tmux, python3, curl, groff and node for the tests.
  Fedora: dnf install gcc cmake pkgconf ncurses-devel libcurl-devel json-c-devel libconfig-devel
          libmicrohttpd-devel libcmocka-devel openssl-devel tmux python3
  Arch:   pacman -S base-devel cmake ncurses curl json-c libconfig libmicrohttpd cmocka openssl tmux python
  (Linux only: macOS and the BSDs lack prctl and glibc's qsort_r.)
MSG
for tool in cc cmake pkg-config; do
    command -v "$tool" >/dev/null 2>&1 || { echo "mpsdash: $tool is missing" >&2; exit 1; }
done
exit 0
