#!/usr/bin/env bash
# Sourced by the conformance test: makes Stoplight Prism (pinned) available in the build tree and
# sets PRISM to its executable, or exits 77 (skipped) saying why. An installed copy of the pinned
# version is reused; npm's cache lives in the build tree too, so a rebuilt tree installs from it.

PRISM_PACKAGE=@stoplight/prism-cli
# 5.14.2: the newest 5.x whose engines accept Debian 12's node (18.20); later ones want node 24.
PRISM_VERSION=5.14.2

: "${MPSDASH_BUILD:?MPSDASH_BUILD must name the build tree}"
PRISM_DIR=$MPSDASH_BUILD/prism
PRISM=$PRISM_DIR/node_modules/.bin/prism

skip() {
    echo "SKIP: $*"
    exit 77
}

prism_installed_version() {
    local pkg=$PRISM_DIR/node_modules/@stoplight/prism-cli/package.json
    [ -f "$pkg" ] && [ -x "$PRISM" ] || return 1
    node -e 'process.stdout.write(require(process.argv[1]).version)' "$pkg" 2>/dev/null
}

command -v node >/dev/null 2>&1 || skip "node is not installed, so Prism cannot run"
if [ "$(prism_installed_version)" != "$PRISM_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || skip "npm is not installed, so Prism cannot be installed"
    mkdir -p "$PRISM_DIR"
    # One installer at a time (two test runs sharing a build tree).
    exec 9>"$PRISM_DIR/.lock"
    flock 9 2>/dev/null || true
    if [ "$(prism_installed_version)" != "$PRISM_VERSION" ]; then
        echo "# installing $PRISM_PACKAGE@$PRISM_VERSION into $PRISM_DIR"
        # --ignore-scripts: nothing of Prism's needs an install script, and one dependency's
        # only reports usage over the network.
        if ! npm install --prefix "$PRISM_DIR" --cache "$MPSDASH_BUILD/npm-cache" \
            --no-audit --no-fund --ignore-scripts --no-save --loglevel=error \
            "$PRISM_PACKAGE@$PRISM_VERSION" >"$PRISM_DIR/npm-install.log" 2>&1; then
            sed 's/^/#   /' "$PRISM_DIR/npm-install.log" | tail -n 15
            skip "npm could not install $PRISM_PACKAGE@$PRISM_VERSION (no registry?)"
        fi
    fi
    exec 9>&-
    [ "$(prism_installed_version)" = "$PRISM_VERSION" ] ||
        skip "npm ran but $PRISM_PACKAGE@$PRISM_VERSION is not in $PRISM_DIR"
fi
