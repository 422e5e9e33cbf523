#!/usr/bin/env bash
# End to end: Meta's side (this test) signs deliveries and sends them through a real nginx to
# `mpsdash webhook serve`, which appends them to the events file the dashboard tails; the events
# view shows each within a second of its 200, and refused deliveries never appear.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"
WH_DIR=$TUI_DIR
. "$MPSDASH_TESTS/integration/webhook-lib.sh"
trap 'wh_cleanup; tui_cleanup' EXIT

command -v openssl >/dev/null || { echo "SKIP: openssl is not installed"; exit 77; }

sandbox_start
views_config
wh_config "$TUI_DIR/webhook.conf" "$EVENTS_FILE"
wh_start "$TUI_DIR/webhook.conf" || fail "the receiver did not start"
nginx_start "$WH_PORT"
case $? in
0) ;;
77) echo "SKIP: nginx is not installed (scripts/install-deps.sh installs it)"; exit 77 ;;
*) fail "nginx did not start" ;;
esac
N=https://127.0.0.1:$NGINX_PORT/webhook
got=$(curl -sS -m 10 --cacert "$WH_CA" \
    "$N?hub.mode=subscribe&hub.verify_token=$WH_VERIFY_VALUE&hub.challenge=31337")
[ "$got" = 31337 ] || fail "the subscription check through nginx answered '$got'"
pass "the subscription check passes through nginx"

tui_start 170 45 -p shrub
wait_for "Lucky Shrub Orders"
keys E
wait_for "no events yet"

delivery() { # FILE SOLUTION_ID STATUS
    printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":%s,"changes":[{"field":"partner_solutions","value":{"event":"SOLUTION_UPDATED","solution_id":"%s","solution_status":"%s"}}]}]}' \
        "$(date +%s)" "$2" "$3" >"$1"
}
now_ms() { date +%s%3N; }

# Refused ones first: they must never reach the screen.
delivery "$TUI_DIR/bad.json" 440100000000019 FORGED_STATUS
code=$(wh_post "$N" "$TUI_DIR/bad.json" "sha256=$(printf '%064d' 1)" --cacert "$WH_CA")
[ "$code" = 403 ] || fail "a forged delivery was answered $code"
code=$(wh_post "$N" "$TUI_DIR/bad.json" - --cacert "$WH_CA")
[ "$code" = 403 ] || fail "an unsigned delivery was answered $code"

# A signed one: on screen within a second of its 200.
delivery "$TUI_DIR/good.json" 440100000000018 VIA_NGINX
code=$(wh_post "$N" "$TUI_DIR/good.json" "" --cacert "$WH_CA")
t0=$(now_ms)
[ "$code" = 200 ] || fail "a signed delivery was answered $code"
until screen_has "VIA_NGINX"; do
    [ $(($(now_ms) - t0)) -le 3000 ] || fail "the delivery is not on screen 3 s after its 200"
    sleep 0.02
done
dt=$(($(now_ms) - t0))
[ "$dt" -le 1000 ] || fail "the delivery took $dt ms to show (wanted within 1000 ms)"
screen_has "Lucky Shrub Orders (440100000000018)" || fail "the event does not name its solution"
pass "a signed delivery through nginx is on screen $dt ms after its 200"

# A second one, an onboarding: also within a second, and the weekly counter moves.
printf '{"object":"whatsapp_business_account","entry":[{"id":"506914307656634","time":%s,"changes":[{"field":"account_update","value":{"event":"PARTNER_ADDED","waba_info":{"waba_id":"102300000000777","owner_business_id":"6143763600000777","solution_id":"303610109049230","solution_partner_business_ids":["506914307656634"]}}}]}]}' \
    "$(date +%s)" >"$TUI_DIR/onboard.json"
code=$(wh_post "$N" "$TUI_DIR/onboard.json" "" --cacert "$WH_CA")
t0=$(now_ms)
[ "$code" = 200 ] || fail "a signed onboarding was answered $code"
until screen_has "WABA 102300000000777"; do
    [ $(($(now_ms) - t0)) -le 3000 ] || fail "the onboarding is not on screen 3 s after its 200"
    sleep 0.02
done
dt=$(($(now_ms) - t0))
[ "$dt" -le 1000 ] || fail "the onboarding took $dt ms to show (wanted within 1000 ms)"
pass "a signed onboarding is on screen $dt ms after its 200"
screen_has "2 events from 2 lines" || fail "the view does not count exactly the two deliveries"
screen_lacks "FORGED_STATUS" || fail "a refused delivery reached the screen"
pass "refused deliveries never reach the screen"

keys Escape
wait_for "onboarded this week: 1 / 200"
pass "the onboarding counts against the weekly limit"
keys q
tui_expect_clean_exit
pass "the dashboard exits cleanly"
