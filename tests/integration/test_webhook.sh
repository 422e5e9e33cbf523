#!/usr/bin/env bash
# `mpsdash webhook serve`: the subscription check, signed deliveries appended as whole lines, and
# every kind of bad delivery (bad signature, none, replayed, 2 MiB, one byte per second, invalid
# JSON) refused, counted and never written; rotation the feed follows; direct TLS; secrets
# never on the command line or in the log.
. "$(dirname "$0")/lib.sh"
WH_DIR=$TMP
MPSDASH_SOURCE=${MPSDASH_SOURCE:-$(cd "$MPSDASH_TESTS/.." && pwd)}
. "$IT_DIR/webhook-lib.sh"
trap 'wh_cleanup; cleanup' EXIT

command -v openssl >/dev/null || { echo "SKIP: openssl (to sign deliveries) is not installed"; exit 77; }

EVENTS=$TMP/events.jsonl
CFG=$TMP/webhook.conf
FIX=$MPSDASH_TESTS/fixtures

# ---- what the receiver needs, and refuses to take on the command line
wh_config "$CFG" "$EVENTS"
run env -u WH_SECRET WH_VERIFY=x "$MPSDASH" -c "$CFG" webhook serve --port 0
expect_rc 3 "no app secret: refused"
expect_in "$ERR" "app secret: environment variable WH_SECRET is not set" \
    "it says which source of the app secret failed"
wh_config "$TMP/nosecret.conf" "$EVENTS"
sed -i '/app_secret_env/d' "$TMP/nosecret.conf"
run env WH_VERIFY=x "$MPSDASH" -c "$TMP/nosecret.conf" webhook serve --port 0
expect_rc 3 "no app secret configured: refused"
expect_in "$ERR" "app_secret_env" "it names the settings that give an app secret"
run env -u WH_VERIFY WH_SECRET=x "$MPSDASH" -c "$CFG" webhook serve --port 0
expect_rc 3 "no verify token: refused"
expect_in "$ERR" "verify token: environment variable WH_VERIFY is not set" \
    "it says which source of the verify token failed"
run "$MPSDASH" -c "$CFG" webhook serve --verify-token abc
expect_rc 2 "a verify token on the command line is not an option"
run "$MPSDASH" -c "$CFG" webhook listen
expect_rc 2 "unknown webhook subcommand"
run "$MPSDASH" -c "$CFG" webhook serve --tls-cert /nonexistent
expect_rc 2 "--tls-cert without --tls-key"

wh_start "$CFG" --request-timeout 2 || exit 1
U=http://127.0.0.1:$WH_PORT/webhook
ok "the receiver listens on 127.0.0.1:$WH_PORT"
# The listening sockets on the port, from the kernel's own table (ss is not everywhere).
bound=$(python3 - "$WH_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
for path, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
    try:
        rows = open(path).read().splitlines()[1:]
    except OSError:
        continue
    for row in rows:
        f = row.split()
        addr, p = f[1].split(":")
        if f[3] != "0A" or int(p, 16) != port:  # 0A: LISTEN
            continue
        raw = bytes.fromhex(addr)
        if sys.byteorder == "little":  # printed as 32-bit words in host order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
        print(f"{socket.inet_ntop(family, raw)}:{port}")
PY
)
expect_eq "$bound" "127.0.0.1:$WH_PORT" "by default it binds loopback only"
args=$(tr '\0' ' ' </proc/$WH_PID/cmdline)
expect_not_in "$args" "$WH_SECRET_VALUE" "the app secret is not in argv"
environ=$(tr '\0' '\n' </proc/$WH_PID/environ 2>/dev/null || true)
expect_not_in "$environ" "$WH_SECRET_VALUE" "the app secret left the process environment"
expect_not_in "$environ" "$WH_VERIFY_VALUE" "the verify token left the process environment"

# ---- GET: Meta's subscription check
challenge='1158201444'
got=$(curl -sS -m 5 -w ' %{http_code}' \
    "$U?hub.mode=subscribe&hub.verify_token=$WH_VERIFY_VALUE&hub.challenge=$challenge")
expect_eq "$got" "$challenge 200" "the right verify token: the challenge is echoed verbatim"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    "$U?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=$challenge")
expect_eq "$code" 403 "a wrong verify token: 403"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    "$U?hub.mode=unsubscribe&hub.verify_token=$WH_VERIFY_VALUE&hub.challenge=$challenge")
expect_eq "$code" 403 "a mode other than subscribe: 403"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' \
    "$U?hub.mode=subscribe&hub.verify_token=$WH_VERIFY_VALUE")
expect_eq "$code" 403 "no challenge: 403"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' -X PUT "$U")
expect_eq "$code" 405 "another method: 405"

