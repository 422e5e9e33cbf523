#!/usr/bin/env bash
# Deactivation across two profiles of one config: the owner requests it (row Pending
# deactivation), :profile switches to the partner app, which accepts it (row Deactivated).
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CFG
default_profile = "owner";
refresh_interval = 0;
profiles = {
  owner = { app_id = "$APP_B"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_B"; };
  partner = { app_id = "$APP_A"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_A"; };
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

posts() { requests_matching "\"method\":\"POST\".*/$1\""; }

tui_start 200 50 --profile owner
wait_for "owner · app Social Overdrive (637576208107267)"
select_id 440100000000007
screen_has "role        owner" || fail "Social Overdrive is not the owner here"
keys D
wait_for "Request deactivation"
wait_for "can still onboard customers until they accept"
# The dialog's border is whole at 200x50 and at 80x24: both sides of every row at the corners'
# display columns (wide characters in the list beside it count two).
border_whole() {
    tui_screen >"$TUI_DIR/dialog.txt"
    python3 - "$TUI_DIR/dialog.txt" <<'PY' || fail "$1: the dialog's border is broken"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf")
               else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next(i for i, l in enumerate(lines) if "┌─ Request deactivation" in l)
bottom = next(i for i in range(top, len(lines)) if "└" in lines[i])
left = width(lines[top][: lines[top].index("┌")])
right = width(lines[top][: lines[top].index("┐")])
for i in range(top, bottom + 1):
    l = lines[i]
    want = ("┌", "┐") if i == top else ("└", "┘") if i == bottom else ("│", "│")
    cells = {width(l[:k]): c for k, c in enumerate(l)}
    if cells.get(left) != want[0] or cells.get(right) != want[1]:
        print("row", i, "is", repr(l))
        sys.exit(1)
PY
}
border_whole 200x50
tui_resize 80 24
wait_until "the dialog at 80 columns" screen_matches "┌─ Request deactivation ─{51}┐"
border_whole 80x24
tui_resize 200 50
wait_until "the dialog at 200 columns" screen_matches "┌─ Request deactivation ─{53}┐"
pass "the request-deactivation dialog's border is whole at 200x50 and 80x24"
keys y
wait_until "the row to say Pending deactivation" \
    screen_matches "> Overdrive Support Desk +Pending deactivation"
[ "$(posts send_deactivation_request)" = 1 ] || fail "expected one POST send_deactivation_request"
# The owner now waits: accepting its own request is not offered.
keys A
wait_for "accept-deactivation is not offered"
pass "the owner requested deactivation: Pending deactivation"

keys :
type_text "profile partner"
keys Enter
wait_for "partner · app Lucky Shrub (21202248997039)"
select_id 440100000000007
screen_has "role        partner" || fail "Lucky Shrub is not the partner here"
screen_matches "> Overdrive Support Desk +Pending deactivation" || fail "partner does not see the request"
keys A
wait_for "Accept deactivation request"
wait_for "can no longer onboard customers"
keys y
wait_until "the row to say Deactivated" screen_matches "> Overdrive Support Desk +Deactivated"
[ "$(posts accept_deactivation_request)" = 1 ] || fail "expected one POST accept_deactivation_request"
grep -q '"action":"request-deactivation"' "$AUDIT_LOG" || fail "no audit line for the request"
grep -q '"action":"accept-deactivation".*"outcome":"ok"' "$AUDIT_LOG" ||
    grep -q '"outcome":"ok".*"action":"accept-deactivation"' "$AUDIT_LOG" ||
    fail "no ok audit line for accept-deactivation"
pass "the partner accepted the deactivation: Deactivated"

# Back to the owner: its token was kept, and it sees the new state.
keys :
type_text "profile owner"
keys Enter
wait_for "owner · app Social Overdrive (637576208107267)"
select_id 440100000000007
screen_matches "> Overdrive Support Desk +Deactivated" || fail "the owner does not see Deactivated"
# An unknown profile is an error on the status line, and the current one stays.
keys :
type_text "profile nosuch"
keys Enter
wait_for "profile nosuch"
screen_has "owner · app Social Overdrive" || fail "a failed switch left the profile"
pass "switching back works; an unknown profile is reported"
keys q
tui_expect_clean_exit
