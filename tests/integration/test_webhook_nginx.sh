#!/usr/bin/env bash
# The receiver behind a real nginx (Debian's), configured from contrib/nginx/mpsdash-webhook.conf:
# TLS ends at nginx, the subscription check and signed deliveries pass through unchanged, bad
# ones are refused by the receiver (or, over the size limit, by nginx), and only /webhook is
# proxied. nginx runs in the foreground on a free 127.0.0.1 port with its own pid, logs and
# temporary files, and is stopped at the end.
. "$(dirname "$0")/lib.sh"
WH_DIR=$TMP
MPSDASH_SOURCE=${MPSDASH_SOURCE:-$(cd "$MPSDASH_TESTS/.." && pwd)}
. "$IT_DIR/webhook-lib.sh"
trap 'wh_cleanup; cleanup' EXIT

command -v openssl >/dev/null || { echo "SKIP: openssl is not installed"; exit 77; }
EVENTS=$TMP/events.jsonl
wh_config "$TMP/webhook.conf" "$EVENTS"
wh_start "$TMP/webhook.conf" || exit 1
nginx_start "$WH_PORT"
case $? in
0) ok "nginx runs on 127.0.0.1:$NGINX_PORT in front of the receiver on $WH_PORT" ;;
77) echo "SKIP: nginx is not installed (scripts/install-deps.sh installs it)"; exit 77 ;;
*) fail "nginx did not start"; finish ;;
esac
N=https://127.0.0.1:$NGINX_PORT
CURL=(curl -sS -m 10 --cacert "$WH_CA")

got=$("${CURL[@]}" -w ' %{http_code}' \
    "$N/webhook?hub.mode=subscribe&hub.verify_token=$WH_VERIFY_VALUE&hub.challenge=987654321")
expect_eq "$got" "987654321 200" "the subscription check through nginx"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' \
    "$N/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
expect_eq "$code" 403 "a wrong verify token through nginx: 403"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$N/other")
expect_eq "$code" 404 "only /webhook is passed on"

cp "$MPSDASH_TESTS/fixtures/webhook_partner_solutions.json" "$TMP/good.json"
cp "$MPSDASH_TESTS/fixtures/webhook_account_update.json" "$TMP/onboard.json"
expect_eq "$(wh_post "$N/webhook" "$TMP/good.json" "" --cacert "$WH_CA")" 200 \
    "a signed delivery through nginx: 200"
expect_eq "$(wh_post "$N/webhook" "$TMP/onboard.json" "" --cacert "$WH_CA")" 200 \
    "a signed onboarding through nginx: 200"
expect_eq "$(wh_post "$N/webhook" "$TMP/good.json" "sha256=$(printf '%064d' 7)" --cacert "$WH_CA")" 403 \
    "a bad signature through nginx: 403"
expect_eq "$(wh_post "$N/webhook" "$TMP/good.json" - --cacert "$WH_CA")" 403 \
    "no signature through nginx: 403"
expect_eq "$(wh_post "$N/webhook" "$TMP/good.json" "" --cacert "$WH_CA")" 200 \
    "a replay through nginx: 200 ..."
printf '{"entry":' >"$TMP/broken.json"
expect_eq "$(wh_post "$N/webhook" "$TMP/broken.json" "" --cacert "$WH_CA")" 400 \
    "signed invalid JSON through nginx: 400"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$TMP/big.json"
expect_eq "$(wh_post "$N/webhook" "$TMP/big.json" "" --cacert "$WH_CA")" 413 \
    "2 MiB: nginx refuses it before the receiver sees it"

deadline=$((SECONDS + 5))
while [ "$(wc -l <"$EVENTS" 2>/dev/null || echo 0)" -lt 2 ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
expect_eq "$(wc -l <"$EVENTS" | tr -d ' ')" 2 "... and it is not written twice: 2 lines"
python3 - "$EVENTS" "$TMP/good.json" "$TMP/onboard.json" <<'EOF' && ok "the lines are the deliveries nginx passed on, byte for byte as JSON" || fail "the lines differ from the deliveries"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert [json.loads(l) for l in lines] == [json.load(open(p)) for p in sys.argv[2:]]
EOF
grep -q 'POST /webhook' "$TMP/nginx/access.log" && ok "nginx logged the deliveries it proxied" ||
    fail "nginx's access log has no POST /webhook"

nginx_stop
wh_stop
expect_in "$(tail -n 1 "$TMP/receiver.err")" "accepted 2, written 2, replayed 1" \
    "the receiver's counters: 2 taken, 1 replay"
expect_in "$(tail -n 1 "$TMP/receiver.err")" "1 unsigned, 1 bad signature, 0 oversized, 1 malformed" \
    "the receiver's counters: the refusals it saw"
finish