# ---- POST: a good delivery, then every kind of bad one
lines() { if [ -f "$EVENTS" ]; then wc -l <"$EVENTS" | tr -d ' '; else echo 0; fi; }
wait_lines() { # N: waits up to 5 s for the events file to hold N lines
    local deadline=$((SECONDS + 5))
    while [ "$(lines)" -lt "$1" ] && [ $SECONDS -lt $deadline ]; do sleep 0.02; done
}

cp "$FIX/webhook_partner_solutions.json" "$TMP/good.json" # pretty-printed, many lines
expect_eq "$(wh_post "$U" "$TMP/good.json")" 200 "a signed partner_solutions delivery: 200"
wait_lines 1
expect_eq "$(lines)" 1 "it is appended as one line"
python3 - "$EVENTS" "$TMP/good.json" <<'EOF' && ok "the line is the delivery, unchanged as JSON" || fail "the line is not the delivery"
import json, sys
line = open(sys.argv[1]).read().splitlines()[0]
assert json.loads(line) == json.load(open(sys.argv[2]))
EOF
cp "$FIX/webhook_account_update.json" "$TMP/onboard.json"
expect_eq "$(wh_post "$U" "$TMP/onboard.json")" 200 "a signed account_update delivery: 200"
wait_lines 2
expect_eq "$(lines)" 2 "appended"

expect_eq "$(wh_post "$U" "$TMP/good.json" "$(wh_sign "$TMP/good.json" other-secret)")" 403 \
    "signed with another secret: 403"
expect_eq "$(wh_post "$U" "$TMP/good.json" "sha256=$(printf '%064d' 0)")" 403 "a made-up signature: 403"
expect_eq "$(wh_post "$U" "$TMP/good.json" "sha1=abcdef")" 403 "a malformed signature header: 403"
expect_eq "$(wh_post "$U" "$TMP/good.json" -)" 403 "no signature: 403"
# A byte changed after signing.
sig=$(wh_sign "$TMP/good.json")
sed 's/INITIATED/ACTIVE/' "$TMP/good.json" >"$TMP/tampered.json"
expect_eq "$(wh_post "$U" "$TMP/tampered.json" "$sig")" 403 "a body changed after signing: 403"

expect_eq "$(wh_post "$U" "$TMP/good.json")" 200 "a replayed delivery is answered 200 ..."
sleep 0.3
expect_eq "$(lines)" 2 "... and not written again"

head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$TMP/big.json"
printf '{"object":"whatsapp_business_account","entry":[]}' >>"$TMP/big.json"
expect_eq "$(wh_post "$U" "$TMP/big.json")" 413 "a signed 2 MiB delivery: 413"
code=$(wh_post "$U" "$TMP/big.json" "" -H 'Transfer-Encoding: chunked')
expect_eq "$code" 413 "the same, chunked (no length announced): 413"

printf '{"object":"whatsapp_business_account","entry":[' >"$TMP/broken.json"
expect_eq "$(wh_post "$U" "$TMP/broken.json")" 400 "signed invalid JSON: 400"
printf '{"object":"page"}' >"$TMP/noentry.json"
expect_eq "$(wh_post "$U" "$TMP/noentry.json")" 400 "signed JSON that is no delivery: 400"
printf '{"object":"whatsapp_business_account","entry":[{"id":"1\nx","changes":[]}]}' >"$TMP/rawlf.json"
expect_eq "$(wh_post "$U" "$TMP/rawlf.json")" 400 "a raw line feed inside a string: 400"

# One byte per second: cut at the deadline (2 s here), nothing written.
slow=$(python3 - "$WH_PORT" "$TMP/onboard.json" "$WH_SECRET_VALUE" <<'EOF'
import hashlib, hmac, socket, sys, time
port, path, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
body = open(path, "rb").read().replace(b"PARTNER_ADDED", b"PARTNER_SLOW_")
sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(("POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "X-Hub-Signature-256: %s\r\nContent-Length: %d\r\n\r\n" % (sig, len(body))).encode())
t0 = time.time()
for b in body:
    try:
        s.sendall(bytes([b]))
    except OSError:
        break
    s.settimeout(1.0)
    try:
        d = s.recv(200)
        if not d:
            break
        print("answered:", d.split(b"\r\n")[0].decode())
        sys.exit(0)
    except socket.timeout:
        pass
print("cut after %.0f s" % (time.time() - t0))
EOF
)
case "$slow" in
"cut after "[2-4]" s" | *" 408 "*) ok "one byte per second is refused at the deadline ($slow)" ;;
*) fail "one byte per second: $slow" ;;
esac
sleep 0.3
expect_eq "$(lines)" 2 "none of the bad deliveries was written"
if grep -q PARTNER_SLOW_ "$EVENTS"; then fail "the slow delivery was written"; fi

