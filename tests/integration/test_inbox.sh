#!/usr/bin/env bash
# `mpsdash inbox`: three sandbox apps as three profiles (one with an expired token) in one list,
# loaded at once on one engine, each row under its own token; the failing profile shows its
# error in its own row while the others are listed; --json; the weekly onboarding counter per
# app with its warning from 80%.
. "$(dirname "$0")/lib.sh"

start_sandbox --latency 1500
EVENTS=$TMP/shrub-events.jsonl
NOW=1795392000
export MPSDASH_NOW=$NOW
python3 "$MPSDASH_TESTS/fixtures/onboarding_events.py" "$EVENTS" "$NOW"
CFG=$TMP/inbox.conf
cat >"$CFG" <<CONF
profiles = {
  shrub = { app_id = "$APP_A"; graph_url = "$URL"; token_env = "INBOX_TA"; events_file = "$EVENTS"; };
  overdrive = { app_id = "$APP_B"; graph_url = "$URL"; token_env = "INBOX_TB"; };
  stale = { app_id = "123456789012345"; graph_url = "$URL"; token_env = "INBOX_TX"; };
};
CONF
chmod 600 "$CFG"
inbox() {
    INBOX_TA=$TOKEN_A INBOX_TB=$TOKEN_B INBOX_TX=$TOKEN_EXPIRED MPSDASH_MAX_RETRIES=-1 \
        "$MPSDASH" -c "$CFG" inbox "$@"
}

reset_log
t0=$(date +%s%N)
run inbox
ms=$((($(date +%s%N) - t0) / 1000000))
expect_rc 4 "one profile's token expired: the exit status says so"
# Every answer takes 1.5 s: one after the other the three would take 4.5 s.
[ "$ms" -lt 3500 ] && ok "the three profiles load at once ($ms ms with 1.5 s per answer)" ||
    fail "the three profiles took $ms ms: not loaded at once"
# The sandbox honours role=: a list is two cursor chains at once, role=OWNER and role=PARTNER.
expect_eq "$(requests GET /whatsapp_business_solutions)" 6 "one list request per role per profile"
expect_eq "$(grep -c 'role=OWNER' "$REQLOG")" 3 "one role=OWNER chain per profile"
expect_eq "$(grep -c 'role=PARTNER' "$REQLOG")" 3 "one role=PARTNER chain per profile"
expect_in "$ERR" "6 requests on one engine" "all of them on one engine"
python3 - "$REQLOG" "$APP_A" "$APP_B" <<'EOF' && ok "each profile's request went out under its own token" || fail "a request carried the wrong token"
import json, sys
apps = sorted(json.loads(l).get("app_id") or "-" for l in open(sys.argv[1]) if l.strip())
# The sandbox logs the app a token belongs to; the expired token belongs to none.
assert apps == sorted([sys.argv[2], sys.argv[3], "-"] * 2), apps
EOF

row() { printf '%s\n' "$OUT" | grep -E "$1" | head -n 1; }
expect_in "$(row '^Lucky Shrub[[:space:]]+shrub[[:space:]]+795033096057724')" "accept, reject" \
    "Lucky Shrub's pending invitation, with the actions offered"
expect_in "$(row '^Social Overdrive[[:space:]]+overdrive[[:space:]]+440100000000021')" "accept-deactivation, reject-deactivation" \
    "Social Overdrive's pending deactivation, with the actions offered"
expect_in "$(row '^Lucky Shrub[[:space:]]+shrub[[:space:]]+440100000000015')" "(waits for the partner)" \
    "an owner's own pending request says it waits for the partner"
expect_in "$(row '^123456789012345[[:space:]]+stale')" "token error:" "the failing profile has its error in its own row"
expect_in "$(row '^123456789012345[[:space:]]+stale')" "expired" "... which says what happened"
if printf '%s\n' "$OUT" | grep -E '^(Lucky Shrub|Social Overdrive)[[:space:]]' | grep -qE '[[:space:]](Active|Draft|Deactivated|Inactive)[[:space:]]'; then
    fail "a solution that is not pending is listed"
else
    ok "only pending requests are listed"
fi
expect_in "$ERR" "shrub (Lucky Shrub): 17 pending of 42 solutions; onboarded this week: 170 / 200 (85%) - warning" \
    "Lucky Shrub's onboardings this week, with the warning from 80%"
expect_in "$ERR" "overdrive (Social Overdrive): 13 pending" "Social Overdrive's count"
expect_in "$ERR" "stale (123456789012345): token error" "the failing profile in the summary"

run inbox --json
expect_rc 4 "--json: the same exit status"
printf '%s' "$OUT" >"$TMP/inbox.json"
expect_json "$TMP/inbox.json" "--json is valid JSON"
python3 - "$TMP/inbox.json" <<'EOF' && ok "--json: profiles with their errors and onboarding, requests with their actions" || fail "--json content"
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["profile"]: x for x in d["profiles"]}
assert p["shrub"]["ok"] and p["shrub"]["app_name"] == "Lucky Shrub", p["shrub"]
assert p["shrub"]["onboarding"] == {"count": 170, "limit": 200, "percent": 85, "warn": True, "reached": False}
assert not p["stale"]["ok"] and p["stale"]["error"]["kind"] == "token", p["stale"]
assert p["overdrive"]["onboarding"] is None
reqs = [r for r in d["requests"] if r["profile"] == "overdrive" and r["solution"]["id"] == "440100000000021"]
assert reqs and reqs[0]["actions"] == ["accept-deactivation", "reject-deactivation"], reqs
assert reqs[0]["state"] == "pending-deactivation" and reqs[0]["role"] == "partner"
assert len(d["requests"]) == 30, len(d["requests"])
EOF

# Without the failing profile: exit 0.
sed -i '/stale/d' "$CFG"
run inbox
expect_rc 0 "every profile loads: exit 0"
finish
