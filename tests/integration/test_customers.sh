#!/usr/bin/env bash
# Onboarded customers: client WABAs over three pages, the partners filter sent percent-encoded,
# the business id from the profile or --business, and the refused-partner-fields fallback.
. "$(dirname "$0")/lib.sh"

start_sandbox
TRACE=$TMP/trace.txt

run as_a customers --business $BUSINESS_A --partner-business $BUSINESS_B --json --trace "$TRACE"
expect_rc 0 "customers with a partner filter"
expect_json "$OUT_FILE" "customers --json is valid JSON"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), len({w["id"] for w in d}))' "$OUT_FILE")
expect_eq "$n" "230 230" "all 230 customer WABAs shared with the partner, each once"
pages=$(requests GET /client_whatsapp_business_accounts)
if [ "$pages" -ge 3 ]; then ok "followed paging.next over $pages pages"; else fail "followed paging over 3+ pages ($pages)"; fi
expect_eq "$(requests)" "$pages" "no other request than the pages"
urls=$(grep '^> GET ' "$TRACE")
expect_in "$urls" "filtering=%5B%7B%22field%22%3A%22partners%22" "the filter is percent-encoded JSON"
if printf '%s\n' "$urls" | grep -q '[][{}"]'; then fail "no raw [ ] { } \" in any URL"; else
    ok "no raw [ ] { } \" in any URL"; fi
filters=$(printf '%s\n' "$urls" | grep -c 'filtering=' || true)
expect_eq "$filters" "$pages" "every page keeps the filter"

run as_a customers --business $BUSINESS_A --partner-business 116133292427920
expect_rc 0 "customers filtered on another partner"
rows=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
expect_eq "$rows" 5 "the other partner's 5 customers"
expect_in "$OUT" "Social Brew Café" "customer names are shown"

run as_a customers --business $BUSINESS_A
expect_rc 0 "customers without a filter"
rows=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
if [ "$rows" -ge 235 ]; then ok "without a filter every customer ($rows)"; else fail "without a filter every customer ($rows)"; fi

run as_a customers
expect_rc 2 "customers without a business id says what is missing"
expect_in "$ERR" "--business" "the message names --business"

# a malformed answer to the filtered request, on the first page or in the middle of paging:
# a clear error, exit 5, and no partial list passed off as complete
for skip in 0 1; do
    sandbox_clear_faults
    sandbox_fault "{\"match\":\"GET /client_whatsapp_business_accounts\",\"kind\":\"malformed\",\"times\":-1,\"skip\":$skip}"
    run as_a customers --business $BUSINESS_A --partner-business $BUSINESS_B --json
    expect_rc 5 "customers with a malformed answer after $skip good page(s)"
    expect_eq "$OUT" "" "malformed answer after $skip page(s): nothing half-printed on stdout"
    expect_in "$ERR" "answer" "malformed answer after $skip page(s): the error says the answer was unusable"
    expect_terminal_safe "$ERR_FILE" "malformed answer after $skip page(s): the error is terminal-safe"
done
sandbox_clear_faults

# the business id from the profile
umask 077
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<EOF
profiles = {
  it = {
    app_id = "$APP_A";
    business_id = "$BUSINESS_A";
    graph_url = "$URL";
    token_env = "MPSDASH_TOKEN";
  };
};
EOF
reset_log
MPSDASH_TOKEN=$TOKEN_A run "$MPSDASH" customers --partner-business $BUSINESS_B
expect_rc 0 "customers with the profile's business_id"
rows=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
expect_eq "$rows" 230 "the profile's business is used"
stop_sandbox

# ---- the server refuses partners{} in fields: list and show still show partners, through the
# /partners edge or a batch. A spec server (openapi) has neither: what mpsdash does there is
# checked by test_list and test_transitions in that dialect.
if dialect_is openapi; then finish; fi
start_sandbox --refuse-partner-fields
run as_a list --json
expect_rc 0 "list when partners{} is refused"
expect_json "$OUT_FILE" "fallback list --json is valid JSON"
missing=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
print(sum(1 for s in d if not s.get("partners",{}).get("data")))' "$OUT_FILE")
expect_eq "$missing" 0 "every solution still has its partners"
expect_in "$ERR" "refused partners{}" "the fallback is reported"
run as_a list
expect_rc 0 "human list in fallback"
dash_rows=$(printf '%s\n' "$OUT" | tail -n +2 | awk '{print $NF}' | grep -cx -- '-' || true)
expect_eq "$dash_rows" 0 "every row names the other app"
run as_a show 795033096057724
expect_rc 0 "show in fallback"
expect_in "$OUT" "Lucky Shrub (21202248997039), status NOTIFICATION_SENT" "show still lists the partner"
expect_in "$OUT" "PARTNER" "show still has the permission matrix"
run as_a partners 17602267745700
expect_rc 0 "partners in fallback"
expect_in "$OUT" "Social Overdrive" "partners still lists the partner app"

finish
