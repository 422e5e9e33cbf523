#!/usr/bin/env bash
# The inbox's requests and time for 3 apps x 300 solutions: a sandbox scenario where three apps
# each see 300 solutions (150 they own, 150 they are invited to; a third pending activation, a
# sixth pending deactivation), `mpsdash inbox` over three profiles, with no added latency and
# with LATENCY ms per answer (a network's round trip). Prints the inbox's own summary line
# (requests, connections, seconds) and the sandbox's request count; then the same in the
# dashboard's inbox view (I) through tmux, when tmux is there: its "loaded in" time and the
# requests the sandbox saw for it.
#   bench_inbox.sh [MPSDASH=build/mpsdash] [LATENCY=100]
set -eu
MPSDASH=${1:-${MPSDASH:-build/mpsdash}}
LATENCY=${2:-100}
TMP=$(mktemp -d /tmp/mpsdash-bench-inbox.XXXXXX)
SB=
trap '[ -n "$SB" ] && kill "$SB" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
export HOME=$TMP XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state

python3 - "$TMP/scenario.json" <<'EOF'
import json, sys
apps = [{"id": "100000000000001", "name": "Bench App A", "token": "bench-token-a"},
        {"id": "100000000000002", "name": "Bench App B", "token": "bench-token-b"},
        {"id": "100000000000003", "name": "Bench App C", "token": "bench-token-c"}]
sols = []
for i in range(450):
    owner, partner = apps[i % 3]["id"], apps[(i + 1) % 3]["id"]
    if i % 3 == 0:
        status, pending, pstatus = "INITIATED", "PENDING_ACTIVATION", "NOTIFICATION_SENT"
    elif i % 6 == 1:
        status, pending, pstatus = "ACTIVE", "PENDING_DEACTIVATION", "ACCEPTED"
    else:
        status, pending, pstatus = "ACTIVE", "NONE", "ACCEPTED"
    sols.append({"id": str(500000000000000 + i), "name": "Bench solution %03d" % i,
                 "status": status, "status_for_pending_request": pending,
                 "owner_app": {"id": owner}, "owner_permissions": ["MANAGE", "DEVELOP"],
                 "partners": {"data": [{"id": str(600000000000000 + i), "partner_app": {"id": partner},
                                        "status": pstatus, "partner_permissions": ["MANAGE"]}]}})
json.dump({"apps": apps, "solutions": sols, "wabas": []}, open(sys.argv[1], "w"))
EOF

run_one() { # LATENCY_MS
    "$MPSDASH" sandbox --port 0 --port-file "$TMP/port" --scenario "$TMP/scenario.json" \
        --latency "$1" --request-log "$TMP/req.log" >"$TMP/sb.out" 2>&1 &
    SB=$!
    while [ ! -s "$TMP/port" ]; do sleep 0.05; done
    local url=http://127.0.0.1:$(cat "$TMP/port")
    cat >"$TMP/config.conf" <<CONF
profiles = {
  a = { app_id = "100000000000001"; graph_url = "$url"; token_env = "BT_A"; };
  b = { app_id = "100000000000002"; graph_url = "$url"; token_env = "BT_B"; };
  c = { app_id = "100000000000003"; graph_url = "$url"; token_env = "BT_C"; };
};
CONF
    chmod 600 "$TMP/config.conf"
    : >"$TMP/req.log"
    BT_A=bench-token-a BT_B=bench-token-b BT_C=bench-token-c \
        "$MPSDASH" -c "$TMP/config.conf" inbox >"$TMP/out" 2>"$TMP/err"
    echo "latency ${1} ms per answer:"
    grep -E '^[abc] \(' "$TMP/err" | sed 's/^/  /'
    echo "  $(tail -n 2 "$TMP/err" | head -n 1)"
    echo "  sandbox saw $(grep -c . "$TMP/req.log") requests; rows listed: $(($(wc -l <"$TMP/out") - 1))"
    if command -v tmux >/dev/null; then
        dashboard_inbox
    fi
    kill "$SB"
    wait "$SB" 2>/dev/null || true
    SB=
    rm -f "$TMP/port"
}

# The dashboard as profile a: once its own list is in, I opens the inbox; its title line says
# how long the three lists took.
dashboard_inbox() {
    local sock="mpsdash-bench-$$" screen="" i
    tmux -L "$sock" -f /dev/null new-session -d -s b -x 200 -y 50 \
        "exec env BT_A=bench-token-a BT_B=bench-token-b BT_C=bench-token-c $MPSDASH -c $TMP/config.conf -p a"
    for i in $(seq 600); do
        screen=$(tmux -L "$sock" capture-pane -p -t b)
        case $screen in *"Bench solution"*) break ;; esac
        sleep 0.05
    done
    sleep 0.5 # the main list's last page
    : >"$TMP/req.log"
    tmux -L "$sock" send-keys -t b I
    for i in $(seq 600); do
        screen=$(tmux -L "$sock" capture-pane -p -t b)
        case $screen in *"loaded in"*) break ;; esac
        sleep 0.05
    done
    echo "  dashboard inbox (I): $(printf '%s\n' "$screen" | grep -oE 'Inbox .*pending' | head -n 1)," \
        "$(printf '%s\n' "$screen" | grep -oE 'loaded in [0-9.]+ s' | head -n 1);" \
        "sandbox saw $(grep -c . "$TMP/req.log") requests"
    tmux -L "$sock" kill-server
}
echo "mpsdash inbox, 3 apps x 300 solutions:"
run_one 0
run_one "$LATENCY"
