# Shared by the test_views_*.sh tests: a config with one profile per sandbox identity, both
# pointed at the test's sandbox, tokens from the environment lib.sh exports. Source it after
# lib.sh and sandbox_start.

EVENTS_FILE="$TUI_DIR/events.jsonl"
CONFIG_FILE="$XDG_CONFIG_HOME/mpsdash/config"

# views_config [extra settings for the shrub profile]: writes the config file (mode 600).
views_config() {
    mkdir -p "$XDG_CONFIG_HOME/mpsdash"
    cat >"$CONFIG_FILE" <<CONF
default_profile = "shrub";
refresh_interval = 0;
profiles = {
  shrub = {
    app_id = "$APP_A";
    business_id = "506914307656634";
    graph_url = "$SANDBOX_URL";
    token_env = "TOKEN_A";
    events_file = "$EVENTS_FILE";
    partner_businesses = ( { app = "$APP_B"; business = "520744086200222"; } );
    $*
  };
  overdrive = {
    app_id = "$APP_B";
    business_id = "520744086200222";
    graph_url = "$SANDBOX_URL";
    token_env = "TOKEN_B";
  };
};
CONF
    chmod 600 "$CONFIG_FILE"
}

# The number of requests in the sandbox log whose line matches all of the given regexes.
log_count() {
    [ -f "$SANDBOX_LOG" ] || { echo 0; return; }
    local re out
    out=$(cat "$SANDBOX_LOG")
    for re in "$@"; do
        out=$(printf '%s\n' "$out" | grep -E -- "$re" || true)
    done
    if [ -z "$out" ]; then echo 0; else printf '%s\n' "$out" | wc -l | tr -d ' '; fi
}

# log_at_least N REGEX...: whether the log has N or more requests matching all the regexes
# (a predicate for wait_until: it reads the log each time it is called).
log_at_least() {
    local n=$1
    shift
    [ "$(log_count "$@")" -ge "$n" ]
}