# Many at once: every line whole.
posters=()
for i in $(seq 1 40); do
    sed "s/774485461512159/77448546151$(printf '%04d' "$i")/" "$TMP/good.json" >"$TMP/many$i.json"
    wh_post "$U" "$TMP/many$i.json" >"$TMP/many$i.code" &
    posters+=($!)
done
wait "${posters[@]}"
codes=$(for f in "$TMP"/many*.code; do cat "$f"; echo; done | sort | uniq -c | tr -s ' ')
expect_eq "$codes" " 40 200" "40 deliveries at once: all 200"
wait_lines 42
expect_eq "$(lines)" 42 "all 40 appended"
python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    json.loads(line)
' "$EVENTS" && ok "every line of the file is one whole JSON delivery" || fail "a line is not whole JSON"
run "$MPSDASH" events --events-file "$EVENTS"
expect_rc 0 "the events command reads what the receiver wrote"
expect_in "$ERR" "42 events from 42 lines (0 not a webhook delivery" \
    "no line of it is a bad line to the feed"

wh_stop
counters=$(tail -n 1 "$TMP/receiver.err")
expect_in "$counters" "accepted 42, written 42, replayed 1" "the final counters: accepted and written"
expect_in "$counters" "1 unsigned, 4 bad signature, 2 oversized, 3 malformed, 1 slow" \
    "the final counters: every refusal counted"
expect_in "$counters" "subscription checks 1" "one subscription check answered"
log=$(cat "$TMP/receiver.err")
expect_not_in "$log" "$WH_SECRET_VALUE" "the log never holds the app secret"
expect_not_in "$log" "$WH_VERIFY_VALUE" "the log never holds the verify token"
expect_not_in "$log" "$sig" "the log never holds a signature"

# ---- a restart remembers what was written: a replay after it is not written again
wh_start "$CFG" || exit 1
U=http://127.0.0.1:$WH_PORT/webhook
expect_eq "$(wh_post "$U" "$TMP/onboard.json")" 200 "after a restart a replay is answered 200 ..."
sleep 0.3
expect_eq "$(lines)" 42 "... and not written"
wh_stop

# ---- rotation by size: the old file becomes FILE.1, lines stay whole, the feed follows
ROT=$TMP/rot.jsonl
wh_config "$TMP/rot.conf" "$ROT"
wh_start "$TMP/rot.conf" --rotate-size 2000 --no-fsync || exit 1
U=http://127.0.0.1:$WH_PORT/webhook
for i in $(seq 1 12); do
    printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":1795392000,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_UPDATED","solution_id":"9%014d","solution_status":"ACTIVE"}}]}]}' "$i" >"$TMP/r.json"
    [ "$(wh_post "$U" "$TMP/r.json")" = 200 ] || fail "rotation delivery $i refused"
done
wh_stop
total=$(cat "$ROT" "$ROT".* 2>/dev/null | wc -l | tr -d ' ')
expect_eq "$total" 12 "12 deliveries across the rotated files"
[ -f "$ROT.1" ] && ok "the file was rotated to FILE.1" || fail "no FILE.1 after 12 deliveries of ~200 bytes"
size=$(stat -c %s "$ROT")
[ "$size" -le 2000 ] && ok "the current file stays under the rotation size ($size bytes)" ||
    fail "the current file is $size bytes"
expect_in "$(cat "$TMP/receiver.err")" "rotations" "rotations are counted"

# ---- direct TLS
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1
wh_start "$CFG" --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" || exit 1
got=$(curl -sS -m 5 --cacert "$TMP/cert.pem" -w ' %{http_code}' \
    "https://127.0.0.1:$WH_PORT/webhook?hub.mode=subscribe&hub.verify_token=$WH_VERIFY_VALUE&hub.challenge=42")
expect_eq "$got" "42 200" "--tls-cert/--tls-key: the subscription check over HTTPS"
sed 's/774485461512159/774485461599999/' "$TMP/good.json" >"$TMP/tls.json"
expect_eq "$(wh_post "https://127.0.0.1:$WH_PORT/webhook" "$TMP/tls.json" "" --cacert "$TMP/cert.pem")" 200 \
    "a signed delivery over HTTPS: 200"
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WH_PORT/webhook" 2>/dev/null)
[ "$code" != 200 ] && ok "plain HTTP is not answered on the TLS port ($code)" || fail "plain HTTP answered 200"
wh_stop
grep -q 774485461599999 "$EVENTS" && ok "the HTTPS delivery was written" || fail "the HTTPS delivery is missing"
run env WH_SECRET=x WH_VERIFY=y "$MPSDASH" -c "$CFG" webhook serve --port 0 \
    --tls-cert "$TMP/cert.pem" --tls-key "$TMP/nope.pem"
expect_rc 1 "an unreadable TLS key: refused at start"
expect_in "$ERR" "nope.pem" "the message names the file"

finish
