#!/usr/bin/env bash
# Configuration by environment: MPSDASH_PROFILE and MPSDASH_CONFIG name the profile and the file
# (the command line still wins); readonly = true in a profile refuses changes unless
# --no-readonly; --graph-url/--app-id/--token-env without -p never borrow the default
# profile's secrets.
. "$(dirname "$0")/lib.sh"

start_sandbox --scenario "$IT_DIR/scenarios/transitions.json"
CONF=$TMP/team.conf
cat >"$CONF" <<CFG
default_profile = "guarded";
profiles = {
  guarded = { app_id = "$APP_A"; graph_url = "$URL"; token_env = "TOKEN_A"; readonly = true; };
  open = { app_id = "$APP_A"; graph_url = "$URL"; token_env = "TOKEN_A"; };
  other = { app_id = "$APP_B"; graph_url = "$URL"; token_env = "TOKEN_B"; };
};
CFG
chmod 600 "$CONF"
export TOKEN_A TOKEN_B

# ---- MPSDASH_CONFIG and MPSDASH_PROFILE
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" completion profiles
expect_eq "$OUT" "$(printf 'guarded\nopen\nother')" "MPSDASH_CONFIG names the config file"
run env MPSDASH_CONFIG="$CONF" MPSDASH_PROFILE=other "$MPSDASH" show 900000000000005
expect_rc 0 "MPSDASH_PROFILE picks the profile"
expect_in "$OUT" "owner (your app created it)" "it is the other app's view (profile 'other')"
run env MPSDASH_CONFIG="$CONF" MPSDASH_PROFILE=other "$MPSDASH" -p open show 900000000000005
expect_in "$OUT" "partner" "-p wins over MPSDASH_PROFILE"
run env MPSDASH_CONFIG="$TMP/none.conf" "$MPSDASH" -c "$CONF" completion profiles
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "guarded" "-c wins over MPSDASH_CONFIG"
run env MPSDASH_CONFIG="$CONF" MPSDASH_PROFILE=nosuch "$MPSDASH" list
expect_rc 3 "an unknown MPSDASH_PROFILE is a config error"
expect_in "$ERR" "no profile 'nosuch'" "and says which"

# ---- readonly = true per profile
reset_log
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" accept 900000000000001 --yes
expect_rc 7 "a readonly profile refuses a change"
expect_in "$ERR" "profile 'guarded' is readonly" "the refusal names the profile"
expect_in "$ERR" "--no-readonly" "and the way around it"
expect_eq "$(requests)" 0 "nothing was sent"
expect_eq "$(solution_status 900000000000001)" "INITIATED/PENDING_ACTIVATION" "unchanged"
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" list --no-headers -o id
expect_rc 0 "a readonly profile still reads"
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" accept 900000000000001 --yes --no-readonly
expect_rc 0 "--no-readonly overrides the profile's readonly"
expect_eq "$(solution_status 900000000000001)" "ACTIVE/NONE" "and the change was made"
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" -p open --readonly reject 900000000000002 --yes
expect_rc 7 "--readonly still refuses on a profile without readonly"
run env MPSDASH_CONFIG="$CONF" "$MPSDASH" --readonly --no-readonly list
expect_rc 2 "--readonly with --no-readonly is a usage error"

# ---- command-line connection values without -p do not borrow the default profile's secrets
cat >"$TMP/secret.conf" <<CFG
profiles = { prod = { app_id = "$APP_A"; token_env = "PROD_TOKEN"; }; };
CFG
chmod 600 "$TMP/secret.conf"
reset_log
run env PROD_TOKEN="$TOKEN_A" "$MPSDASH" -c "$TMP/secret.conf" --graph-url "$URL" list
expect_rc 3 "--graph-url alone without -p refuses to borrow the default profile's token"
expect_in "$ERR" "-p" "it says to name the profile with -p"
expect_eq "$(requests)" 0 "the default profile's token was sent nowhere"
run env PROD_TOKEN="$TOKEN_A" "$MPSDASH" -c "$TMP/secret.conf" -p prod --graph-url "$URL" list
expect_rc 0 "with -p the same override applies to the named profile"
run env PROD_TOKEN="$TOKEN_A" OTHER_TOKEN="$TOKEN_B" "$MPSDASH" -c "$TMP/secret.conf" \
    --graph-url "$URL" --app-id "$APP_B" --token-env OTHER_TOKEN show 900000000000005
expect_rc 0 "all three without -p make a profile of their own"
expect_in "$OUT" "owner (your app created it)" "with the given app and token, not prod's"

finish
