#!/usr/bin/env bash
# A server with no partners data at all (Meta's OpenAPI file: no partners field, no /partners edge,
# no batch): the dashboard lists all 250 solutions, each with the role the server's role=OWNER /
# role=PARTNER listings give it, and a pending request is accepted with exactly one POST, which
# carries the body the spec requires.
. "$MPSDASH_TESTS/tui/lib.sh"

DIALECT=openapi sandbox_start --scenario "$MPSDASH_TESTS/integration/scenarios/empty.json" \
    --solutions 250
# Tall enough for every row at once: the whole list is read off one screen.
tui_start 200 270 --trace "$TUI_DIR/trace"
wait_for "All 250"
wait_until "the load to finish" screen_matches "just now"

# What the server holds, from its control API: the role each row must show.
sandbox_ctl GET /__sandbox/state >"$TUI_DIR/state.json"
tui_screen >"$TUI_DIR/screen.txt"
python3 - "$TUI_DIR/state.json" "$TUI_DIR/screen.txt" "$APP_A" <<'EOF' || fail "the roles on screen are not the server's"
import json, re, sys
state, screen, app = sys.argv[1:4]
want = {}
for s in json.load(open(state))["solutions"]:
    want[s["name"]] = "owner" if s["owner_app"]["id"] == app else "partner"
got = {}
for line in open(screen, encoding="utf-8"):
    m = re.match(r"^[> ] (Generated solution \d{4}) .*? (owner|partner) ", line)
    if m:
        got[m.group(1)] = m.group(2)
assert len(want) == 250, len(want)
assert len(got) == 250, "rows on screen: %d" % len(got)
wrong = [n for n in want if got.get(n) != want[n]]
assert not wrong, "wrong role: %s" % wrong[:5]
roles = sorted(set(got.values()))
assert roles == ["owner", "partner"], roles
EOF
pass "all 250 solutions listed, each with its role, on a server without partners data"

# The same in the tab's count and with the role filter: one chain per role.
owners=$(python3 -c '
import json,sys
print(sum(1 for s in json.load(open(sys.argv[1]))["solutions"] if s["owner_app"]["id"] == sys.argv[2]))' \
    "$TUI_DIR/state.json" "$APP_A")
keys :
type_text "role owner"
keys Enter
wait_for "1 of $owners"
keys :
type_text "role partner"
keys Enter
wait_for "1 of $((250 - owners))"
keys :
type_text "role all"
keys Enter
wait_for "1 of 250"
[ "$(requests_matching '/partners"')" -le 1 ] || fail "the /partners edge was asked more than once"
[ "$(requests_matching '"path":"/v[0-9.]+/[0-9]+","query":"fields=[^"]*partners%7B')" -le 1 ] ||
    fail "partners{} was asked for more than once: learnt once per client"
pass "the role filter counts the server's role listings; no per-solution partner requests"

# A pending request our app was invited to: accepted with one POST carrying its JSON body. The
# generated solutions invite the other app (Social Overdrive) to Lucky Shrub's: accepted as it.
keys q
tui_expect_clean_exit
tmx kill-server
id=$(python3 -c '
import json,sys
for s in json.load(open(sys.argv[1]))["solutions"]:
    if s["owner_app"]["id"] == sys.argv[2] and s["status"] == "INITIATED" \
            and s.get("status_for_pending_request") == "PENDING_ACTIVATION":
        print(s["id"]); break' "$TUI_DIR/state.json" "$APP_A")
[ -n "$id" ] || fail "the generated data has no pending invitation"
tui_start 200 50 --graph-url "$SANDBOX_URL" --app-id "$APP_B" --token-env TOKEN_B --trace "$TUI_DIR/trace"
wait_for "All 250"
wait_until "the load to finish" screen_matches "just now"
: >"$SANDBOX_LOG"
select_id "$id"
screen_has "partner app Social Overdrive ($APP_B), your app" || fail "the pane does not name our app as the partner"
keys a
wait_for "Accept solution request"
screen_has "Partner app Social Overdrive ($APP_B), your app" || fail "the dialog does not name the partner app"
screen_has "not available from this server" || fail "the dialog hides that the partner's grants are unknown"
keys y
wait_until "the row to turn Active" screen_matches "^> Generated solution [0-9]{4} +Active +partner"
[ "$(requests_matching '"method":"POST","path":"/v')" = 1 ] ||
    fail "expected exactly one POST, the log has $(requests_matching '"method":"POST","path":"/v')"
[ "$(requests_matching "\"method\":\"POST\",\"path\":\"/v[0-9.]+/$id/accept\",\"query\":\"[^\"]*\",\"status\":200")" = 1 ] ||
    fail "the POST /$id/accept was not answered 200 (the openapi sandbox refuses it without its body)"
grep -A3 "POST .*/$id/accept" "$TUI_DIR/trace" | grep -qF "> {\"partner_app_id\":\"$APP_B\"}" ||
    fail "the trace does not show the accept's JSON body: $(grep -A3 "/$id/accept" "$TUI_DIR/trace" | head -5)"
pass "a pending request accepted with exactly one POST that carries {\"partner_app_id\"}"
keys q
tui_expect_clean_exit
