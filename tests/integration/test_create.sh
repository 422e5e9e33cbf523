#!/usr/bin/env bash
# Creating a solution: names outside 2..75 characters refused before any request, a created
# solution starts INITIATED for the invited partner, the Tech Provider's user token from another
# variable, the audit log, and a create whose answer is lost is not resent.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/empty.json"

name75=$(printf 'N%.0s' $(seq 75))
name76=$(printf 'N%.0s' $(seq 76))
wide75=$(printf 'é%.0s' $(seq 75))
wide76=$(printf 'é%.0s' $(seq 76))

for bad in "A" "$name76" "$wide76" ""; do
    run as_a create --name "$bad" --partner-app $APP_B --yes
    expect_rc 2 "a ${#bad}-character name is refused"
done
run as_a create --name $'Bad\e[2Jname' --partner-app $APP_B --yes
expect_rc 2 "a name with control characters is refused"
run as_a create --name "No partner" --yes
expect_rc 2 "create without --partner-app is refused"
run as_a create --name "Bad perm" --partner-app $APP_B --owner-perm 'MANAGE&x=1' --yes
expect_rc 2 "a permission that is not a word is refused"
expect_eq "$(requests)" 0 "nothing was sent for any refused create"
# 75 characters pass the check (counted as characters, not bytes): --readonly then stops them
run as_a --readonly create --name "$wide75" --partner-app $APP_B --yes
expect_rc 7 "a 75-character name (150 bytes) passes the length check"
expect_eq "$(requests)" 0 "still nothing sent"

run as_a create --name "$name75" --partner-app $APP_B --owner-perm MESSAGING --yes
expect_rc 0 "a 75-character name is created"
# The guides let the owner ask for any permissions; Meta's OpenAPI file only MESSAGING, held by
# exactly one side. Against a spec server the guides' create is refused with the server's verdict.
if dialect_is openapi; then
    reset_log
    run as_a create --name "Guide permissions" --partner-app $APP_B \
        --owner-perm MANAGE --owner-perm DEVELOP --partner-perm MESSAGING --yes
    expect_rc 6 "a create the spec forbids is refused by the server"
    expect_in "$ERR" "Invalid parameter value for owner_permissions" "the server's verdict is shown verbatim"
    expect_eq "$(requests POST /whatsapp_business_solution)" 1 "the refused create was sent once"
    owner_perms=(--owner-perm MESSAGING); want_owner_perms=MESSAGING; partner_perms=()
    spec_perms=(--owner-perm MESSAGING) # what the spec requires of every create
else
    owner_perms=(--owner-perm MANAGE --owner-perm DEVELOP); want_owner_perms=MANAGE,DEVELOP
    partner_perms=(--partner-perm MESSAGING)
    spec_perms=() # the guides' server takes a create with no permissions
fi
reset_log
run as_a create --name "Lucky Shrub × Social Overdrive" --partner-app $APP_B \
    "${owner_perms[@]}" "${partner_perms[@]}" --yes
expect_rc 0 "create"
id=$(printf '%s\n' "$OUT" | sed -n 's/^created solution \([0-9]*\);.*/\1/p')
if [ -n "$id" ]; then ok "create prints the new id ($id)"; else fail "create prints the new id"; fi
expect_eq "$(solution_status "$id")" "INITIATED/PENDING_ACTIVATION" "the new solution starts INITIATED"
expect_eq "$(requests POST /whatsapp_business_solution)" 1 "one POST per create"
# What the server holds: through show where the server has partners data, else its own state.
if dialect_is openapi; then
    sandbox_state >"$TMP/state.json"
    names=$(python3 -c '
import json,sys
for d in json.load(open(sys.argv[1]))["solutions"]:
    if d["id"] == sys.argv[2]:
        print(d["name"], "|", ",".join(d.get("owner_permissions",[])), "|", d["partners"]["data"][0]["partner_app"]["id"])' "$TMP/state.json" "$id")
else
    run as_a show "$id" --json
    names=$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
print(d["name"], "|", ",".join(d.get("owner_permissions",[])), "|", d["partners"]["data"][0]["partner_app"]["id"])' "$OUT_FILE")
fi
expect_eq "$names" "Lucky Shrub × Social Overdrive | $want_owner_perms | $APP_B" "the server holds what was asked"
last=$(tail -n 1 "$AUDIT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["action"], d["outcome"], d["solution_id"])')
expect_eq "$last" "create ok $id" "the create is audited with the new id"
# the invited partner can accept it
run as_b accept "$id" --yes
expect_rc 0 "the invited partner accepts the created solution"

# --json
run as_a create --name "JSON create" --partner-app $APP_B "${spec_perms[@]}" --yes --json
expect_json "$OUT_FILE" "create --json is valid JSON"

# a Tech Provider's user token from another variable, for another app
reset_log
TP_TOKEN=$TOKEN_B run as_a create --name "Made with a user token" --partner-app $APP_A \
    --app $APP_B --as-user-token-env TP_TOKEN "${spec_perms[@]}" --yes
expect_rc 0 "create with --as-user-token-env for --app"
posted=$(python3 -c '
import json,sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    if r["method"]=="POST": print(r["path"], r.get("app_id"))' "$REQLOG")
expect_eq "$posted" "/v25.0/$APP_B/whatsapp_business_solution $APP_B" "the POST went to the other app as its token"
TP_TOKEN=$TOKEN_B run as_a apps --as-user-token-env TP_TOKEN
expect_rc 0 "apps with a user token"
run as_a create --name "No such variable" --partner-app $APP_B --as-user-token-env NOPE_UNSET --yes
expect_rc 3 "an unset user-token variable is a config error"

# a create whose answer is lost is never sent twice
reset_log
sandbox_fault '{"match":"POST /whatsapp_business_solution","kind":"reset","times":1,"apply":true}'
run as_a create --name "Lost answer" --partner-app $APP_B "${spec_perms[@]}" --yes
expect_rc 5 "a create without an answer exits 5"
expect_eq "$(requests POST /whatsapp_business_solution)" 1 "the lost create was sent once"
expect_in "$ERR" "mpsdash list" "it says how to find out"

finish
