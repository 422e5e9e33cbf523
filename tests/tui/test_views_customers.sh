#!/usr/bin/env bash
# The customers view (C): every client WABA shared with the profile's partner business, over all
# pages (230 of them at 100 a page); f widens it to every client WABA; Enter on a WABA lists the
# solutions that onboarded it and Enter there selects one in the list; p shows its partners.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

sandbox_start
views_config
tui_start 160 45 -p shrub
wait_for "Social OVD with Lucky Shrub"

keys C
wait_for "shared with partner business 520744086200222"
wait_for "230 WABAs"
pages=$(log_count '/506914307656634/client_whatsapp_business_accounts')
[ "$pages" -ge 3 ] || fail "expected at least 3 page requests, the log has $pages"
filtered=$(log_count '/506914307656634/client_whatsapp_business_accounts' '520744086200222')
[ "$filtered" = "$pages" ] || fail "only $filtered of $pages page requests were filtered"
screen_has "1 of 230" || fail "no position in the hints"
screen_lacks "sorted by name" || fail "the solution list's position shows under the customers view"
keys G
wait_for "230 of 230"
screen_has "Customer 230" || fail "the last WABA is not on screen"
screen_has "TEMPLATE NAMESPACE" || fail "no template namespace column"
keys g
wait_for "1 of 230"
screen_has "Cool New Customer 2" || fail "the first WABA is not on screen"
pass "all 230 client WABAs of partner business 520744086200222 over $pages pages"

# f: every client WABA of the business (the Social Brew ones too), unfiltered.
keys f
wait_for "every client WABA"
wait_for "235 WABAs"
keys f
wait_for "230 WABAs"
pass "f switches between the partner business and every client WABA"

# Enter on a WABA: the solutions that onboarded it; Enter there selects it in the list.
keys Enter
wait_for "Solutions that onboarded WABA Cool New Customer 2 (102290129340398)"
wait_for "Social OVD with Social Brew"
[ "$(log_count '/102290129340398/solutions')" -ge 1 ] || fail "no GET /<WABA_ID>/solutions"
keys Enter
wait_for "id          17602267745700"
screen_has "All 42" || fail "not back on the panel"
pass "a WABA's solutions, and Enter selects one in the list"

# p: the partners of the selected solution, Esc back.
keys p
wait_for "Partners of Social OVD with Social Brew (17602267745700)"
if dialect_is openapi; then # no /partners edge on a spec server: said, and not "0 partners"
    wait_for "no partners data from this server"
    screen_lacks "0 partners" || fail "a server without partners data shown as zero partners"
    keys h
    wait_for "All 42"
    pass "p on a server without partners data says so; h goes back"
    keys q
    tui_expect_clean_exit
    exit 0
fi
wait_for "ACCEPTED"
screen_has "https://www.socialoverdrive.com/" || fail "no partner link"
screen_has "637576208107267" || fail "no partner app id"
screen_matches "permissions +MANAGE, DEVELOP" || fail "no partner permissions"
[ "$(log_count '/17602267745700/partners')" = 1 ] || fail "expected one GET /<SOLUTION_ID>/partners"
keys h
wait_for "All 42"
screen_lacks "Partners of" || fail "h did not go back"
pass "p shows the partners with id, link, status and permissions; h goes back"

keys q
tui_expect_clean_exit
