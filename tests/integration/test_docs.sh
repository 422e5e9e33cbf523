#!/usr/bin/env bash
# The manual stays true to the code: every subcommand and option the binary's help shows, every
# exit code in cli.h, every dashboard request and ':' command, every config setting and theme
# role the loaders accept are documented in man/mpsdash.1 or man/mpsdash.conf.5; the pages format
# without groff warnings; the example config parses; the README starts with make demo/make test.
# ctest sets MPSDASH (the binary) and MPSDASH_SOURCE (the source tree).
set -u
: "${MPSDASH:?MPSDASH must name the mpsdash binary}"
: "${MPSDASH_SOURCE:?MPSDASH_SOURCE must name the source tree}"
command -v python3 >/dev/null || { echo "not ok 1 - python3 is needed to read the sources"; exit 1; }

TMP=$(mktemp -d /tmp/mpsdash-docs.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# Nothing here may read or write the real home.
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
unset MPSDASH_TOKEN NO_COLOR MPSDASH_THEMES_DIR
export LC_ALL=${LC_ALL:-C.UTF-8}

exec python3 - "$MPSDASH" "$MPSDASH_SOURCE" "$TMP" <<'PYTHON'
import glob
import os
import re
import shutil
import subprocess
import sys

MPSDASH, SRC, TMP = sys.argv[1], sys.argv[2], sys.argv[3]
checks = failures = 0


def ok(cond, what, detail=None):
    global checks, failures
    checks += 1
    if cond:
        print(f"ok {checks} - {what}")
    else:
        failures += 1
        print(f"not ok {checks} - {what}")
        if detail:
            for line in str(detail).splitlines():
                print(f"#   {line}")
    return cond


def source(path):
    with open(os.path.join(SRC, path), encoding="utf-8") as f:
        return f.read()


def run(*args):
    p = subprocess.run([MPSDASH, *args], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------------------------- roff

def plain(text):
    """roff source -> the words a reader sees (enough for matching names and options)."""
    text = re.sub(r'(?m)^\.\\".*\n?', "", text)
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)
    for a, b in (("\\-", "-"), ("\\&", ""), ("\\:", ""), ("\\%", ""), ("\\(ti", "~"),
                 ("\\(dq", '"'), ("\\(aq", "'"), ("\\e", "\\")):
        text = text.replace(a, b)
    return text


def sections(text, macro):
    """{title: raw text} for each .SH (or .SS) in text, titles unquoted."""
    out, order = {}, []
    parts = re.split(rf"(?m)^\.{macro}[ \t]+(.*)\n", text)
    for i in range(1, len(parts), 2):
        title = plain(parts[i]).strip().strip('"')
        out[title] = parts[i + 1]
        order.append(title)
    return out, order


def tags(raw):
    """Tags of .TP/.TQ entries: the line after each, as plain words."""
    found = []
    lines = raw.split("\n")
    for i, line in enumerate(lines[:-1]):
        if line.startswith((".TP", ".TQ")):
            tag = lines[i + 1]
            if tag.startswith("."):
                tag = tag.split(None, 1)[1] if " " in tag else ""
            found.append(plain(tag).replace('"', "").strip())
    return found


def entries(raw):
    """[(tag, body)] for each .TP entry of a section, both as plain text."""
    out = []
    for chunk in re.split(r"(?m)^\.TP[^\n]*\n", raw)[1:]:
        chunk = re.split(r"(?m)^\.(?:SS|SH|PP)\b", chunk)[0]
        tag, _, body = chunk.partition("\n")
        if tag.startswith("."):
            tag = tag.split(None, 1)[1] if " " in tag else ""
        out.append((plain(tag).replace('"', "").strip(), plain(body)))
    return out


def has_word(text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def has_option(text, opt):
    return re.search(re.escape(opt) + r"(?![\w-])", text) is not None


def c_block(text, start):
    """The initializer after `start` in C source, up to the closing '};'."""
    i = text.find(start)
    if i < 0:
        return ""
    j = text.find("{", i + len(start) - 1)
    depth = 0
    for k in range(j, len(text)):
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0:
            return text[j + 1:k]
    return ""


def c_strings(text):
    return re.findall(r'"((?:[^"\\]|\\.)*)"', text)


man1_raw = source("man/mpsdash.1")
man5_raw = source("man/mpsdash.conf.5")
man1 = plain(man1_raw)
sec1, order1 = sections(man1_raw, "SH")
sec5, order5 = sections(man5_raw, "SH")

# ---------------------------------------------------------------------------------- structure

wanted = ["NAME", "SYNOPSIS", "DESCRIPTION", "THE DASHBOARD", "KEYS", "COMMANDS",
          "GLOBAL OPTIONS", "TOKENS AND SECRETS", "THE SANDBOX", "FILES", "ENVIRONMENT",
          "EXIT STATUS", "EXAMPLES", "SEE ALSO"]
ok([t for t in order1 if t in wanted] == wanted, "mpsdash.1 has its sections, in order",
   f"have: {order1}")
ok(re.match(r"mpsdash \\- \S", sec1.get("NAME", "").strip()) is not None,
   "mpsdash.1 NAME is 'mpsdash \\- summary' (for whatis)")
for t in ["NAME", "SYNOPSIS", "DESCRIPTION", "SETTINGS", "PROFILES", "TOKEN SOURCES", "KEYS",
          "THEMES", "EXAMPLE", "FILES", "SEE ALSO"]:
    ok(t in sec5, f"mpsdash.conf.5 has a {t} section")
ok(re.match(r"mpsdash\.conf \\- \S", sec5.get("NAME", "").strip()) is not None,
   "mpsdash.conf.5 NAME is 'mpsdash.conf \\- summary'")

groff = shutil.which("groff")
skipped = [] if groff else ["groff is not installed: the man pages were not formatted"]
for page in ("man/mpsdash.1", "man/mpsdash.conf.5"):
    if not groff:
        print(f"# SKIP {page} formats cleanly: groff is not installed")
        continue
    errs = []
    for width in (None, 65, 78, 100):
        cmd = [groff, "-man", "-Tutf8", "-ww", "-z"] + ([f"-rLL={width}n"] if width else [])
        p = subprocess.run(cmd + [os.path.join(SRC, page)], capture_output=True, text=True)
        if p.returncode != 0 or p.stderr.strip():
            errs.append(f"width {width or 'default'}: {p.stderr.strip() or p.returncode}")
    ok(not errs, f"{page} formats without groff warnings", "\n".join(errs))

# ---------------------------------------------------------------------------------- commands

rc, out, err = run("--help")
ok(rc == 0, "mpsdash --help exits 0", err)
commands = []
block = out.split("Commands:", 1)[1] if "Commands:" in out else ""
for line in block.split("\n")[1:]:
    if not line.strip():
        break
    commands.append(line.split()[0])
ok(len(commands) >= 10, f"--help lists the commands ({len(commands)})", out)

global_help = out.split("Global options", 1)[1] if "Global options" in out else ""
global_long = set(re.findall(r"(?m)^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", global_help))
global_short = set(re.findall(r"(?m)^\s+(-[a-zA-Z]),", global_help))
ok(len(global_long) >= 10, f"--help lists the global options ({len(global_long)})", global_help)

gopts = plain(sec1.get("GLOBAL OPTIONS", ""))
for opt in sorted(global_long | global_short):
    ok(has_option(gopts, opt), f"GLOBAL OPTIONS documents {opt}")

cmd_secs, _ = sections(sec1.get("COMMANDS", ""), "SS")
for cmd in commands:
    ok(cmd in cmd_secs, f"COMMANDS has a subsection for '{cmd}'")
    rc, text, err = run("help", cmd)
    ok(rc == 0, f"mpsdash help {cmd} exits 0", err)
    block = plain(cmd_secs.get(cmd, ""))
    for opt in sorted(set(re.findall(r"--[a-z][a-z0-9-]*", text))):
        if opt in global_long:
            ok(has_option(man1, opt), f"{cmd}: {opt} is documented")
        else:
            ok(has_option(block, opt), f"{cmd}: {opt} is documented under '{cmd}'")
for title in cmd_secs:
    ok(title in commands, f"documented command '{title}' exists in --help")

# ---------------------------------------------------------------------------------- exit codes

codes = re.findall(r"\b(EXIT_[A-Z_]+)\s*=\s*(\d+)", source("include/mpsdash/cli.h"))
ok(len(codes) >= 5, f"cli.h defines exit codes ({len(codes)})")
documented = {t for t in tags(sec1.get("EXIT STATUS", "")) if t.isdigit()}
for name, num in codes:
    ok(num in documented, f"EXIT STATUS documents {num} ({name})")
ok(documented == {n for _, n in codes}, "EXIT STATUS documents no code cli.h lacks",
   f"documented {sorted(documented)}")

# ---------------------------------------------------------------------------------- keys

keys_c = source("src/ui/ui-keys.c")
table = c_block(keys_c, "requests[REQ_COUNT] =")
rows = re.findall(r"\{\s*(REQ_\w+)\s*,\s*\"([^\"]*)\"\s*,((?:\s*\"(?:[^\"\\]|\\.)*\")+)\s*,"
                  r"\s*(UI_GROUP_\w+)\s*,\s*([^,]+),\s*\{([^}]*)\}\s*\}", table)
enum = c_block(source("src/ui/ui-keys.h"), "typedef enum ui_request {")
enum_names = [n for n in re.findall(r"\b(REQ_\w+)", enum) if n not in ("REQ_COUNT",)]
# The views' requests and key rows come from their one line each in ui-view-list.h.
views = re.findall(r"_\(\s*\w+\s*,\s*\w+\s*,\s*(\w+)\s*,\s*(\"[^\"]*\")\s*,\s*(\"[^\"]*\")\s*,"
                   r"((?:\s*\"(?:[^\"\\]|\\.)*\")+)\s*\)",
                   re.sub(r"/\*.*?\*/|\\\n", " ", source("src/ui/ui-view-list.h"), flags=re.S))
ok(len(views) >= 7, f"the view list of ui-view-list.h was read ({len(views)} views)")
for req, name, key, help_text in views:
    rows.append(("REQ_" + req, name.strip('"'), help_text, "UI_GROUP_VIEWS", "-1", key))
    enum_names.append("REQ_" + req)
ok(len(rows) == len(enum_names) and len(rows) > 30,
   f"the request table of ui-keys.c was read whole ({len(rows)} of {len(enum_names)})")

keys_raw = sec1.get("KEYS", "")
key_entries = entries(keys_raw)
documented_requests = set()
for tag, body in key_entries:
    documented_requests.update(re.findall(r"(?m)^\[([a-z][a-z0-9-]*)\]\s*$", body))
for req, name, _help, _group, _action, keys in rows:
    if name == "none":
        continue
    match = [(t, b) for t, b in key_entries if re.search(r"(?m)^\[" + re.escape(name) + r"\]", b)]
    if not ok(match, f"KEYS documents request '{name}'"):
        continue
    shown = {k.strip() for k in match[0][0].split(",")}
    for spec in (bytes(s, "utf-8").decode("unicode_escape") for s in c_strings(keys)):
        ok(spec in shown, f"KEYS shows key '{spec}' for '{name}'", f"tag: {match[0][0]}")
names = {r[1] for r in rows}
for name in sorted(documented_requests - names):
    ok(False, f"KEYS documents '{name}', which is no request in ui-keys.c")

cmdline = source("src/ui/ui-cmdline.c")
ctable = c_block(cmdline, "} commands[] =")
cmds = re.findall(r"\{\s*\"(\w+)\"\s*,\s*(?:\"(\w+)\"|NULL)\s*,\s*\w+\s*\}", ctable)
ok(len(cmds) >= 5, f"the ':' command table of ui-cmdline.c was read ({len(cmds)})")
keys_text = plain(keys_raw)
for name, alias in cmds:
    ok(has_option(keys_text, ":" + name), f"KEYS documents :{name}")
    if alias:
        ok(has_option(keys_text, ":" + alias), f"KEYS documents :{alias} (for :{name})")

sorts = re.findall(r"\[SORT_\w+\]\s*=\s*\"([^\"]+)\"", c_block(source("src/core/store.c"),
                                                           "sort_names[SORT_COUNT] ="))
ok(len(sorts) >= 3, f"the sort keys of store.c were read ({len(sorts)})")
for s in sorts:
    ok(has_word(keys_text, s), f"KEYS documents :sort {s}")

# ---------------------------------------------------------------------------------- states

state_c = source("src/core/state.c")
dash = plain(sec1.get("THE DASHBOARD", ""))
for label, short, key in re.findall(r"\{\"([^\"]+)\",\s*\"([^\"]+)\",\s*\"([^\"]+)\"\}",
                                    c_block(state_c, "state_table[STATE_COUNT] =")):
    ok(label in dash, f"THE DASHBOARD names the state '{label}'")
    ok(has_word(dash, key), f"THE DASHBOARD gives the filter word '{key}'")
for status in re.findall(r"\{\"([A-Z_]+)\",\s*STATE_\w+\}", c_block(state_c, "status_table[] =")):
    ok(has_word(dash, status), f"THE DASHBOARD maps the API status {status}")

# ---------------------------------------------------------------------------------- environment

env_doc = plain(sec1.get("ENVIRONMENT", ""))
test_only = {"MPSDASH_NOW", "MPSDASH_MAX_RETRIES"}  # knobs for the test suite, not for users
seen = set()
for path in glob.glob(os.path.join(SRC, "src", "**", "*.c"), recursive=True):
    with open(path, encoding="utf-8") as f:
        seen.update(re.findall(r'getenv\("([A-Za-z_]+)"\)', f.read()))
for var in sorted(seen - test_only):
    ok(has_word(env_doc, var), f"ENVIRONMENT documents {var}")

# ---------------------------------------------------------------------------------- config

config_c = source("src/config/config.c")


def fields(name):
    return re.findall(r"\{\s*\"(\w+)\"\s*,\s*apply_\w+", c_block(config_c, f"field {name}[] ="))


top, prof, partner = fields("top_fields"), fields("profile_fields"), fields("partner_fields")
ok(len(top) >= 5 and len(prof) >= 10 and len(partner) == 2,
   f"the setting tables of config.c were read ({len(top)}, {len(prof)}, {len(partner)})")
settings_tags = set(tags(sec5.get("SETTINGS", "")))
profile_raw = sec5.get("PROFILES", "")
profile_tags = set(tags(profile_raw))
for name in top:
    ok(name in settings_tags, f"mpsdash.conf.5 SETTINGS documents '{name}'")
for name in prof:
    ok(name in profile_tags, f"mpsdash.conf.5 PROFILES documents '{name}'")
for name in partner:
    ok(re.search(rf"(?m)^\.B {name}\b", profile_raw), f"PROFILES documents partner_businesses.{name}")
for name in sorted(settings_tags - set(top)):
    ok(False, f"SETTINGS documents '{name}', which the loader does not accept")
for name in sorted(profile_tags - set(prof)):
    ok(False, f"PROFILES documents '{name}', which the loader does not accept")

# The example must be a config the loader takes as it is.
example = re.search(r"(?ms)^\.EX\n(.*?)^\.EE", sec5.get("EXAMPLE", ""))
if ok(example, "mpsdash.conf.5 has an example file"):
    cfg = os.path.join(TMP, "example.conf")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(plain(example.group(1)))
    os.chmod(cfg, 0o600)
    names = re.findall(r"(?m)^  (\w+) = \{", plain(example.group(1)))
    # doctor parses the whole file; this profile's token source is an unset variable, so no
    # command of the example runs and nothing goes to the network.
    profile = "sandbox" if "sandbox" in names else (names[0] if names else "x")
    rc, out, err = run("-c", cfg, "-p", profile, "doctor")
    ok(re.search(r"(?m)^ok\s+config\b", out), "the example config parses", out + err)

# ---------------------------------------------------------------------------------- themes

theme_c = source("src/config/theme.c")
roles = c_strings(c_block(theme_c, "role_names[THEME_ROLE_COUNT] ="))
enum_roles = [r for r in re.findall(r"\b(THEME_[A-Z_]+)\b",
                                    c_block(source("include/mpsdash/theme.h"),
                                            "typedef enum theme_role {"))
              if r != "THEME_ROLE_COUNT"]
ok(len(roles) == len(enum_roles) and roles,
   f"the theme roles of theme.c were read ({len(roles)} of {len(enum_roles)})")
themes_secs, _ = sections(sec5.get("THEMES", ""), "SS")
role_tags = set(tags(themes_secs.get("Roles", "")))
for r in roles:
    ok(r in role_tags, f"mpsdash.conf.5 documents the theme role '{r}'")
for r in sorted(role_tags - set(roles)):
    ok(False, f"mpsdash.conf.5 documents the role '{r}', which theme.c does not know")
themes_text = plain(sec5.get("THEMES", ""))
style_keys = c_strings(c_block(theme_c, "const keys[] ="))
ok(len(style_keys) >= 5, f"the style settings of theme.c were read ({len(style_keys)})")
for k in style_keys:
    ok(k in set(tags(sec5.get("THEMES", ""))), f"THEMES documents the style setting '{k}'")
for name in re.findall(r"\{\"([a-z-]+)\",\s*(?:THEME_COLOR_DEFAULT|\d+)\}",
                       c_block(theme_c, "color_names[] =")):
    ok(has_word(themes_text, name), f"THEMES names the colour '{name}'")
for name in re.findall(r"\{\"([a-z]+)\",\s*THEME_ATTR_\w+\}", c_block(theme_c, "attr_names[] =")):
    ok(has_word(themes_text, name), f"THEMES names the attribute '{name}'")
for path in sorted(glob.glob(os.path.join(SRC, "themes", "*.theme"))):
    name = os.path.basename(path)[:-len(".theme")]
    ok(has_word(themes_text, name), f"THEMES names the shipped theme '{name}'")

# ---------------------------------------------------------------------------------- README

readme = source("README.md")
fence = re.search(r"(?ms)^```(?:sh|bash|console)?\n(.*?)^```", readme)
lines = [l.strip() for l in fence.group(1).splitlines() if l.strip()] if fence else []
ok(len(lines) >= 2 and re.match(r"make demo\b", lines[0]) and re.match(r"make test\b", lines[1]),
   "the README's first two commands are 'make demo' and 'make test'", "\n".join(lines[:3]))

if failures or checks == 0:
    print(f"# {failures} of {checks} checks failed")
    sys.exit(1)
if skipped:  # a part that did not run makes the test skipped (77), not passed
    print(f"# all {checks} checks that ran passed, but a part did not run:")
    for why in skipped:
        print(f"SKIP: {why}")
    sys.exit(77)
print(f"# all {checks} checks passed")
sys.exit(0)
PYTHON
