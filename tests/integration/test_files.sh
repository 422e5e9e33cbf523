#!/usr/bin/env bash
# Files mpsdash writes where others may write too: the sandbox's port file goes through an
# unpredictable temporary opened O_EXCL|O_NOFOLLOW, and no log or trace follows a planted link.
. "$(dirname "$0")/lib.sh"

# ---- a link planted at the old, predictable temporary name (PORTFILE.tmpPID) is left alone
victim=$TMP/victim
printf 'precious\n' >"$victim"
portfile=$TMP/pf/port
mkdir -p "$TMP/pf"
# exec keeps the pid, so the link can be planted at the name that pid would use.
bash -c 'ln -s "$1" "$2.tmp$$"; exec "$3" sandbox --port 0 --port-file "$2"' _ \
    "$victim" "$portfile" "$MPSDASH" >"$TMP/sbx.out" 2>&1 &
pid=$!
deadline=$((SECONDS + 15))
while [ ! -s "$portfile" ] && kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
if [ -s "$portfile" ]; then ok "the port file was written"; else fail "the port file was written" "$(cat "$TMP/sbx.out")"; fi
expect_eq "$(cat "$victim")" "precious" "the file behind the planted link is untouched"
port=$(cat "$portfile" 2>/dev/null)
case "$port" in
'' | *[!0-9]*) fail "the port file holds a port" "got: $port" ;;
*) ok "the port file holds a port ($port)" ;;
esac
if [ "$(stat -c %a "$portfile" 2>/dev/null)" = 644 ]; then ok "the port file is readable by others (0644)"; else
    fail "the port file is readable by others (0644)" "mode $(stat -c %a "$portfile" 2>/dev/null)"; fi
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
leftover=$(find "$TMP/pf" -name 'port.*' ! -type l | wc -l)
expect_eq "$leftover" 0 "no temporary file is left behind"

# ---- a request log or events file that is a symbolic link is refused at start
ln -s "$victim" "$TMP/reqlog-link"
# (bounded: a sandbox that accepted the link would run until stopped)
run timeout 10 "$MPSDASH" sandbox --port 0 --request-log "$TMP/reqlog-link"
expect_rc 1 "the sandbox refuses a request log that is a link"
expect_in "$ERR" "symbolic link" "it says why"
expect_eq "$(cat "$victim")" "precious" "the link's target is untouched"

# ---- a trace file that is a symbolic link is refused
start_sandbox
ln -s "$victim" "$TMP/trace-link"
run as_a --trace "$TMP/trace-link" list
expect_nonzero "a trace file that is a link is refused"
expect_eq "$(cat "$victim")" "precious" "the trace did not go through the link"
expect_eq "$(requests)" 0 "nothing was sent"

finish
