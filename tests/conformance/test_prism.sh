#!/usr/bin/env bash
# Conformance: every command of the CLI that talks to the API, against Stoplight Prism mocking
# Meta's OpenAPI description of the MPS calls (../shared/reference beside the source tree). Prism
# validates each request against the spec; the test fails when any request breaks it, when a
# command does not succeed, or when a command asks for what the spec lacks more than once (the
# partners edge, batch: learnt once per client). Skipped (exit 77), saying why, without the
# reference files, node or npm. ctest sets MPSDASH, MPSDASH_SOURCE and MPSDASH_BUILD.
set -u
: "${MPSDASH:?MPSDASH must name the mpsdash binary}"
: "${MPSDASH_SOURCE:?MPSDASH_SOURCE must name the source tree}"
: "${MPSDASH_BUILD:?MPSDASH_BUILD must name the build tree}"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }

# The reference files sit beside the source tree; a git worktree's source tree is elsewhere, so
# also look beside the repository the worktree belongs to.
find_reference() {
    local dir common
    for dir in "${MPSDASH_REFERENCE:-}" "$MPSDASH_SOURCE/../shared/reference"; do
        [ -n "$dir" ] && [ -f "$dir/meta-openapi-mps-nonext.yaml" ] && { echo "$dir"; return; }
    done
    common=$(git -C "$MPSDASH_SOURCE" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)
    dir=${common%/.git}/../shared/reference
    [ -n "$common" ] && [ -f "$dir/meta-openapi-mps-nonext.yaml" ] && echo "$dir"
}
REFERENCE=$(find_reference)
[ -n "$REFERENCE" ] || {
    echo "SKIP: ../shared/reference/meta-openapi-mps-nonext.yaml is not beside the source tree"
    exit 77
}

. "$(dirname "$0")/prism-setup.sh"

TMP=$(mktemp -d /tmp/mpsdash-conformance.XXXXXX)
PRISM_PID=
cleanup() {
    if [ -n "$PRISM_PID" ]; then
        kill -TERM "$PRISM_PID" 2>/dev/null
        wait "$PRISM_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
export LC_ALL=${LC_ALL:-C.UTF-8} NO_COLOR=1 FORCE_COLOR=0 SCARF_ANALYTICS=false DO_NOT_TRACK=1
unset MPSDASH_TOKEN

# Prism starts in seconds: once per run, on a free loopback port (again on another if taken).
for attempt in 1 2 3; do
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$PRISM" mock -h 127.0.0.1 -p "$PORT" "$REFERENCE/meta-openapi-mps-nonext.yaml" \
        >"$TMP/prism.log" 2>&1 &
    PRISM_PID=$!
    deadline=$((SECONDS + 90))
    while kill -0 "$PRISM_PID" 2>/dev/null && [ $SECONDS -lt $deadline ] &&
        ! grep -q "Prism is listening" "$TMP/prism.log"; do
        sleep 0.2
    done
    grep -q "Prism is listening" "$TMP/prism.log" && break
    kill -TERM "$PRISM_PID" 2>/dev/null
    wait "$PRISM_PID" 2>/dev/null
    PRISM_PID=
    echo "# Prism did not start (attempt $attempt):"
    tail -n 5 "$TMP/prism.log" | sed 's/^/#   /'
done
[ -n "$PRISM_PID" ] || { echo "not ok 1 - Prism did not start"; exit 1; }
echo "# Prism $PRISM_VERSION on 127.0.0.1:$PORT with $REFERENCE/meta-openapi-mps-nonext.yaml"

python3 "$(dirname "$0")/drive.py" "$MPSDASH" "http://127.0.0.1:$PORT" "$TMP/prism.log" "$TMP"
