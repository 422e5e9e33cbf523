#!/usr/bin/env bash
# --demo: the sandbox in-process as Lucky Shrub, SANDBOX in the header, no account or config
# needed, and its private temporary directory gone after quitting.
. "$MPSDASH_TESTS/tui/lib.sh"

mkdir -p "$TUI_DIR/tmp"
TUI_ENV="TMPDIR=$TUI_DIR/tmp" tui_start 200 50 --demo
wait_for "demo · app Lucky Shrub (21202248997039)"
screen_has "SANDBOX" || fail "the demo header does not say SANDBOX"
wait_for "Social OVD with Lucky Shrub"
ls "$TUI_DIR/tmp" | grep -q '^mpsdash-demo-' || fail "no private directory for the demo's events file"
[ "$(stat -c %a "$TUI_DIR"/tmp/mpsdash-demo-*)" = 700 ] || fail "the demo directory is not private"
pass "the demo runs on the built-in sandbox"

select_id 795033096057724
keys a
wait_for "Accept solution request"
keys y
# The accept makes the sandbox write a SOLUTION_UPDATED event; once the dashboard reads it the row
# carries the event marker (•), so the row is matched with or without it, then the marker awaited.
wait_match ">.?Social OVD with Lucky Sh.* +Active"
pass "the demo accepts a request"
wait_match ">•Social OVD with Lucky Sh.* +Active"
pass "the demo's own webhook event marks the accepted row"

DEMO_AUDIT="$XDG_STATE_HOME/mpsdash/demo-audit.log"
wait_until "the demo's audit line" grep -q '"action":"accept"' "$DEMO_AUDIT"
[ ! -e "$AUDIT_LOG" ] || fail "the demo wrote to the real audit log"
pass "the demo audits into its own log, never the real one"

keys q
tui_expect_clean_exit
[ -z "$(ls "$TUI_DIR/tmp")" ] || fail "the demo left files behind: $(ls "$TUI_DIR/tmp")"
pass "quitting removes the demo's directory"
