"""Drives every API command of the CLI against a running Prism mock and judges each one by its
exit status, its output and what Prism logged about its requests (validation violations, paths
the spec does not have). Usage: drive.py MPSDASH BASE_URL PRISM_LOG TMPDIR. Prints TAP; exits 1
on any failure."""

import json
import os
import re
import subprocess
import sys
import time

MPSDASH, BASE, PRISM_LOG, TMP = sys.argv[1:5]

# The spec's own example ids, so that Prism's example answers are about the ids asked for.
APP = "1234567890123456"  # GET /<APP_ID> answers a node with this id (doctor checks it)
SOLUTION = "1234567890123456"
PARTNER_APP = "9876543210987654"
BUSINESS = "1234567890123456"
WABA = "1234567890123456"
TOKEN = "EAAconformance0test0token"  # the spec's Authorization pattern: Bearer [A-Za-z0-9-_.]+

# Requests for what the spec lacks that a client may make to learn so, once per command: the
# partners edge and batch (the partners fallback) and the two ways to list one's apps.
PROBES = [
    ("GET", re.compile(r"^/v[0-9.]+/[0-9]+/partners$")),
    ("POST", re.compile(r"^/$")),
    ("GET", re.compile(r"^/v[0-9.]+/me/application_details$")),
    ("GET", re.compile(r"^/v[0-9.]+/me/assigned_applications$")),
]

ANSI = re.compile(r"\x1b\[[0-9;]*m")
REQUEST = re.compile(r"\[HTTP SERVER\]\s+(get|post|put|delete|patch)\s+(\S+)\s.*Request received", re.I)
NO_PATH = re.compile(r"\[HTTP SERVER\]\s+(get|post|put|delete|patch)\s+(\S+)\s.*NO_PATH_MATCHED", re.I)
VIOLATION = re.compile(r"(Request did not pass the validation rules|Violation: .*)")

checks = failures = 0
table = []


def tap(ok, what, details=()):
    global checks, failures
    checks += 1
    if not ok:
        failures += 1
    print(("ok" if ok else "not ok") + f" {checks} - {what}")
    for d in details if not ok else ():
        for line in str(d).splitlines()[:20]:
            print(f"#   {line}")
    return ok


def log_size():
    return os.path.getsize(PRISM_LOG)


def settled_log_from(offset):
    """Prism's log lines written since offset, once it stops growing (it logs asynchronously)."""
    last, stable_since = -1, time.monotonic()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        size = log_size()
        if size != last:
            last, stable_since = size, time.monotonic()
        elif time.monotonic() - stable_since > 0.3:
            break
        time.sleep(0.05)
    with open(PRISM_LOG, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    return [ANSI.sub("", line) for line in text.splitlines()]


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0] or "/"


def analyse(lines):
    requests, no_path, violations = [], [], []
    for line in lines:
        m = REQUEST.search(line)
        if m:
            requests.append((m.group(1).upper(), path_of(m.group(2))))
        m = NO_PATH.search(line)
        if m:
            no_path.append((m.group(1).upper(), path_of(m.group(2))))
        m = VIOLATION.search(line)
        if m and not m.group(1).startswith("Request did not pass"):
            violations.append(m.group(1))
        elif m and not violations:
            violations.append(m.group(1))
    return requests, no_path, violations


def run(args, env_extra=None):
    env = dict(os.environ, MPSDASH_TOKEN=TOKEN)
    cmd = [MPSDASH, "--graph-url", BASE, "--app-id", APP, "--token-env", "MPSDASH_TOKEN", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                       env=env)
    return p.returncode, p.stdout, p.stderr


