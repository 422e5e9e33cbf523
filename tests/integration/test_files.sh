#!/usr/bin/env bash
# Files mpsdash writes where others may write too: the port file of `sandbox` and `webhook serve`
# goes through an unpredictable temporary opened O_EXCL|O_NOFOLLOW, and no log or trace follows a
# planted link.
. "$(dirname "$0")/lib.sh"

# ---- a link planted at the old, predictable temporary name (PORTFILE.tmpPID) is left alone, by
# both foreground servers (they share the step that writes the port file)
victim=$TMP/victim
printf 'precious\n' >"$victim"
WH_DIR=$TMP
. "$IT_DIR/webhook-lib.sh"
wh_config "$TMP/webhook.conf" "$TMP/events.jsonl"
for who in sandbox webhook; do
    case $who in
    sandbox) cmd=(sandbox) ;;
    webhook) cmd=(-c "$TMP/webhook.conf" webhook serve) ;;
    esac
    portfile=$TMP/pf-$who/port
    mkdir -p "$TMP/pf-$who"
    # exec keeps the pid, so the link can be planted at the name that pid would use.
    WH_SECRET=$WH_SECRET_VALUE WH_VERIFY=$WH_VERIFY_VALUE \
        bash -c 'ln -s "$1" "$2.tmp$$"; t=$3; shift 3; exec "$t" "$@"' _ \
        "$victim" "$portfile" "$MPSDASH" "${cmd[@]}" --port 0 --port-file "$portfile" \
        >"$TMP/$who.out" 2>&1 </dev/null &
    pid=$!
    deadline=$((SECONDS + 15))
    while [ ! -s "$portfile" ] && kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    if [ -s "$portfile" ]; then ok "$who: the port file was written"; else
        fail "$who: the port file was written" "$(cat "$TMP/$who.out")"; fi
    expect_eq "$(cat "$victim")" "precious" "$who: the file behind the planted link is untouched"
    port=$(cat "$portfile" 2>/dev/null)
    case "$port" in
    '' | *[!0-9]*) fail "$who: the port file holds a port" "got: $port" ;;
    *) ok "$who: the port file holds a port ($port)" ;;
    esac
    if [ "$(stat -c %a "$portfile" 2>/dev/null)" = 644 ]; then ok "$who: the port file is readable by others (0644)"; else
        fail "$who: the port file is readable by others (0644)" "mode $(stat -c %a "$portfile" 2>/dev/null)"; fi
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    leftover=$(find "$TMP/pf-$who" -name 'port.*' ! -type l | wc -l)
    expect_eq "$leftover" 0 "$who: no temporary file is left behind"
done

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
