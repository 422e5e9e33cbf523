#!/usr/bin/env bash
# Shell completion: the scripts are generated from the command and option tables, and bash's
# completion function, driven as bash drives it (COMP_WORDS, COMP_CWORD, then COMPREPLY), offers
# commands, each command's options, --filter words, theme names and the config's profiles.
. "$(dirname "$0")/lib.sh"

run "$MPSDASH" completion bash
expect_rc 0 "completion bash"
SCRIPT=$TMP/mpsdash.bash
cp "$OUT_FILE" "$SCRIPT"
if bash -n "$SCRIPT"; then ok "the bash script parses"; else fail "the bash script parses"; fi

# bash-completion itself, when installed, loads it as it would from its directory
if [ -r /usr/share/bash-completion/bash_completion ]; then
    # shellcheck disable=SC1091
    . /usr/share/bash-completion/bash_completion
fi
# shellcheck disable=SC1090
. "$SCRIPT"
expect_eq "$(complete -p mpsdash)" "complete -F _mpsdash mpsdash" "complete -p: mpsdash is completed by _mpsdash"

# complete WORDS...: the last word is the one being completed; prints COMPREPLY sorted.
complete_line() {
    COMP_WORDS=("$MPSDASH" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _mpsdash
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# every command the help lists, and nothing else
want=$("$MPSDASH" --help | awk '/^Commands:/ {on = 1; next} /^$/ {on = 0} on {print $1}' | sort | tr '\n' ' ' | sed 's/ $//')
expect_eq "$(complete_line '')" "$want" "commands: exactly those of --help"
expect_eq "$(complete_line 're')" "reject reject-deactivation request-deactivation" "a prefix narrows the commands"
expect_eq "$(complete_line list --fi)" "--filter" "options complete"
expect_eq "$(complete_line --filter pe)" "pending pending-deactivation" "--filter words"
expect_eq "$(complete_line list --role '')" "owner partner" "--role words"
got=$(complete_line create --p)
expect_in "$got" "--partner-app" "create's own options are offered after create"
expect_in "$got" "--profile" "and the global ones"
expect_not_in "$(complete_line list --p)" "--partner-app" "another command's options are not"
expect_eq "$(complete_line --de)" "--demo" "without a command, the dashboard's --demo"
expect_eq "$(complete_line help acc)" "accept accept-deactivation" "help completes commands"
expect_eq "$(complete_line completion '')" "bash fish zsh" "completion completes shells"
expect_eq "$(complete_line -p prod list '')" "" "after the command no more commands"

# theme names: the shipped ones and the user's own
mkdir -p "$XDG_CONFIG_HOME/mpsdash/themes"
printf 'background = "black";\n' >"$XDG_CONFIG_HOME/mpsdash/themes/midnight.theme"
got=$(complete_line --theme '')
for t in default light mono high-contrast midnight; do
    expect_in " $got " " $t " "--theme offers '$t'"
done

# profile names come from the configuration, the default one or -c FILE
mkdir -p "$XDG_CONFIG_HOME/mpsdash"
cat >"$XDG_CONFIG_HOME/mpsdash/config" <<'CFG'
profiles = {
  prod = { app_id = "21202248997039"; token_env = "T"; };
  staging = { app_id = "637576208107267"; token_env = "T"; };
};
CFG
chmod 600 "$XDG_CONFIG_HOME/mpsdash/config"
expect_eq "$(complete_line -p '')" "prod staging" "-p offers the config's profiles"
expect_eq "$(complete_line --profile st)" "staging" "--profile narrows by prefix"
cat >"$TMP/other.conf" <<'CFG'
profiles = { qa = { app_id = "1"; token_env = "T"; }; };
CFG
chmod 600 "$TMP/other.conf"
expect_eq "$(complete_line -c "$TMP/other.conf" -p '')" "qa" "-c FILE earlier on the line is where profiles come from"

# file options complete file names
: >"$TMP/trace-target.txt"
expect_eq "$(complete_line --trace "$TMP/trace-t")" "$TMP/trace-target.txt" "--trace completes file names"

# zsh and fish scripts are made from the same tables
run "$MPSDASH" completion zsh
expect_rc 0 "completion zsh"
expect_in "$(head -1 "$OUT_FILE")" "#compdef mpsdash" "the zsh script is a #compdef function file"
expect_in "$OUT" "pending-deactivation" "the zsh script knows the --filter words"
if command -v zsh >/dev/null 2>&1; then
    if zsh -n "$OUT_FILE"; then ok "the zsh script parses"; else fail "the zsh script parses"; fi
else
    skip_part "zsh is not installed: the zsh script was not parsed"
fi
run "$MPSDASH" completion fish
expect_rc 0 "completion fish"
expect_in "$OUT" "-l partner-app" "the fish script has create's --partner-app"
expect_in "$OUT" "(mpsdash completion profiles" "the fish script looks profiles up"
if command -v fish >/dev/null 2>&1; then
    if fish --no-execute "$OUT_FILE"; then ok "the fish script parses"; else fail "the fish script parses"; fi
else
    skip_part "fish is not installed: the fish script was not parsed"
fi
run "$MPSDASH" completion tcsh
expect_rc 2 "an unknown shell is a usage error"
run "$MPSDASH" completion bash --json
expect_rc 2 "completion has no JSON form"

finish
