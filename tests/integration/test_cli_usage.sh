#!/usr/bin/env bash
# The command line itself: help that is true to the parser, usage errors, exit codes, and the
# gates that stop a mutating command before any request is sent.
. "$(dirname "$0")/lib.sh"

run "$MPSDASH" --version
expect_rc 0 "--version"
expect_in "$OUT" "mpsdash " "--version prints the name and version"

run "$MPSDASH" --help
expect_rc 0 "--help"
for cmd in list show partners accept reject request-deactivation accept-deactivation \
    reject-deactivation create apps customers waba-solutions business-token signup-snippet \
    events doctor sandbox; do
    expect_in "$OUT" "  $cmd " "global help lists $cmd"
done

# Every option a command's help names is accepted by that command (help true to the code):
# the parser must not call it unknown or out of place. Commands run with --help so nothing runs.
for cmd in list show partners accept reject request-deactivation accept-deactivation \
    reject-deactivation create apps customers waba-solutions business-token signup-snippet \
    events doctor sandbox; do
    run "$MPSDASH" help "$cmd"
    if [ "$RC" != 0 ]; then
        fail "help $cmd exits 0"
        continue
    fi
    help_text=$OUT
    run "$MPSDASH" "$cmd" --help
    expect_eq "$OUT" "$help_text" "'$cmd --help' matches 'help $cmd'"
    opts=$(printf '%s\n' "$help_text" | grep -o -- '--[a-z][a-z-]*' | sort -u)
    for opt in $opts; do
        run "$MPSDASH" "$cmd" "$opt" 1 --help
        if [ "$RC" = 0 ]; then ok "$cmd accepts $opt (named in its help)"; else
            fail "$cmd accepts $opt (named in its help)" "exit $RC: $ERR"; fi
    done
done

# Every option the global help names is accepted (with a value where it shows one).
run "$MPSDASH" --help
printf '%s\n' "$OUT" | grep -E '^  +-' | grep -oE -- '--[a-z][a-z-]*( [A-Z]+)?' | sort -u >"$TMP/global-opts"
while read -r opt meta; do
    if [ -n "$meta" ]; then run "$MPSDASH" "$opt" 1 --help; else run "$MPSDASH" "$opt" --help; fi
    if [ "$RC" = 0 ]; then ok "global help's $opt is accepted"; else
        fail "global help's $opt is accepted" "exit $RC: $ERR"; fi
done <"$TMP/global-opts"

# The global options are accepted before and after the command.
run "$MPSDASH" --readonly --json list --help
expect_rc 0 "global options before the command"
run "$MPSDASH" list --help --readonly --json -p x -c /nonexistent --theme mono --trace /dev/null
expect_rc 0 "global options after the command"

# Usage errors: exit 2 with a message, nothing run.
run "$MPSDASH" frobnicate
expect_rc 2 "unknown command"
expect_in "$ERR" "unknown command 'frobnicate'" "unknown command is named"
run "$MPSDASH" list --no-such-option
expect_rc 2 "unknown option"
run "$MPSDASH" list --reveal
expect_rc 2 "option of another command"
expect_in "$ERR" "--reveal does not apply to 'list'" "out-of-place option is named"
run "$MPSDASH" show
expect_rc 2 "missing argument"
run "$MPSDASH" show 1 2
expect_rc 2 "extra argument"
# malformed connection options are usage errors, refused before any config or token is read
run "$MPSDASH" --graph-url http://graph.example.com --app-id 1 --token-env MPSDASH_UNSET_VAR list
expect_rc 2 "plain http to a non-loopback host"
expect_in "$ERR" "--graph-url" "the message names --graph-url"
run "$MPSDASH" --graph-url http://127.0.0.1.example.com --app-id 1 --token-env MPSDASH_UNSET_VAR list
expect_rc 2 "a loopback-looking host name is not loopback"
run "$MPSDASH" --api-version 25 --app-id 1 --token-env MPSDASH_UNSET_VAR list
expect_rc 2 "an API version not of the form vN.N"
expect_in "$ERR" "--api-version" "the message names --api-version"
run "$MPSDASH" --app-id 12x --token-env MPSDASH_UNSET_VAR list
expect_rc 2 "an app id that is not digits"
run "$MPSDASH" show '12/accept'
expect_rc 2 "an id that is not digits never reaches a URL"
# commands with no JSON form refuse --json rather than ignore it (doctor has one: test_observability)
for cmd in "signup-snippet 1" sandbox ""; do
    # shellcheck disable=SC2086
    run "$MPSDASH" $cmd --json
    expect_rc 2 "--json refused by '${cmd:-the dashboard}'"
    expect_in "$ERR" "--json does not apply" "'${cmd:-the dashboard}' says --json does not apply"
done
run "$MPSDASH" list --filter nonsense
expect_rc 2 "unknown --filter label"
run "$MPSDASH" list --role boss
expect_rc 2 "unknown --role"
run "$MPSDASH" sandbox --port 99999
expect_rc 2 "port out of range"
run "$MPSDASH" business-token 123
expect_rc 2 "business-token without --business"
run "$MPSDASH" show $'\e]0;x\a1'
expect_rc 2 "hostile argument refused"
expect_terminal_safe "$ERR_FILE" "a hostile argument is sanitised in the error"

