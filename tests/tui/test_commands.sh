#!/usr/bin/env bash
# ':' switches views k9s-style: :events, :customers, :partners, :tokens, :profiles, :inbox,
# singular or plural (:partner, :token), a unique prefix (:cust), and :list (:solutions) goes
# back to the solution list from any of them.
. "$MPSDASH_TESTS/tui/lib.sh"
sandbox_start
. "$MPSDASH_TESTS/tui/views-lib.sh"
views_config
: >"$EVENTS_FILE"

tui_start 120 30 -p shrub
wait_for "All 42"

command() { # :WORD, then the text its view shows
    keys :
    type_text "$1"
    keys Enter
    wait_for "$2"
}
back_to_list() {
    command "$1" "All 42"
    wait_match "^  NAME"
    screen_lacks "$2" || fail ":$1 left '$2' on screen"
}

command events "Events ·"
back_to_list list "Events ·"
command customers "Customers of business 506914307656634"
back_to_list solutions "Customers of business"
command cust "Customers of business 506914307656634"
back_to_list list "Customers of business"
pass ":events, :customers and a prefix (:cust) open their views; :list and :solutions come back"

command partners "Partners of"
back_to_list list "Partners of"
command partner "Partners of"
back_to_list list "Partners of"
pass ":partners, also singular"

command tokens "customer business id for a token"
keys Escape
wait_gone "customer business id for a token"
command token "customer business id for a token"
keys Escape
wait_gone "customer business id for a token"
pass ":tokens and :token ask for the customer's business for a business token"

command profiles "Profiles"
screen_has "overdrive" || fail ":profiles does not list the profiles"
keys Escape
wait_gone "Profiles"
command inbox "Inbox"
back_to_list list "Inbox"
pass ":profiles and :inbox"

command bogus "unknown command :bogus"
screen_has "views: list, partners" || fail "the unknown command's message does not name the views"
pass "an unknown command names the commands and the views"
keys q
tui_expect_clean_exit
