#!/usr/bin/env bash
# `mpsdash sandbox --dialect`: the option and a scenario's "dialect" choose what the sandbox
# speaks, the option wins, and a wrong value is a usage error that names it.
. "$(dirname "$0")/lib.sh"

dialect_of_sandbox() {
    sandbox_state | python3 -c 'import json, sys; print(json.load(sys.stdin).get("dialect"))'
}

start_sandbox
expect_eq "$(dialect_of_sandbox)" guide "the default dialect is the guides'"
expect_in "$(cat "$TMP/sandbox.out")" "(guide dialect)" "the banner names the dialect"

start_sandbox --dialect openapi
expect_eq "$(dialect_of_sandbox)" openapi "--dialect openapi"
run curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $TOKEN_A" "$URL/v25.0/795033096057724/accept"
expect_eq "$OUT" 400 "an accept without the spec's body is refused"

echo '{"dialect":"openapi"}' >"$TMP/scenario.json"
start_sandbox --scenario "$TMP/scenario.json"
expect_eq "$(dialect_of_sandbox)" openapi "a scenario's dialect"
start_sandbox --scenario "$TMP/scenario.json" --dialect guide
expect_eq "$(dialect_of_sandbox)" guide "--dialect overrides the scenario's"
stop_sandbox

run "$MPSDASH" sandbox --port 0 --dialect swagger
expect_rc 2 "an unknown dialect is a usage error"
expect_in "$ERR" "swagger" "the error names the value"
expect_in "$ERR" "guide or openapi" "the error says what is allowed"

run "$MPSDASH" --dialect openapi
expect_rc 2 "the dashboard takes --dialect only with --demo"
expect_in "$ERR" "--demo" "the error says --dialect goes with --demo"
run "$MPSDASH" --demo --dialect swagger
expect_rc 2 "the demo refuses an unknown dialect"

echo '{"dialect":"swagger"}' >"$TMP/bad.json"
run "$MPSDASH" sandbox --port 0 --scenario "$TMP/bad.json"
expect_rc 1 "a scenario with an unknown dialect does not start"
expect_in "$ERR" "bad.json" "the error names the file"

finish
