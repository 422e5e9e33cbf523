#!/usr/bin/env bash
# A solution holding 60,000 permissions a side: the detail pane draws its matrix and redraws as
# the selection moves, and SIGTERM ends the dashboard cleanly. (Scanning a list inside a loop
# made each redraw take minutes at this size and the dashboard ignore SIGTERM meanwhile.)
. "$MPSDASH_TESTS/tui/lib.sh"

python3 - "$TUI_DIR/huge.json" <<'PY'
import json, sys
n = 60000
def sol(i, name, perms):
    return {"id": "90000000000000%d" % i, "name": name, "status": "INITIATED",
            "status_for_pending_request": "PENDING_ACTIVATION",
            "owner_app": {"id": "637576208107267"}, "owner_permissions": perms(0),
            "partners": {"data": [{"id": "90000000000010%d" % i, "partner_app": {"id": "21202248997039"},
                                   "status": "NOTIFICATION_SENT", "partner_permissions": perms(n // 2)}]}}
many = lambda off: ["PERM_%07d" % (k + off) for k in range(n)]
few = lambda off: ["MANAGE"]
json.dump({"solutions": [sol(1, "Huge permissions", many), sol(2, "Small one", few)]},
          open(sys.argv[1], "w"))
PY

sandbox_start --scenario "$TUI_DIR/huge.json"
tui_start 160 45
wait_for "Huge permissions"
select_id 900000000000001
wait_for "PERM_0000000"
pass "the matrix of 90,000 permissions draws"

# Each move redraws both rows' detail panes.
for _ in 1 2 3; do
    select_id 900000000000002
    select_id 900000000000001
done
wait_for "PERM_0000000"
pass "moving between solutions redraws at once"

pid=$(tmx display-message -p -t mps '#{pane_pid}')
kill -TERM "$pid"
tui_expect_clean_exit
pass "SIGTERM ends the dashboard cleanly"
