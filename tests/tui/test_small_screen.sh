#!/usr/bin/env bash
# 80x24, the common ssh window, 60x20 and 60x30: with the detail pane below the list, what is to be
# reviewed (the permission matrix and the actions) comes before the apps' details, the header
# keeps the app name and id first, and a link is cut with … instead of wrapping mid-URL.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
tui_start 80 24
wait_for "All 42"
select_id 795033096057724
# The brand and the version give way first; the app's name and id never do.
screen_matches "^ cli · app Lucky Shrub \(21202248997039\)" ||
    fail "80x24: the header does not start with the app name and id"
screen_matches "^ permission +owner +partner" || fail "80x24: the permission matrix is not in view"
# (a spec server, openapi, tells no partner permissions: ? in the partner column)
if dialect_is openapi; then partner_mark='\?'; else partner_mark='✓'; fi
screen_matches "^ MANAGE +✓ +$partner_mark" || fail "80x24: the matrix's first row is not in view"
# All ten of its permissions, in two blocks side by side, without scrolling.
for perm in MANAGE DEVELOP MANAGE_TEMPLATES MANAGE_PHONE VIEW_COST MANAGE_EXTENSIONS \
    VIEW_PHONE_ASSETS MANAGE_PHONE_ASSETS VIEW_TEMPLATES VIEW_INSIGHTS; do
    screen_matches " $perm +✓ +$partner_mark( |$)" || fail "80x24: $perm is not in view"
done
screen_matches "^ state +Pending .* · partner *$" || fail "80x24: the role is not beside the state"
pass "80x24: the whole matrix is in view without scrolling, the header names the app first"

tui_resize 60 20
wait_until "the 60x20 layout" screen_matches "^ (cli · )?app Lucky Shrub \(21202248997039\)"
screen_matches "^ permission +owner +partner *$" || fail "60x20: the matrix is not in view"
screen_matches "^ MANAGE +✓ +$partner_mark *$" || fail "60x20: the matrix's first row is not in view"
screen_matches "^─+ ↓ more J ─+$" || fail "60x20: the rule does not say there is more below"
keys J
wait_match "^─+ ↑ K ─ ↓ more J ─+$"
pass "60x20: the header keeps the app name and id, the matrix comes first, the rule says more"
keys K
wait_match "^─+ ↓ more J ─+$"

tui_resize 60 30
wait_until "the 60x30 layout" screen_matches "^ permission +owner +partner"
if dialect_is openapi; then # a spec server gives no partner links to cut
    pass "60x30: the matrix comes first"
    keys q
    tui_expect_clean_exit
    exit 0
fi
keys J J J J J J J J J J J J J J J J J J
wait_until "the link in view" screen_matches "^   link "
screen_matches "^   link +https://www\.facebook\.com/games/\?app_id=.*…$" ||
    fail "60x30: the link is not cut with …"
if tui_screen | grep -qE '^ +[0-9]{6,}$'; then fail "60x30: the link wrapped mid-URL"; fi
pass "60x30: the link is cut with …, not wrapped"
keys q
tui_expect_clean_exit