def judge(name, args, expect="ok", post_suffix=None, output_check=None):
    """Runs one command; expect is "ok" (exit 0) or a regex its stderr must match on a non-zero
    exit (what the spec cannot serve, said plainly)."""
    offset = log_size()
    rc, out, err = run(args)
    requests, no_path, violations = analyse(settled_log_from(offset))
    shown = "mpsdash " + " ".join(args)
    details = [f"exit {rc}", "stdout: " + out[-800:], "stderr: " + err[-800:]]
    if expect == "ok":
        outcome = tap(rc == 0, f"{shown}: succeeds", details)
    else:
        outcome = tap(rc not in (0,) and rc < 128 and re.search(expect, err, re.I) is not None,
                      f"{shown}: fails plainly ({expect})", details)
    tap(rc < 128, f"{shown}: no crash", details)
    tap(len(requests) > 0, f"{shown}: talked to the mock", [f"requests: {requests}"])
    tap(not violations, f"{shown}: every request passed Prism's validation",
        violations + [f"requests: {requests}"])
    unexpected = [r for r in no_path if not any(r[0] == m and p.match(r[1]) for m, p in PROBES)]
    tap(not unexpected, f"{shown}: asks for nothing the spec lacks but the known probes",
        [f"not in the spec: {unexpected}"])
    for method, pattern in PROBES:
        n = sum(1 for r in no_path if r[0] == method and pattern.match(r[1]))
        tap(n <= 1, f"{shown}: probes {method} {pattern.pattern} at most once ({n})",
            [f"requests: {requests}"])
    if post_suffix:
        posts = [r for r in requests if r[0] == "POST" and r[1].endswith(post_suffix)]
        tap(len(posts) == 1, f"{shown}: exactly one POST to {post_suffix} ({len(posts)})",
            [f"requests: {requests}"])
    if output_check and rc == 0:
        ok, what = output_check(out)
        tap(ok, f"{shown}: {what}", ["stdout: " + out[-800:]])
    table.append((shown, rc, len(requests), len(violations), len(no_path),
                  "ok" if outcome and not violations and not unexpected else "FAIL"))


def json_list_with_role(out):
    try:
        data = json.loads(out)
    except ValueError as e:
        return False, f"--json is JSON ({e})"
    items = data if isinstance(data, list) else data.get("data", data.get("solutions", []))
    for s in items if isinstance(items, list) else []:
        role = s.get("role", (s.get("mpsdash") or {}).get("role"))
        if role not in ("owner", "partner"):
            return False, f"every solution has a derived role (got {role!r} for {s.get('id')})"
    return bool(items), "--json lists the solutions, each with its role"


def json_object(out):
    try:
        json.loads(out)
        return True, "--json is JSON"
    except ValueError as e:
        return False, f"--json is JSON ({e})"


S = SOLUTION
judge("list", ["list"])
judge("list json", ["list", "--json"], output_check=json_list_with_role)
judge("list owner", ["list", "--role", "owner"])
judge("list partner", ["list", "--role", "partner"])
judge("show", ["show", S])
judge("show json", ["show", S, "--json"], output_check=json_object)
judge("partners", ["partners", S], expect=r"no partners data")
judge("partners json", ["partners", S, "--json"], expect=r"no partners data")
judge("accept", ["accept", S, "--yes"], post_suffix=f"/{S}/accept")
judge("reject", ["reject", S, "--yes"], post_suffix=f"/{S}/reject")
judge("reject reason", ["reject", S, "--reason", "Permissions do not match the contract", "--yes"],
      post_suffix=f"/{S}/reject")
judge("request deactivation", ["request-deactivation", S, "--yes"],
      post_suffix=f"/{S}/send_deactivation_request")
judge("accept deactivation", ["accept-deactivation", S, "--yes"],
      post_suffix=f"/{S}/accept_deactivation_request")
judge("reject deactivation", ["reject-deactivation", S, "--yes"],
      post_suffix=f"/{S}/reject_deactivation_request")
judge("create partner messaging", ["create", "--name", "Conformance partner messaging",
                                   "--partner-app", PARTNER_APP, "--partner-perm", "MESSAGING",
                                   "--yes"], post_suffix=f"/{APP}/whatsapp_business_solution")
judge("create owner messaging", ["create", "--name", "Conformance owner messaging",
                                 "--partner-app", PARTNER_APP, "--owner-perm", "MESSAGING",
                                 "--yes"], post_suffix=f"/{APP}/whatsapp_business_solution")
judge("customers", ["customers", "--business", BUSINESS])
judge("waba solutions", ["waba-solutions", WABA])
judge("business token", ["business-token", S, "--business", PARTNER_APP])
# The spec has no way to list one's apps (neither /me/application_details nor
# /me/assigned_applications): the command can only say so.
judge("apps", ["apps"], expect=r"application|apps")
judge("doctor", ["doctor"])

print("# command | exit | requests | violations | not in spec | verdict")
for row in table:
    print("# " + " | ".join(str(c) for c in row))
if failures:
    print(f"# {failures} of {checks} checks failed")
    sys.exit(1)
print(f"# all {checks} checks passed")
