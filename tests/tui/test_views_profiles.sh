#!/usr/bin/env bash
# Switching profiles at run time (:profile NAME and the P picker): a list still loading for the
# old profile (slow sandbox) never shows its rows on the new one, even when its answer comes
# after the new profile's list; views of the old profile close on a switch; switching back
# works with the token kept from the environment.
. "$MPSDASH_TESTS/tui/lib.sh"
. "$MPSDASH_TESTS/tui/views-lib.sh"

# Solutions only one identity sees.
SHRUB_ONLY=("Jasper's Market Pickup Alerts" "Lucky Shrub × Jasper's Market" "Media Monsoon Archive")
OVERDRIVE_ONLY=("Social Overdrive Internal Draft" "Social Brew asks Social Overdrive")

no_shrub_rows() {
    local s row
    s=$(tui_screen)
    for row in "${SHRUB_ONLY[@]}"; do
        if grep -qF -- "$row" <<<"$s"; then
            fail "the old profile's row '$row' is on the new profile's screen"
        fi
    done
}
shrub_list_answered() {
    no_shrub_rows
    [ "$(log_count '"app_id":"21202248997039"' '/whatsapp_business_solutions')" -ge 1 ]
}

sandbox_start --latency 300
views_config
# Lucky Shrub's first list load takes 3 s more: its answer lands after the switch (both of its
# requests: a list is two role chains at once where the server honours role=).
sandbox_ctl POST /__sandbox/fault \
    '{"match":"GET /21202248997039/whatsapp_business_solutions","kind":"latency","ms":3000,"times":2}' \
    >/dev/null
tui_start 160 45 -p shrub
# The app's name is in: the list request is on its way (and held up by the fault).
wait_for "shrub · app Lucky Shrub ("
screen_has "loading solutions" || fail "the list was not loading any more"
keys :
type_text "profile overdrive"
keys Enter
wait_for "overdrive · app"
wait_for "${OVERDRIVE_ONLY[0]}"
no_shrub_rows
# Watch the screen until the sandbox has answered the old load, then once more after a reload.
wait_until "the sandbox to answer the old profile's list" shrub_list_answered
keys R
wait_until "a second list load as overdrive" \
    log_at_least 2 '"app_id":"637576208107267"' '/whatsapp_business_solutions'
wait_until "the reload to finish" screen_has "just now"
no_shrub_rows
screen_has "${OVERDRIVE_ONLY[1]}" || fail "the new profile's rows are missing"
pass "the old profile's slow list never shows on the new one"

# The picker: the current profile marked; Enter switches back (the token was kept).
keys P
wait_for "Profiles"
screen_matches ">\* +overdrive +637576208107267" || fail "the picker does not mark overdrive"
screen_matches "shrub +21202248997039" || fail "the picker lacks shrub"
keys k Enter
wait_for "shrub · app"
wait_for "${SHRUB_ONLY[0]}"
for row in "${OVERDRIVE_ONLY[@]}"; do
    screen_lacks "$row" || fail "overdrive's row '$row' is on shrub's screen"
done
pass "P picks a profile and switching back works"

# A view of the old profile closes on a switch: customers of shrub, then :profile overdrive.
keys C
wait_for "Customers of business 506914307656634"
keys :
type_text "profile overdrive"
keys Enter
wait_for "overdrive · app"
wait_for "${OVERDRIVE_ONLY[0]}"
screen_lacks "Customers of business" || fail "shrub's customers view stayed open"
screen_lacks "Customer 003" || fail "shrub's customers are on overdrive's screen"
keys C
wait_for "Customers of business 520744086200222"
wait_for "12 WABAs"
screen_has "Overdrive Client 01" || fail "overdrive's customers are missing"
pass "views close on a switch and reopen for the new profile"

keys q q
tui_expect_clean_exit