# signup-snippet needs no profile and prints valid JavaScript with the solution id set.
run "$MPSDASH" signup-snippet 795033096057724 --config-id 123456789
expect_rc 0 "signup-snippet without any profile"
expect_in "$OUT" "solutionID: '795033096057724'" "the snippet sets extras.setup.solutionID"
expect_in "$OUT" "config_id: '123456789'" "the snippet sets config_id"
expect_not_in "$OUT" "solutionID\"" "the seed's syntax slip is not copied"
if command -v node >/dev/null 2>&1; then
    cp "$OUT_FILE" "$TMP/snippet.js"
    if node --check "$TMP/snippet.js" 2>/dev/null; then ok "node --check accepts the snippet"; else
        fail "node --check accepts the snippet"; fi
else
    skip_part "node is not installed: the snippet was not checked with node --check"
fi

# Without a profile or token source: a config error, exit 3.
run "$MPSDASH" list
expect_rc 3 "no profile and no command-line values"
run "$MPSDASH" --graph-url http://127.0.0.1:9 --app-id 1 --token-env MPSDASH_UNSET_VAR list
expect_rc 3 "token variable not set"
expect_in "$ERR" "MPSDASH_UNSET_VAR" "the error names the variable"
run "$MPSDASH" -c "$TMP/missing.conf" list
expect_rc 3 "missing -c file"

# The mutation gates run before any request: --readonly, and no terminal without --yes.
start_sandbox
for cmd in accept reject request-deactivation accept-deactivation reject-deactivation; do
    run as_a --readonly "$cmd" 795033096057724 --yes
    expect_rc 7 "--readonly refuses $cmd"
done
run as_a --readonly create --name "Readonly test" --partner-app $APP_B --yes
expect_rc 7 "--readonly refuses create"
expect_in "$ERR" "--readonly" "the refusal says why"
run as_a accept 795033096057724
expect_rc 7 "accept without a terminal and without --yes is refused"
expect_in "$ERR" "--yes" "the refusal says how to go ahead"
reason501=$(printf 'r%.0s' $(seq 501))
run as_a reject 795033096057724 --reason "$reason501" --yes
expect_rc 2 "a 501-character --reason is refused (Meta documents at most 500)"
run as_a reject 795033096057724 --reason $'two\nlines' --yes
expect_rc 2 "a --reason with control characters is refused"
run as_a accept 795033096057724 --reason "why" --yes
expect_rc 2 "--reason belongs to reject only"
expect_eq "$(requests)" 0 "no request was sent by any refused command"
expect_eq "$(solution_status 795033096057724)" "INITIATED/PENDING_ACTIVATION" \
    "the solution is unchanged"

# Read-only commands still work with --readonly.
run as_a --readonly show 795033096057724
expect_rc 0 "--readonly allows show"

# A declined confirmation on a terminal sends nothing: drive it through a pty.
if command -v script >/dev/null 2>&1; then
    reset_log
    printf 'n\n' | MPSDASH_TOKEN=$TOKEN_A script -qec \
        "'$MPSDASH' --graph-url $URL --app-id $APP_A --token-env MPSDASH_TOKEN accept 795033096057724" \
        /dev/null >"$TMP/pty.out" 2>&1
    PTY_RC=$?
    pty_out=$(cat "$TMP/pty.out")
    expect_in "$pty_out" "cannot be undone" "the terminal confirmation says accept cannot be undone"
    expect_in "$pty_out" "[y/N]" "the terminal confirmation asks y/N"
    expect_in "$pty_out" "MANAGE_TEMPLATES" "the confirmation lists the permissions granted"
    expect_eq "$PTY_RC" 7 "answering n exits 7"
    expect_eq "$(requests POST)" 0 "answering n sends no POST"
    expect_eq "$(solution_status 795033096057724)" "INITIATED/PENDING_ACTIVATION" \
        "declined: the solution is unchanged"

    # confirm = "typed": the id's last digits, not the name's first word that its same-named
    # twins share.
    mkdir -p "$XDG_CONFIG_HOME/mpsdash"
    printf 'confirm = "typed";\n' >"$XDG_CONFIG_HOME/mpsdash/config"
    chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
    typed_accept() { # ANSWER
        printf '%s\n' "$1" | MPSDASH_TOKEN=$TOKEN_A script -qec \
            "'$MPSDASH' --graph-url $URL --app-id $APP_A --token-env MPSDASH_TOKEN accept 795033096057724" \
            /dev/null >"$TMP/pty.out" 2>&1
    }
    reset_log
    typed_accept Social
    PTY_RC=$?
    expect_in "$(cat "$TMP/pty.out")" "Type '7724' (the last digits of its id) to confirm" \
        "typed confirmation asks for the id's last digits"
    expect_eq "$PTY_RC" 7 "the name's first word does not confirm"
    expect_eq "$(requests POST)" 0 "a wrong typed answer sends no POST"
    typed_accept 7724
    PTY_RC=$?
    expect_eq "$PTY_RC" 0 "the id's last digits confirm"
    expect_eq "$(requests POST)" 1 "the typed confirmation sends exactly one POST"
    rm -f "$XDG_CONFIG_HOME/mpsdash/config"
else
    skip_part "script(1) (bsdutils) is not installed: the confirmation on a terminal was not checked"
fi

finish
