#!/usr/bin/env bash
# The sandbox's control API needs no token, so it refuses what a web page could send it: a Host
# that is not its loopback address (DNS rebinding) and a change not sent as application/json
# (a cross-site form). The server bounds its connections with a clear refusal and closes idle
# connections within seconds.
. "$(dirname "$0")/lib.sh"

start_sandbox
fault_count() { # installs nothing: asks how many faults a harmless POST reports
    curl -sS -m 5 -X POST -H "$JSON_CT" "$URL/__sandbox/fault" \
        -d '{"match":"GET /nothing-matches-this","kind":"latency","ms":1}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["faults"])'
}
FAULT='{"match":"GET","kind":"status503","times":-1}'

# ---- a foreign Host: refused, nothing changed
code=$(curl -sS -m 5 -o "$TMP/body" -w '%{http_code}' -X POST -H "$JSON_CT" \
    -H "Host: rebound.example:$PORT" "$URL/__sandbox/fault" -d "$FAULT")
expect_eq "$code" 421 "a POST with a foreign Host is refused (421)"
expect_in "$(cat "$TMP/body")" "loopback" "the refusal says why"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "Host: rebound.example:$PORT" "$URL/__sandbox/state")
expect_eq "$code" 421 "a GET with a foreign Host is refused too"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -H "Host: 127.0.0.1:1" "$URL/__sandbox/state")
expect_eq "$code" 421 "loopback on another port is not this sandbox"

# ---- not application/json: refused (a form a page could post without asking)
code=$(curl -sS -m 5 -o "$TMP/body" -w '%{http_code}' -X POST "$URL/__sandbox/fault" -d "$FAULT")
expect_eq "$code" 415 "a form-encoded POST is refused (415)"
expect_in "$(cat "$TMP/body")" "application/json" "the refusal names the content type"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: text/plain' \
    "$URL/__sandbox/fault" -d "$FAULT")
expect_eq "$code" 415 "a text/plain POST is refused"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X DELETE "$URL/__sandbox/fault")
expect_eq "$code" 415 "a DELETE without application/json is refused"
expect_eq "$(fault_count)" 1 "none of the refused requests installed a fault"
run as_a list
expect_rc 0 "the API still answers normally"

# ---- the allowed forms still work
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json; charset=utf-8' -H "Host: localhost:$PORT" \
    "$URL/__sandbox/mutate" -d '{"id":"nope"}')
expect_eq "$code" 404 "localhost and a charset parameter are accepted (the request reaches the API)"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "$URL/__sandbox/state")
expect_eq "$code" 200 "a plain GET from the test works"

# ---- an idle connection is closed within seconds
idle=$(python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(30)
t = time.monotonic()
try:
    data = s.recv(1)
except (socket.timeout, OSError):
    data = b"x"
print("%d" % (time.monotonic() - t) if data == b"" else "never")
PY
)
case "$idle" in
never) fail "an idle connection is closed" "still open after 30 s" ;;
*) if [ "$idle" -le 10 ]; then ok "an idle connection is closed within seconds (${idle}s)"; else
    fail "an idle connection is closed within seconds (${idle}s)"; fi ;;
esac

# ---- bounded connections: one more than the bound gets a clear 503, then service resumes
# the holder keeps its connections busy (a byte now and then, under the idle time-out) until
# the test removes the file it wrote
python3 - "$PORT" "$TMP/over" <<'PY' &
import os, socket, sys, time
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(64)]
open(sys.argv[2], "w").write("held\n")
end = time.monotonic() + 60
while os.path.exists(sys.argv[2]) and time.monotonic() < end:
    for s in held:
        try:
            s.send(b"G")
        except OSError:
            pass
    time.sleep(0.5)
PY
holder=$!
deadline=$((SECONDS + 10))
while [ ! -s "$TMP/over" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
sleep 0.3
code=$(curl -sS -m 5 -o "$TMP/body" -w '%{http_code}' "$URL/__sandbox/state")
expect_eq "$code" 503 "a connection over the bound is refused with 503"
expect_in "$(cat "$TMP/body")" "at most 64 connections" "the refusal says the bound"
rm -f "$TMP/over"
wait $holder
sleep 0.5
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "$URL/__sandbox/state")
expect_eq "$code" 200 "once they close, requests are served again"

finish
