#!/usr/bin/env bash
# Auto-refresh from the config's refresh_interval, and its pause when the API budget is nearly
# spent (a rate-limit answer reports 100%).
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
printf 'refresh_interval = 1;\n' >"$XDG_CONFIG_HOME/mpsdash/config"
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

lists() { requests_matching '"method":"GET".*whatsapp_business_solutions'; }
tui_start 160 40
wait_for "Social OVD with Lucky Shrub"
three_lists() { [ "$(lists)" -ge 3 ]; }
wait_until "three automatic reloads" three_lists
pass "the list reloads every refresh_interval"

# A solution the server no longer lists leaves the dashboard at the next complete reload; the
# others stay.
screen_has "Overdrive Support Desk" || fail "the solution to remove was not listed"
sandbox_ctl POST /__sandbox/mutate '{"id":"440100000000007","remove":true}' >/dev/null
wait_for "All 41"
wait_gone "Overdrive Support Desk"
screen_has "Social OVD with Lucky Shrub" || fail "the reload dropped a solution still listed"
pass "a solution no longer listed leaves at the next reload"

# A rate-limit answer: the error is shown, usage reads 100%, and auto-refresh stops asking.
sandbox_ctl POST /__sandbox/fault '{"match":"GET","kind":"ratelimit","times":-1,"regain_minutes":1}' >/dev/null
wait_for "API 100% (auto-refresh paused)"
before=$(lists)
screen_has "All 41" || fail "the list vanished under the rate limit"
# Three intervals later there is still no new list request.
end=$((SECONDS + 3))
while [ "$SECONDS" -lt "$end" ]; do
    [ "$(lists)" -le "$before" ] || fail "auto-refresh kept asking while rate limited"
    sleep 0.2
done
pass "rate limited: usage 100%, auto-refresh paused"
keys q
tui_expect_clean_exit
