#!/usr/bin/env bash
# No hidden state: the state filter is the highlighted tab, the role filter a chip on the tab
# bar (and :role confirms), the search is in the status line; a search does not carry over to
# another profile.
. "$MPSDASH_TESTS/tui/lib.sh"

sandbox_start
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<CFG
default_profile = "shrub";
profiles = {
  shrub = { app_id = "$APP_A"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_A"; };
  overdrive = { app_id = "$APP_B"; graph_url = "$SANDBOX_URL"; token_env = "TOKEN_B"; };
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"

tui_start 200 40 -p shrub
wait_for "All 42"
keys :
type_text "role owner"
keys Enter
wait_for "role filter: only solutions where this app is the owner"
tui_screen | sed -n 2p | grep -q "role: owner" || fail "no role chip on the tab bar"
keys :
type_text "role all"
keys Enter
wait_for "role filter off"
tui_screen | sed -n 2p | grep -q "role:" && fail "the role chip stayed after :role all"
pass ":role confirms and shows as a chip on the tab bar until turned off"

keys /
type_text "Garden"
keys Enter
wait_until "the search in the status line" screen_matches "/Garden"
keys :
type_text "profile overdrive"
keys Enter
wait_for "overdrive · app Social Overdrive (637576208107267)"
wait_for "All"
screen_lacks "/Garden" || fail "the search carried over to another profile"
pass "a search does not carry over to another profile"
keys q
tui_expect_clean_exit
